// Every VM tunable in one place, with the reason for its value.
export const VmTunables = {
  /** 256 MiB: room for python + nginx + redis containers; restore is ~0.35 s (vs 0.7 s at 512). Must exceed 64 MiB + initrd. */
  memoryBytes: 256 * 1024 * 1024,
  /** Quiet boot; tsc=reliable and mitigations=off are worth ~1 s of boot in v86. */
  cmdline: 'console=ttyS0 quiet tsc=reliable mitigations=off random.trust_cpu=on',
  /** Appended with --verbose: the agent's stderr reaches the serial console. */
  verboseCmdline: ' slipway.verbose',
  /** v86's console ports are 1-based after the console; port 1 is the protocol channel. */
  protocolPort: 1,
  /** The guest posts PAGE_SIZE receive buffers: a larger send would be truncated by v86. */
  maxSendChunk: 4096,
  /** A cold boot that has not said HELLO by then is reported as failed, with the serial log. */
  bootTimeoutMs: 60_000,
  /**
   * Before a cold boot's snapshot is taken, the guest drops the blocks of /dev/sda its partition
   * scan cached (they are the template disk's, not the store's): the disk mounts right after a
   * restore without dropping every cache first (0.3-0.5 s then). In the snapshot's key.
   */
  snapshotWithoutDiskCache: true,
  /**
   * The disk announces a write cache, so ext4 sends cache flushes and fsync waits for the store
   * (vm/barriers.ts). Linux reads this when it probes the disk: in the snapshot's key.
   */
  diskWriteCache: true,
  /** Liveness ping period: cheap (a 20-byte frame, ~0.2 ms round trip). */
  watchdogIntervalMs: 5_000,
  /** A busy guest still answers within a second or two; 15 s of silence means hung or crashed. */
  watchdogTimeoutMs: 15_000,
} as const;
