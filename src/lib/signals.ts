// --stop-signal and --detach-keys syntaxes (moby/sys/signal, moby/term ToBytes).

/** Linux signal numbers by name (i386). */
export const linuxSignals: Readonly<Record<string, number>> = {
  ABRT: 6, ALRM: 14, BUS: 7, CHLD: 17, CLD: 17, CONT: 18, FPE: 8, HUP: 1, ILL: 4, INT: 2, IO: 29, IOT: 6,
  KILL: 9, PIPE: 13, POLL: 29, PROF: 27, PWR: 30, QUIT: 3, SEGV: 11, STKFLT: 16, STOP: 19, SYS: 31, TERM: 15,
  TRAP: 5, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, USR1: 10, USR2: 12, VTALRM: 26, WINCH: 28, XCPU: 24, XFSZ: 25,
};

/** signal.ParseSignal: "SIGTERM", "TERM", "15", "RTMIN+3" → number, or undefined when invalid. */
export function parseSignal(raw: string): number | undefined {
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    return n >= 1 && n <= 64 ? n : undefined;
  }
  const name = raw.toUpperCase().replace(/^SIG/, '');
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(name) ?? /^RTMAX(?:-(\d+))?$/.exec(name);
  if (rt) {
    const offset = Number(rt[1] ?? 0);
    const n = name.startsWith('RTMIN') ? 34 + offset : 64 - offset;
    return n >= 34 && n <= 64 ? n : undefined;
  }
  return linuxSignals[name];
}

/** moby/term ToBytes: "ctrl-p,ctrl-q" → [16, 17]; throws Docker's text for bad keys. */
export function parseDetachKeys(keys: string): number[] {
  const out: number[] = [];
  for (const key of keys.split(',')) {
    if (key.length > 1) {
      const lower = key.toLowerCase();
      if (!lower.startsWith('ctrl-') || key.length !== 6) throw new Error(`Unknown character: '${key}'`);
      const c = lower[5]!;
      const code = c.charCodeAt(0);
      if (c >= 'a' && c <= 'z') out.push(code - 96);
      else if ('@[\\]^_'.includes(c)) out.push(code - 64);
      else throw new Error(`Unknown character: '${key}'`);
    } else {
      out.push(key.charCodeAt(0));
    }
  }
  return out;
}
