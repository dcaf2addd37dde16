// Writes queued from callbacks (events, pull progress, container output) that must reach the
// client in order without the callback awaiting them. A failed write (the client went away) must
// not become an unhandled rejection: it is kept, later writes are skipped, and `settled` reports it.

export class OrderedWrites {
  #tail: Promise<void> = Promise.resolve();
  #error: unknown = null;

  /** Queues `write` after everything queued before; skipped once a write has failed. */
  push(write: () => Promise<void>): void {
    this.#tail = this.#tail.then(async () => {
      if (this.#error !== null) return;
      try {
        await write();
      } catch (e) {
        this.#error = e;
      }
    });
  }

  /** True once a write failed. */
  get failed(): boolean {
    return this.#error !== null;
  }

  /** Resolves when everything queued so far was written; rejects with the first failure. */
  async settled(): Promise<void> {
    await this.#tail;
    if (this.#error !== null) throw this.#error;
  }
}
