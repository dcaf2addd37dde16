// A request body as a stream: delimited by Content-Length or chunked transfer coding, read
// straight from the connection's buffer (a build context is never held whole). A body that is
// cut short or badly chunked fails its read with an invalid-parameter error; the connection
// cannot be trusted after that and is closed once the response is out.
import type { ByteSource } from '../../../protocol/guest/port.ts';
import { ApiError, invalidParameter } from '../errors.ts';
import type { BodyFraming } from './head.ts';
import { type BufferedReader, LineTooLong, TruncatedInput } from './reader.ts';

/** Go's limit on a chunk-size line (net/http/internal/chunked.go). */
const MAX_CHUNK_LINE = 4096;

export class RequestBody implements ByteSource {
  readonly #reader: BufferedReader;
  readonly #framing: BodyFraming;
  readonly #beforeFirstRead: () => Promise<void>;
  /** Bytes left in the body (length framing) or in the current chunk (chunked). */
  #left: number;
  #started = false;
  #done: boolean;
  #failed = false;
  readonly #doneListeners: (() => void)[] = [];

  /** `beforeFirstRead` runs once, before the first byte is asked for (100-continue). */
  constructor(reader: BufferedReader, framing: BodyFraming, beforeFirstRead: () => Promise<void> = async () => {}) {
    this.#reader = reader;
    this.#framing = framing;
    this.#beforeFirstRead = beforeFirstRead;
    this.#left = framing.kind === 'length' ? framing.length : 0;
    this.#done = framing.kind === 'none';
  }

  get framing(): BodyFraming {
    return this.#framing;
  }

  /** True once the whole body was read (the next request, if any, follows it). */
  get done(): boolean {
    return this.#done;
  }

  /** True when reading it failed: what follows on the connection is not a request boundary. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Whether a read was ever asked for (a 100-continue was owed, then). */
  get started(): boolean {
    return this.#started;
  }

  /** Runs `listener` once the body has been read to its end (at once if it has). */
  onDone(listener: () => void): void {
    if (this.#done) listener();
    else this.#doneListeners.push(listener);
  }

  async read(): Promise<Uint8Array | null> {
    if (this.#done) return null;
    if (this.#failed) throw invalidParameter('request body is broken');
    if (!this.#started) {
      this.#started = true;
      await this.#beforeFirstRead();
    }
    try {
      return this.#framing.kind === 'chunked' ? await this.#readChunked() : await this.#readLength();
    } catch (e) {
      this.#failed = true;
      if (e instanceof ApiError) throw e;
      if (e instanceof TruncatedInput) throw invalidParameter('unexpected EOF');
      if (e instanceof LineTooLong) throw invalidParameter('header line too long');
      throw e;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let chunk = await this.read(); chunk !== null; chunk = await this.read()) yield chunk;
  }

  /**
   * Reads and drops what is left, up to `limit` bytes, so the connection can serve its next
   * request. False when more than that was left or the body was broken.
   */
  async discard(limit: number): Promise<boolean> {
    let budget = limit;
    try {
      while (!this.#done) {
        const chunk = await this.read();
        if (chunk === null) break;
        budget -= chunk.length;
        if (budget < 0) return false;
      }
    } catch {
      return false;
    }
    return true;
  }

  async #readLength(): Promise<Uint8Array | null> {
    const chunk = await this.#reader.read(this.#left);
    if (chunk === null) throw new TruncatedInput();
    this.#left -= chunk.length;
    if (this.#left === 0) this.#finish();
    return chunk;
  }

  async #readChunked(): Promise<Uint8Array | null> {
    if (this.#left === 0) {
      const size = await this.#chunkSize();
      if (size === 0) {
        await this.#skipTrailers();
        this.#finish();
        return null;
      }
      this.#left = size;
    }
    const chunk = await this.#reader.read(this.#left);
    if (chunk === null) throw new TruncatedInput();
    this.#left -= chunk.length;
    if (this.#left === 0) {
      const end = await this.#reader.readLine(2).catch((e: unknown) => {
        throw e instanceof LineTooLong ? invalidParameter('malformed chunked encoding') : e;
      });
      if (end === null) throw new TruncatedInput();
      if (end !== '') throw invalidParameter('malformed chunked encoding');
    }
    return chunk;
  }

  async #chunkSize(): Promise<number> {
    const line = await this.#reader.readLine(MAX_CHUNK_LINE);
    if (line === null) throw new TruncatedInput();
    // Chunk extensions (`;name=value`) carry nothing we use.
    const hex = line.split(';', 1)[0]!.trimEnd();
    if (!/^[0-9a-fA-F]{1,13}$/.test(hex)) throw invalidParameter('invalid byte in chunk length');
    return parseInt(hex, 16);
  }

  async #skipTrailers(): Promise<void> {
    for (;;) {
      const line = await this.#reader.readLine(MAX_CHUNK_LINE);
      if (line === null) throw new TruncatedInput();
      if (line === '') return;
    }
  }

  #finish(): void {
    this.#done = true;
    for (const listener of this.#doneListeners.splice(0)) listener();
  }
}
