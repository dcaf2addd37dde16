// A buffer in front of the connection's incoming bytes: request heads are read line by line,
// bodies chunk by chunk without copying, and whatever was read past a request stays for the next
// one (or for a hijacked stream). One pull from the source is in flight at a time, so the
// server's watch for a vanished client and the next request's parse can share the reader.
import type { ByteSource } from '../../../protocol/guest/port.ts';

const EMPTY: Uint8Array = new Uint8Array(0);
/** Heads are ASCII by the rules; a client that sends UTF-8 in a header value means UTF-8. */
const utf8 = new TextDecoder();

export class BufferedReader {
  readonly #source: ByteSource;
  #buffer: Uint8Array = EMPTY;
  #pos = 0;
  #eof = false;
  #error: unknown = null;
  #pulling: Promise<void> | null = null;

  constructor(source: ByteSource) {
    this.#source = source;
  }

  /** Bytes buffered and not yet consumed. */
  get buffered(): number {
    return this.#buffer.length - this.#pos;
  }

  /** True once the source ended (or failed) and every buffered byte was consumed. */
  get exhausted(): boolean {
    return this.#eof && this.buffered === 0;
  }

  /** The source's failure, if it failed rather than ended. */
  get error(): unknown {
    return this.#error;
  }

  /** Pulls one more chunk into the buffer; resolves without growth at end of stream. */
  fill(): Promise<void> {
    this.#pulling ??= this.#pull().finally(() => (this.#pulling = null));
    return this.#pulling;
  }

  async #pull(): Promise<void> {
    if (this.#eof) return;
    try {
      const chunk = await this.#source.read();
      if (chunk === null) this.#eof = true;
      else this.#append(chunk);
    } catch (e) {
      this.#eof = true;
      this.#error = e;
    }
  }

  #append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.buffered === 0) {
      this.#buffer = chunk;
      this.#pos = 0;
      return;
    }
    const joined = new Uint8Array(this.buffered + chunk.length);
    joined.set(this.#buffer.subarray(this.#pos));
    joined.set(chunk, this.buffered);
    this.#buffer = joined;
    this.#pos = 0;
  }

  /**
   * One line without its LF (and CR before it), or null at end of stream with nothing buffered.
   * Throws LineTooLong once `limit` bytes arrived without a line end, and TruncatedInput when the
   * stream ends inside a line.
   */
  async readLine(limit: number): Promise<string | null> {
    let scanned = 0;
    for (;;) {
      const lf = this.#buffer.indexOf(0x0a, this.#pos + scanned);
      if (lf >= 0) {
        if (lf - this.#pos > limit) throw new LineTooLong();
        const end = lf > this.#pos && this.#buffer[lf - 1] === 0x0d ? lf - 1 : lf;
        const line = utf8.decode(this.#buffer.subarray(this.#pos, end));
        this.#pos = lf + 1;
        return line;
      }
      scanned = this.buffered;
      if (scanned > limit) throw new LineTooLong();
      if (this.#eof) {
        if (scanned === 0) return null;
        throw new TruncatedInput();
      }
      await this.fill();
    }
  }

  /** Up to `max` bytes (a view, not a copy), or null at end of stream. */
  async read(max = Infinity): Promise<Uint8Array | null> {
    while (this.buffered === 0) {
      if (this.#eof) return null;
      await this.fill();
    }
    const n = Math.min(max, this.buffered);
    const out = this.#buffer.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  /** The rest of the stream, buffered bytes first: what a hijacked handler reads. */
  rest(): ByteSource {
    const read = () => this.read();
    return {
      read,
      async *[Symbol.asyncIterator]() {
        for (let chunk = await read(); chunk !== null; chunk = await read()) yield chunk;
      },
    };
  }
}

export class LineTooLong extends Error {
  override name = 'LineTooLong';
}

export class TruncatedInput extends Error {
  override name = 'TruncatedInput';
}

