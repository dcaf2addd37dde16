// The one transport the HTTP server needs: a duplex byte stream with a client at the other end.
// The guest relays /var/run/docker.sock as a GuestSocket; the Node runner adapts a net.Socket.
import type { ByteSink, ByteSource, GuestSocket } from '../../../protocol/guest/port.ts';

export interface HttpConnection {
  /** Bytes from the client: requests, and after a hijack the client's raw stream. */
  readonly incoming: ByteSource;
  /** Bytes to the client. A write after the client went away rejects. */
  readonly outgoing: ByteSink;
  /** Resolves when the transport knows the client is gone in both directions (optional). */
  readonly gone?: Promise<void>;
  /** Drops the connection in both directions at once. */
  close(): void;
}

/**
 * A socket accepted on the guest's docker.sock. GuestSocket is named from the guest's side:
 * its `output` is what the guest sends (the client's requests), its `input` goes to the guest.
 */
export function guestSocketConnection(socket: GuestSocket): HttpConnection {
  return { incoming: socket.output, outgoing: socket.input, close: () => socket.close() };
}

/** A write was refused because the client went away; the server treats it as the end of the request. */
export class ClientGoneError extends Error {
  override name = 'ClientGoneError';
  constructor(cause?: unknown) {
    super('the client went away', { cause });
  }
}

/**
 * The connection's outgoing side as every response writer uses it: the first failed write marks
 * the client gone, and every later write fails at once with ClientGoneError instead of reaching
 * a dead transport. Writes are serialised so interleaved callers cannot reorder bytes.
 */
export class GuardedSink implements ByteSink {
  readonly #sink: ByteSink;
  readonly #onGone: () => void;
  #gone = false;
  #ended = false;
  #tail: Promise<void> = Promise.resolve();

  constructor(sink: ByteSink, onGone: () => void) {
    this.#sink = sink;
    this.#onGone = onGone;
  }

  get gone(): boolean {
    return this.#gone;
  }

  write(bytes: Uint8Array | string): Promise<void> {
    const next = this.#tail.then(async () => {
      if (this.#gone || this.#ended) throw new ClientGoneError();
      try {
        await this.#sink.write(bytes);
      } catch (e) {
        this.markGone();
        throw new ClientGoneError(e);
      }
    });
    this.#tail = next.catch(() => {});
    return next;
  }

  /** Half-closes once everything written so far has gone out. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    void this.#tail.then(() => {
      if (this.#gone) return;
      try {
        this.#sink.end();
      } catch {
        this.markGone();
      }
    });
  }

  /** Resolves when every write so far has settled. */
  settled(): Promise<void> {
    return this.#tail;
  }

  markGone(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#onGone();
  }
}
