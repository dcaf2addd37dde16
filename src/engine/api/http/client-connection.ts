// One client's connection as the server sees it across its requests: the buffered reader, the
// guarded writer, and the knowledge of whether the client is still there.
import { BufferedReader } from './reader.ts';
import { GuardedSink, type HttpConnection } from './connection.ts';

export class ClientConnection {
  readonly reader: BufferedReader;
  readonly sink: GuardedSink;
  readonly #transport: HttpConnection;
  readonly #goneListeners = new Set<() => void>();
  #gone = false;
  #watching = false;
  #closed = false;

  constructor(transport: HttpConnection) {
    this.#transport = transport;
    this.reader = new BufferedReader(transport.incoming);
    this.sink = new GuardedSink(transport.outgoing, () => this.#markGone());
    transport.gone?.then(
      () => this.#markGone(),
      () => this.#markGone(),
    );
  }

  /** True once the client is known to have gone (or half-closed during a request). */
  get gone(): boolean {
    return this.#gone;
  }

  /** Calls `listener` once when the client goes; returns the unsubscriber. */
  onGone(listener: () => void): () => void {
    if (this.#gone) {
      listener();
      return () => {};
    }
    this.#goneListeners.add(listener);
    return () => this.#goneListeners.delete(listener);
  }

  /**
   * While a request is being answered and its body is read, a read that finds the end of the
   * input means the client left (Go's background read, which cancels the request's context).
   * Bytes that arrive instead are kept: they are the next request.
   */
  watchInput(): void {
    if (this.#watching || this.reader.buffered > 0 || this.reader.exhausted) {
      if (this.reader.exhausted) this.#markGone();
      return;
    }
    this.#watching = true;
    void this.reader.fill().then(() => {
      if (this.#watching && this.reader.exhausted) this.#markGone();
      this.#watching = false;
    });
  }

  /** The request is answered, or hijacked: the end of input no longer means the client left. */
  stopWatchingInput(): void {
    this.#watching = false;
  }

  /**
   * Half-closes, reads what the client still sends for up to `lingerMs` (closing a socket with
   * unread input makes the peer's reads fail before it sees the response), then closes.
   */
  async close(lingerMs: number): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.sink.end();
    // A client that stopped reading holds writes back; one that left will never take them.
    const left = new Promise<void>((resolve) => this.onGone(resolve));
    await Promise.race([this.sink.settled(), left]);
    if (!this.#gone && !this.reader.exhausted) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, lingerMs)));
      const drain = (async () => {
        while ((await this.reader.read()) !== null);
      })();
      await Promise.race([drain, timeout]);
      clearTimeout(timer);
    }
    this.abort();
  }

  /** Drops the transport at once. */
  abort(): void {
    this.#closed = true;
    try {
      this.#transport.close();
    } catch {
      // Already gone: nothing to drop.
    }
    this.#markGone();
  }

  #markGone(): void {
    if (this.#gone) return;
    this.#gone = true;
    for (const listener of [...this.#goneListeners]) listener();
    this.#goneListeners.clear();
  }
}
