// Engine worker entry: boots the guest, attaches the daemon, and serves the page over Comlink.
import * as Comlink from 'comlink';
import { Daemon } from '../engine/daemon.ts';
import { readText } from '../lib/streams.ts';
import type { GuestProcess } from '../protocol/guest/port.ts';
import { UI_PROTOCOL_VERSION, type EngineWorkerApi } from '../protocol/ui.ts';
import { fetchCatalogueSource } from '../engine/image/catalogue-source.ts';
import { browserPlatform } from './platform-browser.ts';
import { openIdbStores } from './store-idb.ts';
import { Machine } from './vm/machine.ts';
import { loginShell, shellExitCode } from './vm/shell.ts';

let machine: Machine | null = null;
let daemon: Daemon | null = null;
const shells = new Map<number, GuestProcess>();
let nextShell = 1;

function guest(): Machine {
  if (!machine) throw new Error('guest not booted');
  return machine;
}

const api: EngineWorkerApi = {
  protocolVersion: () => UI_PROTOCOL_VERSION,

  async boot(guestBase) {
    const { machine: m, report } = await Machine.boot({ platform: browserPlatform({ guestBase: new URL(guestBase, self.location.href) }) });
    machine = m;
    daemon = await Daemon.start(
      m.port,
      { kernelRelease: report.hello.kernelRelease, agentBuildId: report.hello.buildId },
      { stores: openIdbStores(), catalogue: fetchCatalogueSource(new URL('catalogue/', new URL(guestBase, self.location.href).href.replace(/guest\/?$/, '')).href) },
    );
    daemon.serve();
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
};

Comlink.expose(api);
