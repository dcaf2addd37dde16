// Boots a guest under Node with the daemon attached: the runner, tests and benchmarks share this.
import { Daemon } from '../engine/daemon.ts';
import { nodePlatform, slipwayHome } from '../platform/node.ts';
import { Machine, type BootOptions, type BootReport } from '../worker/vm/machine.ts';

export interface GuestOptions {
  home?: string;
  verbose?: boolean;
  coldBoot?: boolean;
  log?: (line: string) => void;
  watchdog?: BootOptions['watchdog'];
}

export interface NodeGuest {
  machine: Machine;
  report: BootReport;
  stop(): Promise<void>;
}

export async function startGuest(options: GuestOptions = {}): Promise<NodeGuest> {
  const log = options.log ?? (options.verbose ? (line: string) => process.stderr.write(`[slipway] ${line}\n`) : () => {});
  const { machine, report } = await Machine.boot({
    platform: nodePlatform(options.home ?? slipwayHome()),
    verbose: options.verbose,
    coldBoot: options.coldBoot,
    watchdog: options.watchdog,
    log,
    onSerial: options.verbose ? (text) => process.stderr.write(text) : undefined,
  });
  const daemon = new Daemon(machine.port, { kernelRelease: report.hello.kernelRelease, agentBuildId: report.hello.buildId });
  const serving = daemon.serve();
  return {
    machine,
    report,
    stop: async () => {
      serving.dispose();
      await machine.stop();
    },
  };
}
