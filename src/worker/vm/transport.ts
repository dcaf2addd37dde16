// Host → guest byte pacing for one virtio console port. v86 drops bytes when the guest has no
// receive buffer posted and truncates sends above one buffer (4 KiB), so we queue here and feed
// the port one chunk per posted buffer, polling the queue while bytes wait.
import { VmTunables } from './tunables.ts';

export interface ReceiveQueue {
  /** True when the guest has posted a receive buffer for the port. */
  hasBuffer(): boolean;
  /** Hands one chunk (≤ one buffer) to the guest. */
  deliver(chunk: Uint8Array): void;
}

export class PacedSender {
  #chunks: Uint8Array[] = [];
  #offset = 0;
  #scheduled = false;
  #stopped = false;
  readonly #queue: ReceiveQueue;
  readonly #schedule: (fn: () => void) => void;

  constructor(queue: ReceiveQueue, schedule: (fn: () => void) => void) {
    this.#queue = queue;
    this.#schedule = schedule;
  }

  send(bytes: Uint8Array): void {
    if (this.#stopped || bytes.length === 0) return;
    this.#chunks.push(bytes);
    this.#pump();
  }

  get queuedBytes(): number {
    return this.#chunks.reduce((n, c) => n + c.length, 0) - this.#offset;
  }

  stop(): void {
    this.#stopped = true;
    this.#chunks = [];
  }

  #pump = (): void => {
    this.#scheduled = false;
    while (this.#chunks.length > 0 && !this.#stopped) {
      if (!this.#queue.hasBuffer()) {
        if (!this.#scheduled) {
          this.#scheduled = true;
          this.#schedule(this.#pump);
        }
        return;
      }
      this.#queue.deliver(this.#nextChunk());
    }
  };

  /** Up to maxSendChunk bytes, coalescing small frames so each guest buffer is well used. */
  #nextChunk(): Uint8Array {
    const max = VmTunables.maxSendChunk;
    const head = this.#chunks[0]!;
    if (head.length - this.#offset >= max) {
      const chunk = head.subarray(this.#offset, this.#offset + max);
      this.#advance(max);
      return chunk;
    }
    const out = new Uint8Array(Math.min(max, this.queuedBytes));
    let filled = 0;
    while (filled < out.length) {
      const c = this.#chunks[0]!;
      const n = Math.min(c.length - this.#offset, out.length - filled);
      out.set(c.subarray(this.#offset, this.#offset + n), filled);
      filled += n;
      this.#advance(n);
    }
    return out;
  }

  #advance(n: number): void {
    this.#offset += n;
    if (this.#offset === this.#chunks[0]!.length) {
      this.#chunks.shift();
      this.#offset = 0;
    }
  }
}
