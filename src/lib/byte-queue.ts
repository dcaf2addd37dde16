// Chunks handed from a push-style producer (a socket's 'data' events, a test's writes) to one
// pull-style reader: the ByteSource side of an adapter.
import type { ByteSource } from '../protocol/guest/port.ts';

export class ByteQueue implements ByteSource {
  readonly #chunks: Uint8Array[] = [];
  readonly #onRead: (queuedBytes: number) => void;
  #queuedBytes = 0;
  #ended = false;
  #error: unknown = null;
  #wake: (() => void) | null = null;

  /** `onRead` runs after each read with the bytes still queued: where a producer resumes. */
  constructor(onRead: (queuedBytes: number) => void = () => {}) {
    this.#onRead = onRead;
  }

  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Ignored after end(): bytes that arrive after a failure have nowhere to go. */
  push(chunk: Uint8Array): void {
    if (this.#ended || chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#queuedBytes += chunk.length;
    this.#notify();
  }

  /** No more chunks; with an error, the reader gets it after the queued chunks instead of null. */
  end(error: unknown = null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  async read(): Promise<Uint8Array | null> {
    while (this.#chunks.length === 0 && !this.#ended) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    const chunk = this.#chunks.shift();
    if (chunk === undefined) {
      if (this.#error !== null) throw this.#error;
      return null;
    }
    this.#queuedBytes -= chunk.length;
    this.#onRead(this.#queuedBytes);
    return chunk;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let chunk = await this.read(); chunk !== null; chunk = await this.read()) yield chunk;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
