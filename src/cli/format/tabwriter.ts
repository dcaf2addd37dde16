// Go's text/tabwriter as docker/cli's fork configures it for tables: tab-terminated cells are
// aligned per column block, cell width by display cells (runewidth), the last cell of a line is
// not aligned, and a line without tabs ends a column block.
import { stringWidth } from './runewidth.ts';

interface Cell {
  text: string;
  width: number;
  /** Terminated by a tab (vs. \v, \n, \f). */
  htab: boolean;
}

export interface TabwriterOptions {
  minwidth: number;
  tabwidth: number;
  padding: number;
  padchar: string;
  /** Go's DiscardEmptyColumns flag. */
  discardEmptyColumns?: boolean;
}

/** What docker/cli uses: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0). */
export const DOCKER_TABLE: TabwriterOptions = { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ' };

export class Tabwriter {
  #out = '';
  #lines: Cell[][] = [[]];
  #cell = '';
  #widths: number[] = [];

  constructor(readonly opts: TabwriterOptions = DOCKER_TABLE) {}

  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.#cell += text.slice(start, i);
      start = i + 1;
      const ncells = this.#terminateCell(ch === '\t');
      if (ch === '\n' || ch === '\f') {
        this.#lines.push([]);
        // A line with a single cell cannot be part of a column: flush what came before.
        if (ch === '\f' || ncells === 1) this.#flushLines();
      }
    }
    this.#cell += text.slice(start);
  }

  /** Formats everything buffered and returns the output produced so far. */
  flush(): string {
    if (this.#cell.length > 0) this.#terminateCell(false);
    this.#flushLines();
    const out = this.#out;
    this.#out = '';
    return out;
  }

  #terminateCell(htab: boolean): number {
    const line = this.#lines[this.#lines.length - 1]!;
    line.push({ text: this.#cell, width: stringWidth(this.#cell), htab });
    this.#cell = '';
    return line.length;
  }

  #flushLines() {
    this.#format(0, this.#lines.length);
    this.#lines = [[]];
    this.#widths = [];
  }

  #format(line0: number, line1: number): void {
    const column = this.#widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= this.#lines[row]!.length - 1) continue;
      // A block of lines with a cell in this column starts here.
      this.#writeLines(line0, row);
      line0 = row;
      let width = this.opts.minwidth;
      let discardable = true;
      for (; row < line1; row++) {
        const line = this.#lines[row]!;
        if (column >= line.length - 1) break;
        const c = line[column]!;
        width = Math.max(width, c.width + this.opts.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.opts.discardEmptyColumns) width = 0;
      this.#widths.push(width);
      this.#format(line0, row);
      this.#widths.pop();
      line0 = row;
    }
    this.#writeLines(line0, line1);
  }

  #writeLines(line0: number, line1: number) {
    for (let i = line0; i < line1; i++) {
      const line = this.#lines[i]!;
      line.forEach((c, j) => {
        this.#out += c.text;
        if (j < this.#widths.length) this.#out += this.opts.padchar.repeat(Math.max(0, this.#widths[j]! - c.width));
      });
      // The last line is the one still being collected: it has no newline yet.
      if (i + 1 < this.#lines.length) this.#out += '\n';
    }
  }
}

/** Aligns `text` in one go, as Docker does for a whole table. */
export function tabwrite(text: string, opts: TabwriterOptions = DOCKER_TABLE): string {
  const w = new Tabwriter(opts);
  w.write(text);
  return w.flush();
}
