import { CREDIT_BATCH, INITIAL_WINDOW } from './constants.ts';

/** The sender's view of one (stream, chan): how many more bytes the receiver accepts. */
export class SendWindow {
  #available: number;

  constructor(initial = INITIAL_WINDOW) {
    this.#available = initial;
  }

  get available(): number {
    return this.#available;
  }

  /** Takes up to `wanted` bytes of window; returns how many may be sent now (possibly 0). */
  take(wanted: number): number {
    const n = Math.min(wanted, this.#available);
    this.#available -= n;
    return n;
  }

  grant(bytes: number): void {
    this.#available += bytes;
  }
}

/** The receiver's view: counts consumed bytes and says when to send a CREDIT frame. */
export class ReceiveWindow {
  #outstanding: number;
  #unacknowledged = 0;

  constructor(initial = INITIAL_WINDOW) {
    this.#outstanding = initial;
  }

  /** Bytes arrived. Returns false when the sender overran its window (a protocol violation). */
  received(bytes: number): boolean {
    this.#outstanding -= bytes;
    return this.#outstanding >= 0;
  }

  /** Bytes consumed; returns the credit to send now (0 = keep batching). */
  consumed(bytes: number, idle = false): number {
    this.#unacknowledged += bytes;
    if (this.#unacknowledged === 0) return 0;
    if (!idle && this.#unacknowledged < CREDIT_BATCH) return 0;
    const credit = this.#unacknowledged;
    this.#unacknowledged = 0;
    this.#outstanding += credit;
    return credit;
  }

  /** Flushes any batched credit (when the consumer goes idle). */
  flush(): number {
    return this.consumed(0, true);
  }
}
