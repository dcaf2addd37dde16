// The only module that imports v86. Boots the guest (cold, or from a snapshot taken at the
// agent's first HELLO), wires console port 1 to the protocol connection, and exposes the 9p share.
import { V86 } from 'v86';
import type { Hello } from '../../protocol/guest/messages.ts';
import type { GuestFiles, GuestPort } from '../../protocol/guest/port.ts';
import { GuestConnection, type WatchdogOptions } from './connection.ts';
import { processOutput } from '../../lib/streams.ts';
import { honourCacheFlushes, holdShareFsyncs, type V86IdeDrive, type V86NinePServer } from './barriers.ts';
import { BlockDisk } from './disk.ts';
import { Fs9pFiles, type V86Filesystem } from './fs-tree.ts';
import type { Platform } from './platform.ts';
import { PacedSender } from './transport.ts';
import { VmTunables } from './tunables.ts';

/** v86's default without a hard disk (the kernel is loaded directly; the disk holds no boot code). */
const BOOT_ORDER_WITHOUT_DISK = 0x123;

/** VIRTIO_CONSOLE_CONSOLE_PORT: v86 flags every port as a console; we keep port 0 only. */
const CONSOLE_PORT_EVENT = 4;

export interface BootOptions {
  platform: Platform;
  verbose?: boolean;
  /** Serial console bytes (boot log), e.g. for --verbose. */
  onSerial?: (text: string) => void;
  log?: (line: string) => void;
  /** Ignore any cached snapshot (and replace it). */
  coldBoot?: boolean;
  /** Liveness checking of the running guest (defaults from VmTunables). */
  watchdog?: Partial<WatchdogOptions>;
  /** The disk could not be saved to the store (message), or can again (null). */
  onDiskProblem?: (message: string | null) => void;
}

export interface BootReport {
  mode: 'cold' | 'snapshot';
  /** From `new V86` to the agent answering (HELLO on a cold boot, PONG after a restore). */
  bootMs: number;
  hello: Hello;
}

interface V86Internals {
  v86: {
    cpu: {
      devices: {
        virtio_console: VirtioConsole;
        virtio_9p: V86NinePServer;
        ide: { primary: { master: V86IdeDrive & { set_disk_buffer(buffer: BlockDisk): void } } };
      };
    };
  };
  bus: { send(event: string, data: unknown): void };
  add_listener(event: string, listener: (data: unknown) => void): void;
  fs9p: V86Filesystem;
}
interface VirtioConsole {
  SendEvent(port: number, event: number, value: number): void;
  virtio: { queues: { has_request(): boolean }[] };
}

export class Machine {
  readonly connection: GuestConnection;
  readonly files: GuestFiles;
  /** The Docker host's disk (/dev/sda in the guest). */
  readonly disk: BlockDisk;
  readonly #emulator: V86;
  readonly #sender: PacedSender;
  #serial = '';
  #stopped = false;
  #watchdog: { dispose(): void } | null = null;

  private constructor(emulator: V86, connection: GuestConnection, sender: PacedSender, disk: BlockDisk, fsyncs: ReturnType<typeof holdShareFsyncs>) {
    this.#emulator = emulator;
    this.disk = disk;
    this.connection = connection;
    this.#sender = sender;
    const tree = new Fs9pFiles((emulator as unknown as V86Internals).fs9p);
    this.files = {
      writeTree: (root, entries) => tree.writeTree(root, entries),
      exists: (path) => tree.exists(path),
      remove: (path) => tree.remove(path),
      write: (path, data) => tree.write(path, data),
      readTree: (root) => tree.readTree(root),
      watch: (listener, delayMs) => tree.watch(listener, delayMs),
      get changes() {
        return tree.changes;
      },
      holdFsyncs: (barrier) => {
        fsyncs.hold(barrier);
        return { dispose: () => fsyncs.hold(null) };
      },
      read: async (path) => {
        try {
          return await emulator.read_file(path);
        } catch {
          return null;
        }
      },
    };
  }

