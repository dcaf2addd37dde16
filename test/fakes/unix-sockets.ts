// A recording fake of GuestPort.listenUnix for unit tests of what serves a guest unix socket (the
// Engine API on /var/run/docker.sock): `calls` records listens and disposals, and `connect` plays
// a guest client (curl --unix-socket, the docker CLI) talking to whatever listens at the path.
import type { ByteSink, ByteSource, Disposable, GuestPort, GuestSocket, UnixListenOptions } from '../../src/protocol/guest/port.ts';

export type UnixSocketCall = { op: 'listen'; path: string; mode: number } | { op: 'dispose'; path: string };

/** One direction of a connection: what one side writes, the other reads. */
class Pipe implements ByteSource, ByteSink {
  readonly #chunks: Uint8Array[] = [];
  #ended = false;
  #wake: (() => void) | null = null;

  async write(bytes: Uint8Array | string): Promise<void> {
    if (this.#ended) throw new Error('write after end');
    this.#chunks.push(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes.slice());
    this.#notify();
  }
  end(): void {
    this.#ended = true;
    this.#notify();
  }
  async read(): Promise<Uint8Array | null> {
    while (this.#chunks.length === 0 && !this.#ended) await new Promise<void>((r) => (this.#wake = r));
    return this.#chunks.shift() ?? null;
  }
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let c = await this.read(); c; c = await this.read()) yield c;
  }
  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/** The guest client's end of a connection. */
export interface FakeUnixClient {
  /** Bytes to the listener (its socket's `output`); `end` is the client's shutdown(SHUT_WR). */
  readonly request: ByteSink;
  /** Bytes from the listener (its socket's `input`), ending at its end() or close(). */
  readonly response: ByteSource;
  /** True once the listener called close() on the socket. */
  readonly closed: boolean;
}

export class FakeUnixSockets implements Pick<GuestPort, 'listenUnix'> {
  readonly calls: UnixSocketCall[] = [];
  readonly #listeners = new Map<string, (socket: GuestSocket) => void>();

  listenUnix(path: string, onAccept: (socket: GuestSocket) => void, options: UnixListenOptions = {}): Promise<Disposable> {
    this.calls.push({ op: 'listen', path, mode: options.mode ?? 0o660 });
    this.#listeners.set(path, onAccept);
    return Promise.resolve({
      dispose: () => {
        if (this.#listeners.get(path) !== onAccept) return;
        this.#listeners.delete(path);
        this.calls.push({ op: 'dispose', path });
      },
    });
  }

  /** Connects to the listener at `path`; throws ENOENT as connect(2) would when nothing listens. */
  connect(path: string): FakeUnixClient {
    const onAccept = this.#listeners.get(path);
    if (!onAccept) throw Object.assign(new Error(`connect ${path}: No such file or directory`), { errno: 2 });
    const toListener = new Pipe();
    const toClient = new Pipe();
    const client = { request: toListener, response: toClient, closed: false };
    onAccept({
      input: toClient,
      output: toListener,
      // As the real stream's drop: both directions end; later client writes fail.
      close: () => {
        client.closed = true;
        toClient.end();
        toListener.end();
      },
    });
    return client;
  }
}
