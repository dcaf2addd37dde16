// BuildKit's progress display (docker build with DOCKER_BUILDKIT=1 or --progress), fed by the
// daemon's trace messages: `plain` prints each vertex as numbered lines (`#5 [2/3] RUN make`,
// `#5 0.215 output`, `#5 DONE 0.3s`); `tty` redraws a block headed `[+] Building 1.2s (6/6)`
// with one ` => ` line per vertex. Both go to stderr, as buildx's do; a failure ends with the
// failed step's last output and `ERROR: failed to solve: …`.

import type { BuildTrace, TraceStatus, TraceVertex } from '../../engine/api/types.ts';

export type { BuildTrace };

interface VertexState extends TraceVertex {
  index: number;
  statuses: TraceStatus[];
  /** Complete output lines with their time since the vertex started. */
  lines: { at: number; text: string }[];
  partial: string;
  printed: boolean;
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(1);
const ERASE_LINE = '\x1b[2K';

export class BuildkitDisplay {
  readonly #write: (text: string) => Promise<void>;
  readonly #mode: 'plain' | 'tty';
  readonly #width: number;
  readonly #now: () => number;
  readonly #started: number;
  readonly #vertexes = new Map<string, VertexState>();
  #drawn = 0;

  constructor(options: { write: (text: string) => Promise<void>; mode: 'plain' | 'tty'; width?: number; now?: () => number }) {
    this.#write = options.write;
    this.#mode = options.mode;
    this.#width = options.width ?? 80;
    this.#now = options.now ?? Date.now;
    this.#started = this.#now();
  }

  async begin(): Promise<void> {
    if (this.#mode === 'plain') await this.#write('#0 building with "default" instance using docker driver\n\n');
  }

  async update(trace: BuildTrace): Promise<void> {
    let out = '';
    for (const v of trace.vertexes ?? []) {
      let state = this.#vertexes.get(v.digest);
      if (!state) {
        state = { ...v, index: this.#vertexes.size + 1, statuses: [], lines: [], partial: '', printed: false };
        this.#vertexes.set(v.digest, state);
      } else Object.assign(state, v);
      if (this.#mode === 'plain') {
        out += this.#header(state);
        if (state.completed !== undefined) out += this.#plainEnd(state);
      }
    }
    for (const s of trace.statuses ?? []) {
      const state = this.#vertexes.get(s.vertex);
      if (!state) continue;
      const known = state.statuses.find((x) => x.id === s.id);
      if (known) Object.assign(known, s);
      else state.statuses.push({ ...s });
      if (this.#mode === 'plain' && s.completed !== undefined) out += `${this.#header(state)}#${state.index} ${s.name} done\n`;
    }
    for (const log of trace.logs ?? []) {
      const state = this.#vertexes.get(log.vertex);
      if (!state) continue;
      const parts = (state.partial + log.data).split('\n');
      state.partial = parts.pop()!;
      const at = log.timestamp - (state.started ?? log.timestamp);
      for (const text of parts) {
        state.lines.push({ at, text });
        if (this.#mode === 'plain') out += `${this.#header(state)}#${state.index} ${(at / 1000).toFixed(3)} ${text}\n`;
      }
    }
    if (this.#mode === 'tty') out = this.#redraw(false);
    if (out) await this.#write(out);
  }

  /** The build ended: the final block (tty), and for a failure the failed step's output and the error. */
  async end(error?: string): Promise<void> {
    let out = this.#mode === 'tty' ? this.#redraw(true) : '';
    if (error !== undefined) {
      const failed = [...this.#vertexes.values()].find((v) => v.error !== undefined);
      if (failed) {
        const lines = failed.lines.slice(-10).map((l) => `${(l.at / 1000).toFixed(3)} ${l.text}\n`);
        out += `------\n > ${failed.name}:\n${lines.join('')}------\n`;
      }
      out += `ERROR: failed to solve: ${error}\n`;
    }
    if (out) await this.#write(out);
  }

  /** plain: a vertex's `#N name` line, once, before anything else of it. */
  #header(state: VertexState): string {
    if (state.printed) return '';
    state.printed = true;
    return `#${state.index} ${state.name}\n`;
  }

  #plainEnd(state: VertexState): string {
    if (state.partial) {
      state.lines.push({ at: (state.completed ?? 0) - (state.started ?? 0), text: state.partial });
      state.partial = '';
    }
    if (state.error !== undefined) return `#${state.index} ERROR: ${state.error}\n`;
    if (state.cached) return `#${state.index} CACHED\n\n`;
    return `#${state.index} DONE ${seconds(state.completed! - (state.started ?? state.completed!))}s\n\n`;
  }

  /** tty: the whole block again, over the one drawn before. */
  #redraw(finished: boolean): string {
    const all = [...this.#vertexes.values()];
    const done = all.filter((v) => v.completed !== undefined).length;
    const now = this.#now();
    const lines: string[] = [];
    const title = `[+] Building ${seconds(now - this.#started)}s (${done}/${all.length})${finished ? ' FINISHED' : ''}`;
    lines.push(this.#row(title, 'docker:default'));
    for (const v of all) {
      const prefix = v.error !== undefined ? 'ERROR ' : v.cached ? 'CACHED ' : '';
      const took = seconds((v.completed ?? now) - (v.started ?? now));
      lines.push(this.#row(` => ${prefix}${v.name}`, `${took}s`));
      for (const s of v.statuses) lines.push(this.#row(` => => ${s.name}`, `${seconds((s.completed ?? now) - (v.started ?? now))}s`));
      // A running step shows its last lines of output.
      if (v.completed === undefined) for (const l of v.lines.slice(-6)) lines.push(this.#row(` => => # ${l.text}`, ''));
    }
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : '';
    this.#drawn = lines.length;
    return up + lines.map((l) => `${ERASE_LINE}${l}\n`).join('');
  }

  /** `text` and `right` on one line of the terminal's width, the text cut to make room. */
  #row(text: string, right: string): string {
    const width = Math.max(40, this.#width);
    const room = width - right.length - 1;
    const left = text.length > room ? text.slice(0, room) : text;
    return right ? left + ' '.repeat(width - left.length - right.length) + right : left;
  }
}
