// Engine worker entry: boots the guest, attaches the daemon, and serves the page over Comlink.
import * as Comlink from 'comlink';
import { Daemon } from '../engine/daemon.ts';
import type { EngineApi } from '../engine/api/types.ts';
import { byteSource, readText } from '../lib/streams.ts';
import { concatBytes } from '../lib/bytes.ts';
import type { Disposable, GuestProcess } from '../protocol/guest/port.ts';
import type { Stores } from '../protocol/store.ts';
import {
  UI_PROTOCOL_VERSION,
  type BootCallbacks,
  type BootEvent,
  type BootInfo,
  type BootRequestOptions,
  type CommandResult,
  type ContainerAction,
  type EngineCallbacks,
  type EngineHealth,
  type EngineWorkerApi,
  type ShellCallbacks,
  type WorkspaceCallbacks,
  type WorkspaceEntry,
} from '../protocol/ui.ts';
import { fetchCatalogueSource } from '../engine/image/catalogue-source.ts';
import { EngineFeed } from './engine-feed.ts';
import { browserPlatform } from './platform-browser.ts';
import { openIdbStores } from './store-idb.ts';
import type { GuestAsset } from './vm/platform.ts';
import { Machine } from './vm/machine.ts';
import { loginShell, shellExitCode } from './vm/shell.ts';
import { holdOutput, SpareShell } from './spare-shell.ts';
import { serveCliSessions } from './cli-session.ts';

/** What a cold boot downloads: fetched together, so the page learns every total at once. */
const RESTORE_ASSETS: readonly GuestAsset[] = ['v86.wasm', 'bios.bin', 'vgabios-stdvga.bin'];
/** The warm-up waits at most this long for the first prompt to be on the page. */
const WARM_UP_DEFER_MAX_MS = 10_000;
/** What the page takes to draw a shell's first output: the warm-up starts after it. */
const PROMPT_DRAW_MS = 500;
const COLD_BOOT_ASSETS: readonly GuestAsset[] = [...RESTORE_ASSETS, 'bzImage', 'initrd.cpio'];
/** How often health() learns the guest's memory (in the background: health never waits for it). */
const MEMORY_SAMPLE_MS = 5_000;

/** The panels' buttons, as the matching `docker` commands ask the Engine API (stop: the container's own timeout; rm: -f). */
const ACTION_CALLS: Record<ContainerAction, (api: EngineApi, id: string) => Promise<unknown>> = {
  start: (api, id) => api.containerStart(id),
  stop: (api, id) => api.containerStop(id),
  restart: (api, id) => api.containerRestart(id),
  pause: (api, id) => api.containerPause(id),
  unpause: (api, id) => api.containerUnpause(id),
  remove: (api, id) => api.containerRemove(id, { force: true }),
};

/** Best effort: a page that went away must not fail the worker's work. */
function tell(call: () => unknown): void {
  try {
    void Promise.resolve(call()).catch(() => undefined);
  } catch {
    // The page is gone.
  }
}

/**
 * The engine worker's state for its whole life: the guest machine and the daemon on it (replaced
 * on a reboot), the stores they share, and the page's shells, panels and file trees (moved to each
 * new daemon). Its methods are what the page calls over Comlink.
 */
class WorkerHost implements EngineWorkerApi {
  #machine: Machine | null = null;
  #daemon: Daemon | null = null;
  /** The daemon once it started: it finishes starting after the first prompt (the disk mounts). */
  #daemonReady: Promise<Daemon> | null = null;
  /** Called when the page got a shell's first output: the warm-up may take the CPU. */
  #promptShown: () => void = () => {};
  #feed: EngineFeed | null = null;
  /** The current daemon's CLI sessions and API socket. */
  readonly #serving: Disposable[] = [];
  /** One set of stores for the worker's life: a reboot must find the same images and containers. */
  #stores: Stores | null = null;
  /** How the page asked to boot; a reboot after a crash boots the same way. */
  #bootRequest: { guestBase: string; options: BootRequestOptions; callbacks: BootCallbacks | null } | null = null;
  #rebooting = false;
  readonly #shells = new Map<number, GuestProcess>();
  readonly #spareShell = new SpareShell();
  #nextShell = 1;
  /** The page's panel subscriptions (their id → the current feed's id), moved to each new feed. */
  readonly #panels = new Map<number, { callbacks: EngineCallbacks; feedId: number }>();
  #nextPanel = 1;
  /** The page's file trees: moved to each new daemon's workspace after a reboot. */
  readonly #fileTrees = new Map<number, { callbacks: WorkspaceCallbacks; subscription: Disposable | null }>();
  #nextFileTree = 1;
  /** The guest's memory at the last sample. */
  #memory: EngineHealth['memory'] = null;
  #sampling = false;