  static async boot(options: BootOptions): Promise<{ machine: Machine; report: BootReport }> {
    const { platform } = options;
    const log = options.log ?? (() => {});
    const [wasm, bios, vgaBios, key, disk] = await Promise.all([
      platform.loadAsset('v86.wasm'),
      platform.loadAsset('bios.bin'),
      platform.loadAsset('vgabios-stdvga.bin'),
      platform.snapshotKey(),
      BlockDisk.open({ store: platform.disk, template: () => platform.loadAsset('disk-template.gz'), onProblem: options.onDiskProblem }),
    ]);
    const snapshot = options.coldBoot ? null : await platform.snapshots.get(key);
    const [bzImage, initrd] = snapshot
      ? [null, null]
      : await Promise.all([platform.loadAsset('bzImage'), platform.loadAsset('initrd.cpio')]);

    const started = performance.now();
    const emulator = new V86({
      wasm_fn: async (imports: WebAssembly.Imports) =>
        ((await WebAssembly.instantiate(wasm as BufferSource, imports)) as WebAssembly.WebAssemblyInstantiatedSource).instance.exports,
      memory_size: VmTunables.memoryBytes,
      vga_memory_size: 2 * 1024 * 1024,
      bios: { buffer: toArrayBuffer(bios) },
      vga_bios: { buffer: toArrayBuffer(vgaBios) },
      ...(bzImage && initrd
        ? {
            bzimage: { buffer: toArrayBuffer(bzImage) },
            initrd: { buffer: toArrayBuffer(initrd) },
            cmdline: VmTunables.cmdline + (options.verbose ? VmTunables.verboseCmdline : ''),
          }
        : {}),
      virtio_console: true,
      // A one-sector placeholder: v86 reads it at a cold start, before the disk can be put in.
      hda: { buffer: new ArrayBuffer(512) },
      boot_order: BOOT_ORDER_WITHOUT_DISK,
      filesystem: {},
      autostart: false,
      disable_keyboard: true,
      disable_mouse: true,
      disable_speaker: true,
      log_level: 0,
    } as unknown as ConstructorParameters<typeof V86>[0]);
    const internals = emulator as unknown as V86Internals;

    let machine!: Machine;
    const connection = new GuestConnection({
      send: (bytes) => machine.#sender.send(bytes),
      log,
    });
    await new Promise<void>((resolve) => internals.add_listener('emulator-loaded', () => resolve()));
    const drive = internals.v86.cpu.devices.ide.primary.master;
    drive.set_disk_buffer(disk);
    honourCacheFlushes(drive, () => disk.flush());
    const fsyncs = holdShareFsyncs(internals.v86.cpu.devices.virtio_9p);
    const console = internals.v86.cpu.devices.virtio_console;
    hookConsolePorts(console);
    const rxQueue = console.virtio.queues[VmTunables.protocolPort * 2 + 2]!;
    const sender = new PacedSender(
      {
        hasBuffer: () => rxQueue.has_request(),
        deliver: (chunk) => internals.bus.send(`virtio-console${VmTunables.protocolPort}-input-bytes`, chunk),
      },
      platform.schedule,
    );
    machine = new Machine(emulator, connection, sender, disk, fsyncs);
    internals.add_listener(`virtio-console${VmTunables.protocolPort}-output-bytes`, (bytes) =>
      connection.receive(bytes as Uint8Array),
    );
    internals.add_listener('serial0-output-byte', (data) => {
      const byte = data as number;
      const ch = String.fromCharCode(byte);
      machine.#serial = (machine.#serial + ch).slice(-16384);
      options.onSerial?.(ch);
    });

    if (snapshot) {
      try {
        await emulator.restore_state(snapshot);
        emulator.run();
        await withTimeout(connection.ping(), 5000, 'guest agent did not answer after snapshot restore');
        if (!connection.hello) connection.hello = await platform.snapshots.getHello(key);
        if (connection.hello) {
          machine.#syncClock(log);
          machine.#startWatchdog(options, log);
          return { machine, report: { mode: 'snapshot', bootMs: performance.now() - started, hello: connection.hello } };
        }
      } catch (e) {
        log(`snapshot restore failed (${(e as Error).message}); booting cold`);
      }
      await machine.stop();
      return Machine.boot({ ...options, coldBoot: true });
    }

    const hello = connection.waitHello();
    emulator.run();
    const first = await withTimeout(hello, VmTunables.bootTimeoutMs, () =>
      `guest did not start its agent within ${VmTunables.bootTimeoutMs / 1000} s; serial console:\n${machine.#serial}`,
    );
    const bootMs = performance.now() - started;
    // The snapshot is taken now, before any image is loaded, once the one process it runs first
    // is gone: the kernel's partition scan cached the template disk's first blocks, which a
    // restored guest must read from the store's disk instead.
    try {
      const flush = await connection.spawn({ argv: ['/sbin/blockdev', '--flushbufs', '/dev/sda'], env: [], cwd: '/' });
      flush.stdin.end();
      const { status, stderr } = await processOutput(flush);
      if (status.code !== 0) throw new Error(`blockdev --flushbufs /dev/sda: ${new TextDecoder().decode(stderr).trim() || `exit ${status.code}`}`);
      const state = await emulator.save_state();
      await platform.snapshots.put(key, state, first);
    } catch (e) {
      log(`could not cache the boot snapshot: ${(e as Error).message}`);
    }
    machine.#startWatchdog(options, log);
    return { machine, report: { mode: 'cold', bootMs, hello: first } };
  }

