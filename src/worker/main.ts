// Engine worker entry: boots the guest, attaches the daemon, and serves the page over Comlink.
import * as Comlink from 'comlink';
import { Daemon } from '../engine/daemon.ts';
import { readText } from '../lib/streams.ts';
import type { Disposable, GuestProcess } from '../protocol/guest/port.ts';
import type { Stores } from '../protocol/store.ts';
import {
  UI_PROTOCOL_VERSION,
  type BootCallbacks,
  type BootEvent,
  type BootInfo,
  type BootRequestOptions,
  type ContainerAction,
  type EngineCallbacks,
  type EngineHealth,
  type EngineWorkerApi,
  type WorkspaceCallbacks,
} from '../protocol/ui.ts';
import { fetchCatalogueSource } from '../engine/image/catalogue-source.ts';
import { EngineFeed } from './engine-feed.ts';
import { WORKSPACE_KEY } from '../engine/workspace/workspace.ts';
import { browserPlatform } from './platform-browser.ts';
import { openIdbStores } from './store-idb.ts';
import type { GuestAsset } from './vm/platform.ts';
import { Machine } from './vm/machine.ts';
import { loginShell, shellExitCode } from './vm/shell.ts';
import { holdOutput, SpareShell } from './spare-shell.ts';
import { serveCliSessions } from './cli-session.ts';

/** What a cold boot downloads: fetched together, so the page learns every total at once. */
const RESTORE_ASSETS: readonly GuestAsset[] = ['v86.wasm', 'bios.bin', 'vgabios-stdvga.bin'];
/** The warm-up waits at most this long for the first prompt. */
const WARM_UP_DEFER_MAX_MS = 3_000;
const COLD_BOOT_ASSETS: readonly GuestAsset[] = [...RESTORE_ASSETS, 'bzImage', 'initrd.cpio'];

let machine: Machine | null = null;
let daemon: Daemon | null = null;
let feed: EngineFeed | null = null;
let serving: Disposable | null = null;
/** One set of stores for the worker's life: a reboot must find the same images and containers. */
let stores: Stores | null = null;
/** How the page asked to boot; a reboot after a crash boots the same way. */
let bootRequest: { guestBase: string; options: BootRequestOptions; callbacks: BootCallbacks | null } | null = null;
let rebooting = false;
const shells = new Map<number, GuestProcess>();
const spareShell = new SpareShell();
let nextShell = 1;
/** The page's panel subscriptions (their id → the current feed's id), moved to each new feed. */
const panels = new Map<number, { callbacks: EngineCallbacks; feedId: number }>();
let nextPanel = 1;
/** The page's file trees: moved to each new engine's workspace after a reboot. */
const fileTrees = new Map<number, { callbacks: WorkspaceCallbacks; subscription: Disposable | null }>();
let nextFileTree = 1;

function guest(): Machine {
  if (!machine) throw new Error('guest not booted');
  return machine;
}

function engine(): Daemon['engine'] {
  if (!daemon) throw new Error('guest not booted');
  return daemon.engine;
}

/** The panels' buttons, as the matching `docker` commands do them (stop: default timeout; rm: -f). */
const containerActions: Record<ContainerAction, (containers: Daemon['engine']['containers'], id: string) => Promise<unknown>> = {
  start: (c, id) => c.start(id),
  stop: (c, id) => c.stop(id),
  restart: (c, id) => c.restart(id),
  pause: (c, id) => c.pause(id),
  unpause: (c, id) => c.unpause(id),
  remove: (c, id) => c.remove(id, { force: true }),
};

