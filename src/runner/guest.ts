// Boots a guest under Node with the daemon attached: the runner, tests and benchmarks share this.
import { Daemon } from '../engine/daemon.ts';
import { nodePlatform, slipwayHome } from '../platform/node.ts';
import type { SpawnOptions } from '../protocol/guest/port.ts';
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

/** The environment of a login shell on the guest. */
export function shellEnv(term = 'xterm-256color'): string[] {
  return [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'HOME=/root',
    'USER=root',
    'LOGNAME=root',
    'SHELL=/bin/bash',
    `TERM=${term}`,
  ];
}

/** A bash login shell (interactive when `command` is absent). */
export function loginShell(command?: string, pty?: { rows: number; cols: number }): SpawnOptions {
  return {
    argv: command === undefined ? ['/bin/bash', '-l'] : ['/bin/bash', '-l', '-c', command],
    env: shellEnv(process.env.TERM),
    cwd: '/root',
    pty,
  };
}
