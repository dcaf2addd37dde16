// A queue between a producer that must not run ahead (a container's output pump) and one async
// consumer: push() settles when the item was taken, so at most one item per producer waits here.
// close() ends iteration after what is queued; a consumer that stops iterating releases producers.
export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #items: { value: T; taken: () => void }[] = [];
  #wake: (() => void) | null = null;
  #closed = false;
  #error: { reason: unknown } | null = null;

  /** Resolves once the consumer took `value` (at once when the queue is closed). */
  push(value: T): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise<void>((taken) => {
      this.#items.push({ value, taken });
      this.#wake?.();
    });
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  /** Ends iteration with `reason` thrown after what is queued. */
  fail(reason: unknown): void {
    this.#error = { reason };
    this.close();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        const item = this.#items.shift();
        if (item) {
          item.taken();
          yield item.value;
          continue;
        }
        if (this.#closed) {
          if (this.#error) throw this.#error.reason;
          return;
        }
        await new Promise<void>((r) => (this.#wake = r));
        this.#wake = null;
      }
    } finally {
      // The consumer left: nobody will take the rest.
      this.#closed = true;
      for (const item of this.#items.splice(0)) item.taken();
    }
  }
}
