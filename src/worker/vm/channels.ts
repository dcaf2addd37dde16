// Flow-controlled byte channels of one stream: Inbound (guest → host) and Outbound (host → guest).
import { MAX_PAYLOAD } from '../../protocol/guest/constants.ts';
import { ReceiveWindow, SendWindow } from '../../protocol/guest/flow.ts';
import type { ByteSink, ByteSource } from '../../protocol/guest/port.ts';

const encoder = new TextEncoder();

/** Guest → host bytes. Buffers at most one window; credit goes back as the consumer reads. */
export class Inbound implements ByteSource {
  #chunks: Uint8Array[] = [];
  #ended = false;
  #error: Error | null = null;
  #wake: (() => void) | null = null;
  readonly #window = new ReceiveWindow();
  readonly #sendCredit: (bytes: number) => void;

  constructor(sendCredit: (bytes: number) => void) {
    this.#sendCredit = sendCredit;
  }

  /** Returns false if the sender overran its window. */
  push(bytes: Uint8Array): boolean {
    if (this.#ended) return true;
    const ok = this.#window.received(bytes.length);
    this.#chunks.push(bytes);
    this.#notify();
    return ok;
  }

  end(error: Error | null = null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  get ended(): boolean {
    return this.#ended;
  }

  async read(): Promise<Uint8Array | null> {
    while (this.#chunks.length === 0 && !this.#ended) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    const chunk = this.#chunks.shift();
    if (chunk === undefined) {
      if (this.#error) throw this.#error;
      return null;
    }
    const credit = this.#window.consumed(chunk.length, this.#chunks.length === 0);
    if (credit > 0 && !this.#ended) this.#sendCredit(credit);
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

interface PendingWrite {
  bytes: Uint8Array;
  offset: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** Host → guest bytes. Sends only inside the receiver's window; `write` resolves when all sent. */
export class Outbound implements ByteSink {
  #queue: PendingWrite[] = [];
  #ending = false;
  #closed: Error | null = null;
  readonly #window = new SendWindow();
  readonly #sendData: (bytes: Uint8Array) => void;
  readonly #sendEof: () => void;

  constructor(sendData: (bytes: Uint8Array) => void, sendEof: () => void) {
    this.#sendData = sendData;
    this.#sendEof = sendEof;
  }

  write(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    if (this.#closed) return Promise.reject(this.#closed);
    if (this.#ending) return Promise.reject(new Error('write after end'));
    if (bytes.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#queue.push({ bytes, offset: 0, resolve, reject });
      this.#pump();
    });
  }

  end(): void {
    if (this.#ending || this.#closed) return;
    this.#ending = true;
    this.#pump();
  }

  grant(bytes: number): void {
    this.#window.grant(bytes);
    this.#pump();
  }

  /** The stream is gone: pending writes fail, later writes fail. */
  close(error: Error): void {
    if (this.#closed) return;
    this.#closed = error;
    for (const w of this.#queue.splice(0)) w.reject(error);
  }

  #pump(): void {
    if (this.#closed) return;
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const n = this.#window.take(Math.min(head.bytes.length - head.offset, MAX_PAYLOAD));
      if (n === 0) return;
      this.#sendData(head.bytes.subarray(head.offset, head.offset + n));
      head.offset += n;
      if (head.offset === head.bytes.length) {
        this.#queue.shift();
        head.resolve();
      }
    }
    if (this.#ending) {
      this.#ending = false;
      this.#closed = new Error('write after end');
      this.#sendEof();
    }
  }
}
