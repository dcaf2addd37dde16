// Container capabilities as moby computes them (oci/caps): Docker's 14 defaults, tweaked by
// --cap-add/--cap-drop (names with or without CAP_, any case, or ALL); --privileged gets all.

/** Every capability of Linux 6.1 (cap_last_cap = 40), in number order. */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** Docker's default set, in moby's order (the order shows in `config.json`). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

const ALL = 'ALL';

/**
 * Upper-cases and prefixes CAP_; throws Docker's `unknown capability: "CAP_X"` (the daemon wraps
 * it as `invalid CapAdd: …` / `invalid CapDrop: …`).
 */
export function normalizeCapabilities(names: readonly string[]): string[] {
  return names.map((name) => {
    const upper = name.toUpperCase();
    if (upper === ALL) return ALL;
    const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!ALL_CAPABILITIES.includes(cap)) throw new Error(`unknown capability: ${JSON.stringify(cap)}`);
    return cap;
  });
}

export function containerCapabilities(capAdd: readonly string[] = [], capDrop: readonly string[] = [], privileged = false): string[] {
  if (privileged) return [...ALL_CAPABILITIES];
  if (capAdd.length === 0 && capDrop.length === 0) return [...DEFAULT_CAPABILITIES];
  const drop = normalizeCapabilities(capDrop);
  const add = normalizeCapabilities(capAdd);
  if (add.includes(ALL)) return ALL_CAPABILITIES.filter((c) => !drop.includes(c));
  // Dropping ALL keeps only what is added.
  if (drop.includes(ALL)) return add;
  return [...DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c)), ...add];
}

/** The `CapEff`-style mask /proc/PID/status prints for a capability list. */
export function capabilityMask(caps: readonly string[]): bigint {
  return caps.reduce((mask, cap) => {
    const bit = ALL_CAPABILITIES.indexOf(cap);
    return bit < 0 ? mask : mask | (1n << BigInt(bit));
  }, 0n);
}
