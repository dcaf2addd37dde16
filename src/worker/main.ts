// Engine worker entry: boots the guest, attaches the daemon, and serves the page over Comlink.
import * as Comlink from 'comlink';
import { Daemon } from '../engine/daemon.ts';
import { readText } from '../lib/streams.ts';
import type { GuestProcess } from '../protocol/guest/port.ts';
import { UI_PROTOCOL_VERSION, type ContainerAction, type EngineWorkerApi } from '../protocol/ui.ts';
import { fetchCatalogueSource } from '../engine/image/catalogue-source.ts';
import { EngineFeed, observingSessions } from './engine-feed.ts';
import { browserPlatform } from './platform-browser.ts';
import { openIdbStores } from './store-idb.ts';
import { Machine } from './vm/machine.ts';
import { loginShell, shellExitCode } from './vm/shell.ts';

let machine: Machine | null = null;
let daemon: Daemon | null = null;
let feed: EngineFeed | null = null;
const shells = new Map<number, GuestProcess>();
let nextShell = 1;

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

const api: EngineWorkerApi = {
  protocolVersion: () => UI_PROTOCOL_VERSION,

  async boot(guestBase) {
    const { machine: m, report } = await Machine.boot({ platform: browserPlatform({ guestBase: new URL(guestBase, self.location.href) }) });
    machine = m;
    const port = observingSessions(m.port, () => feed?.changed());
    daemon = await Daemon.start(
      port,
      { kernelRelease: report.hello.kernelRelease, agentBuildId: report.hello.buildId },
      { stores: openIdbStores(), catalogue: fetchCatalogueSource(new URL('catalogue/', new URL(guestBase, self.location.href).href.replace(/guest\/?$/, '')).href) },
    );
    daemon.serve();
    const e = daemon.engine;
    feed = new EngineFeed({ containers: () => e.containers.registry.all(), images: () => e.images.list(), events: e.events, now: e.now });
    return { mode: report.mode, bootMs: report.bootMs, agent: report.hello.buildId, kernel: report.hello.kernelRelease };
  },

  async run(command) {
    const proc = await guest().port.spawn(loginShell(command));
    proc.stdin.end();
    const [stdout, stderr, status] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited]);
    return { stdout, stderr, code: shellExitCode(status) };
  },

  async openShell(rows, cols, callbacks) {
    const proc = await guest().port.spawn(loginShell(undefined, { rows, cols }));
    const id = nextShell++;
    shells.set(id, proc);
    void (async () => {
      for await (const chunk of proc.stdout) callbacks.output(Comlink.transfer(chunk, [chunk.buffer]));
      const status = await proc.exited.catch(() => ({ code: 125, signal: 0 }));
      shells.delete(id);
      callbacks.exit(shellExitCode(status));
    })();
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
    await daemon?.engine.containers.checkpointAll();
  },

  async subscribeEngine(callbacks) {
    if (!feed) throw new Error('guest not booted');
    return feed.subscribe(callbacks);
  },

  unsubscribeEngine(id) {
    feed?.unsubscribe(id);
  },

  async containerAction(id, action) {
    const run = containerActions[action];
    if (!run) throw new Error(`unknown container action: ${String(action)}`);
    try {
      await run(engine().containers, id);
    } finally {
      feed?.changed();
    }
  },

  async removeImage(id) {
    try {
      await engine().images.remove(id);
    } finally {
      feed?.changed();
    }
  },
};

Comlink.expose(api);
