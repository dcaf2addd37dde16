// Go's bufio.Scanner with the parser's split function: lines keep their "\n", and a line longer
// than the scanner's 64 KiB buffer stops the scan with an error.
import { utf8Length } from './go-strings.ts';

/** bufio.MaxScanTokenSize: the largest line, newline included, in bytes. */
const maxLineBytes = 64 * 1024;

export class LineScanner {
  readonly #text: string;
  #pos = 0;
  /** Set once a line was too long; scanning has stopped. */
  error: string | null = null;

  constructor(text: string) {
    this.#text = text;
  }

  /** The next line with its "\n" (the last line may lack it), or null at the end or on error. */
  scan(): string | null {
    if (this.error !== null || this.#pos >= this.#text.length) return null;
    const newline = this.#text.indexOf('\n', this.#pos);
    const end = newline < 0 ? this.#text.length : newline + 1;
    const line = this.#text.slice(this.#pos, end);
    // Without a newline the buffer must also leave room to see the end of the input.
    const limit = newline < 0 ? maxLineBytes - 1 : maxLineBytes;
    if (line.length * 3 > limit && utf8Length(line) > limit) {
      this.error = `dockerfile line greater than max allowed size of ${maxLineBytes - 1}`;
      return null;
    }
    this.#pos = end;
    return line;
  }
}
