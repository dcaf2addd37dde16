// Linux signal names and numbers (i386), as `docker kill -s` and `--stop-signal` accept them:
// `KILL`, `SIGKILL`, `sigkill` and `9` are the same signal.
import { DaemonError } from './state.ts';

export const SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11,
  USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21,
  TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31,
};

const SIGRTMIN = 34;
const SIGRTMAX = 64;

/** Parses a signal as Docker's signal.ParseSignal does; throws Docker's error for bad input. */
export function signalNumber(signal: string | number): number {
  if (typeof signal === 'number') return signal;
  const text = signal.trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n === 0 || n > SIGRTMAX) throw new DaemonError(`Invalid signal: ${signal}`, 'invalid-parameter');
    return n;
  }
  const name = text.toUpperCase().replace(/^SIG/, '');
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(name) ?? /^RTMAX(?:-(\d+))?$/.exec(name);
  if (rt) return name.startsWith('RTMIN') ? SIGRTMIN + Number(rt[1] ?? 0) : SIGRTMAX - Number(rt[1] ?? 0);
  const n = SIGNALS[name];
  if (n === undefined) throw new DaemonError(`Invalid signal: ${signal}`, 'invalid-parameter');
  return n;
}