/** Boots the guest (restoring the snapshot when cached) and attaches a daemon to it. */
async function bootGuest(guestBase: string, options: BootRequestOptions, progress: (event: BootEvent) => void): Promise<BootInfo> {
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
  const { machine: m, report } = await Machine.boot({
    platform,
    // The page says so where it says that a save failed (the disk holds layers and volumes).
    onDiskProblem: (message) => {
      if (!message) return;
      for (const tree of fileTrees.values()) void Promise.resolve(tree.callbacks.saveFailed(message)).catch(() => undefined);
    },
    watchdog: { ...options.watchdog, onDead: (error) => void reboot(error.message) },
  });
  machine = m;
  // The first tab's shell starts now; the engine's warm-up containers wait for its prompt (at
  // most a few seconds), as both need the one emulated CPU and the prompt is what users wait for.
  const prompt = spareShell.prepare(m.port);
  const warmUp = Promise.race([prompt, new Promise((r) => setTimeout(r, WARM_UP_DEFER_MAX_MS))]);
  daemon = await Daemon.start(
    m.port,
    { kernelRelease: report.hello.kernelRelease, agentBuildId: report.hello.buildId },
    { stores: (stores ??= openIdbStores()), catalogue: fetchCatalogueSource(new URL('catalogue/', base.href.replace(/guest\/?$/, '')).href), warmUp },
  );
  const api = daemon.serve();
  const sessions = serveCliSessions(m.port, daemon);
  serving = { dispose: () => (sessions.dispose(), api.dispose()) };
  const e = daemon.engine;
  feed = new EngineFeed({
    containers: () => e.containers.registry.all(),
    images: () => e.images.list(),
    volumes: () => e.volumes.usage(),
    events: e.events,
    now: e.now,
  });
  for (const panel of panels.values()) panel.feedId = await feed.subscribe(panel.callbacks);
  for (const tree of fileTrees.values()) tree.subscription = followWorkspace(tree.callbacks);
  if (!sampling) {
    sampling = true;
    // Not now: the first prompt comes first.
    setTimeout(() => void sampleMemory(), MEMORY_SAMPLE_MS);
  }
  return { mode: report.mode, bootMs: report.bootMs, agent: report.hello.buildId, kernel: report.hello.kernelRelease };
}

/** Sends the listing now and after every change. */
function followWorkspace(callbacks: WorkspaceCallbacks): Disposable {
  const workspace = engine().workspace;
  const send = (entries: ReturnType<typeof workspace.list>) => void Promise.resolve(callbacks.entries(entries)).catch(() => undefined);
  send(workspace.list());
  const changes = workspace.onChange(send);
  const failures = engine().saved.onSaveFailed((key, e) => {
    if (key === WORKSPACE_KEY) void Promise.resolve(callbacks.saveFailed(e.message)).catch(() => undefined);
  });
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
async function reboot(reason: string): Promise<void> {
  if (rebooting || !bootRequest) return;
  rebooting = true;
  const { guestBase, options, callbacks } = bootRequest;
  try {
    await callbacks?.guestLost(reason);
    serving?.dispose();
    for (const panel of panels.values()) feed?.unsubscribe(panel.feedId);
    for (const tree of fileTrees.values()) tree.subscription?.dispose();
    for (const shell of shells.values()) shell.kill();
    shells.clear();
    spareShell.discard();
    const old = machine;
    machine = null;
    daemon = null;
    feed = null;
    await old?.stop().catch(() => undefined);
    const info = await bootGuest(guestBase, options, () => undefined);
    await callbacks?.rebooted(info);
  } catch (e) {
    await callbacks?.rebootFailed((e as Error).message);
  } finally {
    rebooting = false;
  }
}

/** The guest's memory, sampled in the background so health() never waits for the guest. */
let memory: EngineHealth['memory'] = null;
const MEMORY_SAMPLE_MS = 5_000;

let sampling = false;

async function sampleMemory(): Promise<void> {
  try {
    const proc = await guest().port.spawn({ argv: ['/bin/cat', '/proc/meminfo'], env: [], cwd: '/' });
    proc.stdin.end();
    const [text] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited]);
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
    const total = kib('MemTotal');
    const available = kib('MemAvailable');
    if (Number.isFinite(total) && Number.isFinite(available)) memory = { used: total - available, total };
  } catch {
    // No guest right now (rebooting): keep the last sample.
  }
  setTimeout(() => void sampleMemory(), MEMORY_SAMPLE_MS);
}

