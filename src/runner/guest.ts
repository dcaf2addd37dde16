// Boots a guest under Node with the daemon attached: the runner, tests and benchmarks share this.
import { join } from 'node:path';
import { Daemon } from '../engine/daemon.ts';
import { nodePlatform, slipwayHome } from '../platform/node.ts';
import { nodeCatalogue } from './catalogue.ts';
import { openNodeStore } from '../platform/store-node.ts';
import { Machine, type BootOptions, type BootReport } from '../worker/vm/machine.ts';
import { serveCliSessions } from '../worker/cli-session.ts';

/**
 * How long a stop waits for the checkpoint: a guest that stopped answering must not keep the
 * runner from exiting; a store commit is atomic, so one cut short loses only itself.
 */
const STOP_CHECKPOINT_MS = 10_000;

export interface GuestOptions {
  home?: string;
  /** The Docker host's state (images, containers, logs); default $home/store. */
  storeDir?: string;
  /** The engine's background work after boot (warm-up container, netns pool); default on. */
  warmUp?: boolean;
  verbose?: boolean;
  coldBoot?: boolean;
  log?: (line: string) => void;
  watchdog?: BootOptions['watchdog'];
}

export interface NodeGuest {
  machine: Machine;
  daemon: Daemon;
  report: BootReport;
  stop(): Promise<void>;
}

export async function startGuest(options: GuestOptions = {}): Promise<NodeGuest> {
  const log = options.log ?? (options.verbose ? (line: string) => process.stderr.write(`[slipway] ${line}\n`) : () => {});
  const home = options.home ?? slipwayHome();
  const storeDir = options.storeDir ?? join(home, 'store');
  const { machine, report } = await Machine.boot({
    // The disk holds containers' layers and volumes: it goes with the store that names them.
    platform: nodePlatform(home, join(storeDir, 'disk')),
    verbose: options.verbose,
    coldBoot: options.coldBoot,
    watchdog: options.watchdog,
    log,
    onSerial: options.verbose ? (text) => process.stderr.write(text) : undefined,
  });
  const daemon = await Daemon.start(
    machine.port,
    { kernelRelease: report.hello.kernelRelease, agentBuildId: report.hello.buildId },
    { stores: await openNodeStore(storeDir), catalogue: nodeCatalogue(), warmUp: options.warmUp, log },
  );
  const api = daemon.serve();
  const sessions = serveCliSessions(machine.port, daemon);
  let stopped: Promise<void> | null = null;
  return {
    machine,
    daemon,
    report,
    // Once: a signal may arrive while the runner is already stopping after its command ended.
    stop: () =>
      (stopped ??= (async () => {
        // A runner exit is a host shutdown: keep the workspace, volumes and what running
        // containers changed.
        await Promise.race([daemon.checkpoint(), new Promise((r) => setTimeout(r, STOP_CHECKPOINT_MS))]).catch(() => undefined);
        await daemon.close();
        sessions.dispose();
        api.dispose();
        await machine.stop();
      })()),
  };
}
