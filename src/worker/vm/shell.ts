// Conventions of a shell on the guest, shared by the runner, the worker entry and the tests.
import type { ExitStatus, SpawnOptions } from '../../protocol/guest/port.ts';

export const GUEST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The environment of a login shell on the guest. */
export function shellEnv(term = 'xterm-256color'): string[] {
  return [`PATH=${GUEST_PATH}`, 'HOME=/root', 'USER=root', 'LOGNAME=root', 'SHELL=/bin/bash', `TERM=${term}`];
}

/** A bash login shell in /root: interactive when `command` is absent. */
export function loginShell(command?: string, pty?: { rows: number; cols: number }, term?: string): SpawnOptions {
  return {
    argv: command === undefined ? ['/bin/bash', '-l'] : ['/bin/bash', '-l', '-c', command],
    env: shellEnv(term),
    cwd: '/root',
    pty,
  };
}

/** The code a shell reports for a finished process: its exit code, or 128 + the killing signal. */
export function shellExitCode(status: ExitStatus): number {
  return status.signal ? 128 + status.signal : status.code;
}
