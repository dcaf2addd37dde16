// Pull progress as the daemon streams it (JSON messages) and as the docker CLI prints it
// (moby's jsonmessage.DisplayJSONMessagesStream): without a terminal, messages that carry a
// non-empty progress bar are dropped and everything else is a line; on a terminal, each layer ID
// owns a line that is redrawn in place with cursor movements.
import { humanSize } from '../../lib/units.ts';

export interface ProgressDetail {
  current?: number;
  total?: number;
}

/** One JSON message: `progressDetail` present (even `{}`) marks a per-layer progress update. */
export interface PullEvent {
  id?: string;
  status: string;
  progressDetail?: ProgressDetail;
}

export interface ProgressRenderOptions {
  tty: boolean;
  /** Terminal columns: the bar needs more than 110, the time estimate more than 50. */
  width?: number;
}

const ERASE_LINE = '\x1b[2K';
const up = (n: number) => (n > 0 ? `\x1b[${n}A` : '');
const down = (n: number) => (n > 0 ? `\x1b[${n}B` : '');

/** go-units HumanSize (the jsonmessage progress uses it too). */
export { humanSize };

/** jsonmessage.JSONProgress.String (no time estimate: the daemon sends no start time). */
export function progressString(detail: ProgressDetail, width: number): string {
  const current = detail.current ?? 0;
  const total = detail.total ?? 0;
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current).padStart(8);
  const percentage = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2));
  const bar = width > 110 ? `[${'='.repeat(percentage)}>${' '.repeat(Math.max(0, 50 - percentage))}] ` : '';
  const numbers = current > total ? humanSize(current).padStart(8) : `${humanSize(current).padStart(8)}/${humanSize(total)}`;
  return bar + numbers;
}

/** Turns messages into terminal output one at a time, keeping the line bookkeeping between them. */
export class ProgressRenderer {
  readonly #tty: boolean;
  readonly #width: number;
  #lines = new Map<string, number>();

  constructor(options: ProgressRenderOptions) {
    this.#tty = options.tty;
    this.#width = options.width ?? 80;
  }

  render(event: PullEvent): string {
    let out = '';
    let diff = 0;
    const detail = event.progressDetail;
    if (event.id !== undefined && event.id !== '' && detail !== undefined) {
      let line = this.#lines.get(event.id);
      if (line === undefined) {
        line = this.#lines.size;
        this.#lines.set(event.id, line);
        if (this.#tty) out += '\n';
      }
      diff = this.#lines.size - line;
      if (this.#tty) out += up(diff);
    } else {
      // A line without progress ends the block of redrawn lines.
      this.#lines = new Map();
    }
    out += this.#display(event);
    if (event.id && this.#tty) out += down(diff);
    return out;
  }

  #display(event: PullEvent): string {
    const detail = event.progressDetail;
    let out = '';
    let endl = '';
    if (this.#tty && detail !== undefined) {
      out += `${ERASE_LINE}\r`;
      endl = '\r';
    } else if (detail !== undefined && progressString(detail, this.#width) !== '') {
      return '';
    }
    if (event.id) out += `${event.id}: `;
    if (detail !== undefined && this.#tty) return `${out}${event.status} ${progressString(detail, this.#width)}${endl}`;
    return `${out}${event.status}${endl}\n`;
  }
}

/** The whole output for a list of messages. */
export function renderPullProgress(events: readonly PullEvent[], options: ProgressRenderOptions): string {
  const renderer = new ProgressRenderer(options);
  return events.map((e) => renderer.render(e)).join('');
}