  #guest(): Machine {
    if (!this.#machine) throw new Error('guest not booted');
    return this.#machine;
  }

  /** The daemon, once it finished starting. */
  #running(): Promise<Daemon> {
    if (!this.#daemonReady) return Promise.reject(new Error('guest not booted'));
    return this.#daemonReady;
  }

  /** Boots the guest (restoring the snapshot when cached) and attaches a daemon to it. */
  async #bootGuest(guestBase: string, options: BootRequestOptions, progress: (event: BootEvent) => void): Promise<BootInfo> {
    const base = new URL(guestBase, self.location.href);
    const platform = browserPlatform({ guestBase: base, onProgress: (asset, loaded, total) => progress({ kind: 'download', asset, loaded, total }) });
    const cached = await platform.hasSnapshot();
    progress({ kind: 'plan', mode: cached ? 'snapshot' : 'cold' });
    if (!cached) {
      // A first visit: the site's boot snapshot if it ships one (with the emulator's own files),
      // else the kernel and initrd to boot.
      const emulator = platform.prefetch(RESTORE_ASSETS);
      const shipped = await platform.installShippedSnapshot().catch(() => false);
      (shipped ? emulator : platform.prefetch(COLD_BOOT_ASSETS)).then(
        () => progress({ kind: 'booting' }),
        () => undefined, // Machine.boot's own loadAsset reports the failure.
      );
    }
    const { machine, report } = await Machine.boot({
      platform,
      // The page says so where it says that a save failed (the disk holds layers and volumes).
      onDiskProblem: (message) => {
        if (!message) return;
        for (const tree of this.#fileTrees.values()) tell(() => tree.callbacks.saveFailed(message));
      },
      watchdog: { ...options.watchdog, onDead: (error) => void this.#reboot(error.message) },
    });
    this.#machine = machine;
    // The first prompt comes before the daemon finished starting: the first tab's shell starts
    // as soon as /root holds the workspace (the page draws its terminal meanwhile), and the disk
    // mounts once the shell printed its prompt. Commands typed meanwhile wait for the daemon. The
    // warm-up containers wait until the page drew the prompt (at most a few seconds): all of it
    // needs the CPU the prompt is waiting for.
    let shellStarted!: (shell: { prompt: Promise<unknown> }) => void;
    const shell = new Promise<{ prompt: Promise<unknown> }>((resolve) => (shellStarted = resolve));
    const prompt = shell.then((started) => started.prompt);
    const shown = new Promise<void>((resolve) => (this.#promptShown = resolve));
    const warmUp = Promise.race([prompt.then(() => shown), new Promise((resolve) => setTimeout(resolve, WARM_UP_DEFER_MAX_MS))]);
    const daemonReady = Daemon.start(
      machine.port,
      { kernelRelease: report.hello.kernelRelease, agentBuildId: report.hello.buildId },
      {
        stores: (this.#stores ??= openIdbStores()),
        catalogue: fetchCatalogueSource(new URL('catalogue/', base.href.replace(/guest\/?$/, '')).href),
        warmUp,
        workspaceRestored: () => {
          const first = this.#spareShell.prepare(machine.port);
          shellStarted({ prompt: first });
          return first;
        },
      },
    ).then((daemon) => this.#attach(machine, daemon));
    this.#daemonReady = daemonReady;
    this.#serving.push(serveCliSessions(machine.port, daemonReady));
    // A daemon that fails after the prompt showed fails the page as a failed boot would.
    daemonReady.catch((e: Error) => {
      if (this.#daemonReady === daemonReady) tell(() => this.#bootRequest?.callbacks?.rebootFailed(e.message));
    });
    await Promise.race([shell, daemonReady]);
    if (!this.#sampling) {
      this.#sampling = true;
      // Not now: the first prompt comes first.
      setTimeout(() => void this.#sampleMemory(), MEMORY_SAMPLE_MS);
    }
    return { mode: report.mode, bootMs: report.bootMs, agent: report.hello.buildId, kernel: report.hello.kernelRelease };
  }

  /** The started daemon serves the guest's API socket, the page's panels and file trees. */
  async #attach(machine: Machine, daemon: Daemon): Promise<Daemon> {
    if (this.#machine !== machine) throw new Error('guest not booted');
    this.#daemon = daemon;
    this.#serving.push(daemon.serve());
    // The panels are clients of the Engine API like the CLI; the daemon's clock is the worker's.
    const feed = new EngineFeed(daemon.api, Date.now);
    this.#feed = feed;
    for (const panel of this.#panels.values()) panel.feedId = await feed.subscribe(panel.callbacks);
    for (const tree of this.#fileTrees.values()) tree.subscription = this.#followWorkspace(daemon, tree.callbacks);
    return daemon;
  }

  /** Sends the listing now and after every change. */
  #followWorkspace(daemon: Daemon, callbacks: WorkspaceCallbacks): Disposable {
    const send = (entries: WorkspaceEntry[]) => tell(() => callbacks.entries(entries));
    send(daemon.workspace.list());
    const changes = daemon.workspace.onChange(send);
    const failures = daemon.onWorkspaceSaveFailed((e) => tell(() => callbacks.saveFailed(e.message)));
    return {
      dispose: () => {
        changes.dispose();
        failures.dispose();
      },
    };
  }

  /**
   * The guest hung or crashed: stop it, restore the boot snapshot, and put a new daemon on the same
   * stores (containers are reconciled as after a page reload). Open shells end; the page reopens them.
   */
  async #reboot(reason: string): Promise<void> {
    if (this.#rebooting || !this.#bootRequest) return;
    this.#rebooting = true;
    const { guestBase, options, callbacks } = this.#bootRequest;
    try {
      await callbacks?.guestLost(reason);
      for (const serving of this.#serving.splice(0)) serving.dispose();
      for (const panel of this.#panels.values()) this.#feed?.unsubscribe(panel.feedId);
      for (const tree of this.#fileTrees.values()) tree.subscription?.dispose();
      for (const shell of this.#shells.values()) shell.kill();
      this.#shells.clear();
      this.#spareShell.discard();
      const old = this.#machine;
      this.#machine = null;
      this.#daemon = null;
      this.#daemonReady = null;
      this.#feed = null;
      await old?.stop().catch(() => undefined);
      const info = await this.#bootGuest(guestBase, options, () => undefined);
      await callbacks?.rebooted(info);
    } catch (e) {
      await callbacks?.rebootFailed((e as Error).message);
    } finally {
      this.#rebooting = false;
    }
  }

  async #sampleMemory(): Promise<void> {
    try {
      const proc = await this.#guest().port.spawn({ argv: ['/bin/cat', '/proc/meminfo'], env: [], cwd: '/' });
      proc.stdin.end();
      const [text] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited]);
      const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
      const total = kib('MemTotal');
      const available = kib('MemAvailable');
      if (Number.isFinite(total) && Number.isFinite(available)) this.#memory = { used: total - available, total };
    } catch {
      // No guest right now (rebooting): keep the last sample.
    }
    setTimeout(() => void this.#sampleMemory(), MEMORY_SAMPLE_MS);
  }

  protocolVersion(): number {
    return UI_PROTOCOL_VERSION;
  }

  health(): EngineHealth {
    return { memory: this.#memory };
  }

  async boot(guestBase: string, options: BootRequestOptions = {}, callbacks?: BootCallbacks): Promise<BootInfo> {
    this.#bootRequest = { guestBase, options, callbacks: callbacks ?? null };
    return this.#bootGuest(guestBase, options, (event) => tell(() => callbacks?.progress(event)));
  }

  async debugFreezeGuest(): Promise<void> {
    await this.#guest().pause();
  }

  async run(command: string): Promise<CommandResult> {
    const proc = await this.#guest().port.spawn(loginShell(command));
    proc.stdin.end();
    const [stdout, stderr, status] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited]);
    return { stdout, stderr, code: shellExitCode(status) };
  }

  async openShell(rows: number, cols: number, callbacks: ShellCallbacks, command?: string): Promise<number> {
    const spare = command === undefined ? await this.#spareShell.take(rows, cols) : null;
    const proc = spare?.proc ?? (await this.#guest().port.spawn(loginShell(command, { rows, cols })));
    const output = spare?.output ?? holdOutput(proc);
    const id = this.#nextShell++;
    this.#shells.set(id, proc);
    let first = true;
    output.listen((chunk) => {
      tell(() => callbacks.output(Comlink.transfer(chunk, [chunk.buffer])));
      if (first) setTimeout(this.#promptShown, PROMPT_DRAW_MS);
      first = false;
    });
    void (async () => {
      await output.done;
      const status = await proc.exited.catch(() => ({ code: 125, signal: 0 }));
      this.#shells.delete(id);
      await Promise.resolve(callbacks.exit(shellExitCode(status))).catch(() => undefined);
    })();
    // The next tab gets a ready shell too.
    if (spare) setTimeout(() => this.#machine && this.#spareShell.prepare(this.#machine.port), 1000);
    return id;
  }

  async writeShell(id: number, bytes: Uint8Array): Promise<void> {
    await this.#shells.get(id)?.stdin.write(bytes);
  }

  resizeShell(id: number, rows: number, cols: number): void {
    this.#shells.get(id)?.resize(rows, cols);
  }

  closeShell(id: number): void {
    this.#shells.get(id)?.kill();
  }

  async checkpoint(): Promise<void> {
    await this.#daemon?.checkpoint();
    await this.#machine?.disk.flush().catch(() => undefined);
  }

  async subscribeEngine(callbacks: EngineCallbacks): Promise<number> {
    await this.#running();
    if (!this.#feed) throw new Error('guest not booted');
    const id = this.#nextPanel++;
    this.#panels.set(id, { callbacks, feedId: await this.#feed.subscribe(callbacks) });
    return id;
  }

  unsubscribeEngine(id: number): void {
    const panel = this.#panels.get(id);
    this.#panels.delete(id);
    if (panel) this.#feed?.unsubscribe(panel.feedId);
  }

  async containerAction(id: string, action: ContainerAction): Promise<void> {
    const run = ACTION_CALLS[action];
    if (!run) throw new Error(`unknown container action: ${String(action)}`);
    // Every change emits an engine event, which the feed turns into a snapshot.
    await run((await this.#running()).api, id);
  }

  async removeImage(id: string): Promise<void> {
    await (await this.#running()).api.imageRemove(id);
  }

  async removeVolume(name: string): Promise<void> {
    await (await this.#running()).api.volumeRemove(name);
  }

  async saveImage(ref: string): Promise<Uint8Array> {
    const write = await (await this.#running()).api.imageSave([ref]);
    const parts: Uint8Array[] = [];
    await write({ write: async (b) => void parts.push(typeof b === 'string' ? new TextEncoder().encode(b) : b), end: () => undefined });
    const bytes = concatBytes(parts);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  }

  async loadImages(archive: Uint8Array): Promise<string[]> {
    const messages = await (await this.#running()).api.imageLoad(byteSource(archive), { quiet: true });
    return messages.flatMap((m) => (m.stream ? [m.stream.trimEnd()] : []));
  }

  async subscribeWorkspace(callbacks: WorkspaceCallbacks): Promise<number> {
    const daemon = await this.#running();
    const id = this.#nextFileTree++;
    this.#fileTrees.set(id, { callbacks, subscription: this.#followWorkspace(daemon, callbacks) });
    return id;
  }

  unsubscribeWorkspace(id: number): void {
    this.#fileTrees.get(id)?.subscription?.dispose();
    this.#fileTrees.delete(id);
  }

  async readFile(path: string): Promise<Uint8Array> {
    // A copy: the bytes may be a view into a buffer the guest connection still uses.
    const bytes = (await (await this.#running()).workspace.read(path)).slice();
    return Comlink.transfer(bytes, [bytes.buffer]);
  }

  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    return (await this.#running()).workspace.write(path, bytes);
  }

  async makeDirectory(path: string): Promise<void> {
    return (await this.#running()).workspace.mkdir(path);
  }

  async renamePath(from: string, to: string): Promise<void> {
    return (await this.#running()).workspace.rename(from, to);
  }

  async removePath(path: string): Promise<void> {
    return (await this.#running()).workspace.remove(path);
  }

  async archiveWorkspace(): Promise<Uint8Array> {
    const tar = await (await this.#running()).workspace.archive();
    return Comlink.transfer(tar, [tar.buffer]);
  }
}

Comlink.expose(new WorkerHost());