  /** The engine's view of this guest. */
  get port(): GuestPort {
    const c = this.connection;
    return {
      spawn: (o) => c.spawn(o),
      connect: (a, p) => c.connect(a, p),
      listen: (a, p, cb) => c.listen(a, p, cb),
      listenUnix: (path, cb, options) => c.listenUnix(path, cb, options),
      onSession: (h) => c.onSession(h),
      onDnsQuery: (h) => c.onDnsQuery(h),
      ping: () => c.ping(),
      files: this.files,
    };
  }

  #startWatchdog(options: BootOptions, log: (line: string) => void): void {
    this.#watchdog = this.connection.startWatchdog({
      intervalMs: VmTunables.watchdogIntervalMs,
      timeoutMs: VmTunables.watchdogTimeoutMs,
      ...options.watchdog,
      onDead: (error) => {
        log(`${error.message}; last serial output:\n${this.#serial.slice(-2000)}`);
        options.watchdog?.onDead?.(error);
      },
    });
  }

  /** Freezes the guest CPU (the guest sees no time pass until resume). */
  async pause(): Promise<void> {
    await this.#emulator.stop();
  }

  resume(): void {
    this.#emulator.run();
  }

  /**
   * A restored guest's clock still reads the snapshot's time: set it from the host. Not awaited,
   * so the restore is not slowed; it also starts warming v86's JIT for the first real command.
   */
  #syncClock(log: (line: string) => void): void {
    const seconds = Math.floor(Date.now() / 1000);
    this.connection
      .spawn({ argv: ['date', '-s', `@${seconds}`] })
      .then((p) => p.exited)
      .then(
        (status) => status.code !== 0 && log(`guest clock not set: date exited ${status.code}`),
        (e: Error) => log(`guest clock not set: ${e.message}`),
      );
  }

  /** The last 16 KiB of serial console output (boot log, kernel messages). */
  get serialLog(): string {
    return this.#serial;
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#watchdog?.dispose();
    this.#sender.stop();
    this.connection.fail(new Error('guest stopped'));
    // What the guest wrote before it stopped is kept (a crash state ext4's journal recovers).
    await this.#emulator.stop();
    await this.disk.flush().catch(() => undefined);
    await this.#emulator.destroy();
  }
}

/** Ports ≥ 1 become plain serial ports (/dev/vport1pN) instead of hvc consoles needing raw mode. */
function hookConsolePorts(console: VirtioConsole): void {
  const original = console.SendEvent;
  console.SendEvent = function (port, event, value) {
    if (port >= 1 && event === CONSOLE_PORT_EVENT) return;
    original.call(this, port, event, value);
  };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string | (() => string)): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(typeof message === 'string' ? message : message())), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