const api: EngineWorkerApi = {
  protocolVersion: () => UI_PROTOCOL_VERSION,

  health: () => ({ memory }),

  async boot(guestBase, options = {}, callbacks) {
    bootRequest = { guestBase, options, callbacks: callbacks ?? null };
    // Progress is best effort: a page that went away must not fail the boot.
    return bootGuest(guestBase, options, (event) => void Promise.resolve(callbacks?.progress(event)).catch(() => undefined));
  },

  async debugFreezeGuest() {
    await guest().pause();
  },

  async run(command) {
    const proc = await guest().port.spawn(loginShell(command));
    proc.stdin.end();
    const [stdout, stderr, status] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited]);
    return { stdout, stderr, code: shellExitCode(status) };
  },

  async openShell(rows, cols, callbacks, command) {
    const spare = command === undefined ? await spareShell.take(rows, cols) : null;
    const proc = spare?.proc ?? (await guest().port.spawn(loginShell(command, { rows, cols })));
    const output = spare?.output ?? holdOutput(proc);
    const id = nextShell++;
    shells.set(id, proc);
    output.listen((chunk) => void Promise.resolve(callbacks.output(Comlink.transfer(chunk, [chunk.buffer]))).catch(() => undefined));
    void (async () => {
      await output.done;
      const status = await proc.exited.catch(() => ({ code: 125, signal: 0 }));
      shells.delete(id);
      await Promise.resolve(callbacks.exit(shellExitCode(status))).catch(() => undefined);
    })();
    // The next tab gets a ready shell too.
    if (spare) setTimeout(() => machine && spareShell.prepare(machine.port), 1000);
    return id;
  },

  async writeShell(id, bytes) {
    await shells.get(id)?.stdin.write(bytes);
  },

  resizeShell(id, rows, cols) {
    shells.get(id)?.resize(rows, cols);
  },

  closeShell(id) {
    shells.get(id)?.kill();
  },

  async checkpoint() {
    await daemon?.engine.checkpoint();
    await machine?.disk.flush().catch(() => undefined);
  },

  async subscribeEngine(callbacks) {
    if (!feed) throw new Error('guest not booted');
    const id = nextPanel++;
    panels.set(id, { callbacks, feedId: await feed.subscribe(callbacks) });
    return id;
  },

  unsubscribeEngine(id) {
    const panel = panels.get(id);
    panels.delete(id);
    if (panel) feed?.unsubscribe(panel.feedId);
  },

  async containerAction(id, action) {
    const run = containerActions[action];
    if (!run) throw new Error(`unknown container action: ${String(action)}`);
    // Every change emits an engine event, which the feed turns into a snapshot.
    await run(engine().containers, id);
  },

  async removeImage(id) {
    await engine().images.remove(id);
  },

  async removeVolume(name) {
    await engine().volumes.remove(name);
  },

  async subscribeWorkspace(callbacks) {
    const id = nextFileTree++;
    fileTrees.set(id, { callbacks, subscription: followWorkspace(callbacks) });
    return id;
  },

  unsubscribeWorkspace(id) {
    fileTrees.get(id)?.subscription?.dispose();
    fileTrees.delete(id);
  },

  async readFile(path) {
    // A copy: the bytes may be a view into a buffer the guest connection still uses.
    const bytes = (await engine().workspace.read(path)).slice();
    return Comlink.transfer(bytes, [bytes.buffer]);
  },

  writeFile: (path, bytes) => engine().workspace.write(path, bytes),
  makeDirectory: (path) => engine().workspace.mkdir(path),
  renamePath: (from, to) => engine().workspace.rename(from, to),
  removePath: (path) => engine().workspace.remove(path),

  async archiveWorkspace() {
    const tar = await engine().workspace.archive();
    return Comlink.transfer(tar, [tar.buffer]);
  },
};

Comlink.expose(api);
