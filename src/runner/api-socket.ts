// The Engine API on a host unix socket: Node's net.Socket adapted to the engine's HttpConnection,
// so the same server that answers the guest's /var/run/docker.sock answers host clients
// (`DOCKER_HOST=unix://PATH docker …`, `curl --unix-socket PATH`).
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { ByteSink, ByteSource } from '../protocol/guest/port.ts';
import type { HttpConnection } from '../engine/api/http/connection.ts';
import type { HttpApiServer } from '../engine/api/http/server.ts';

/** Incoming bytes held before the socket is paused: the client waits while a handler is slow. */
const HIGH_WATER_BYTES = 256 * 1024;

class SocketSource implements ByteSource {
  readonly #socket: Socket;
  readonly #chunks: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #error: Error | null = null;
  #wake: (() => void) | null = null;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (data: Buffer) => {
      this.#chunks.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      this.#queued += data.byteLength;
      if (this.#queued > HIGH_WATER_BYTES) socket.pause();
      this.#notify();
    });
    socket.on('end', () => this.#finish(null));
    socket.on('error', (e) => this.#finish(e));
    socket.on('close', () => this.#finish(null));
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
    this.#queued -= chunk.length;
    if (this.#queued <= HIGH_WATER_BYTES && this.#socket.isPaused()) this.#socket.resume();
    return chunk;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let chunk = await this.read(); chunk !== null; chunk = await this.read()) yield chunk;
  }

  #finish(error: Error | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/** A connected socket as the API server's transport. The server must allow half-open sockets. */
export function socketConnection(socket: Socket): HttpConnection {
  const outgoing: ByteSink = {
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed || !socket.writable) {
          reject(new Error('socket closed'));
          return;
        }
        // The callback fires once the bytes are with the kernel: that is the backpressure.
        socket.write(bytes, (e) => (e ? reject(e) : resolve()));
      }),
    end: () => {
      if (!socket.destroyed) socket.end();
    },
  };
  return {
    incoming: new SocketSource(socket),
    outgoing,
    gone: new Promise<void>((resolve) => socket.once('close', () => resolve())),
    close: () => socket.destroy(),
  };
}

export interface ApiSocketListener {
  readonly path: string;
  /** Stops accepting, drops this socket's connections (their handlers see `closed`), removes the socket file. */
  close(): Promise<void>;
}

/** Serves the API on a unix socket at `path`, replacing a stale socket file there (as dockerd does). */
export async function listenApiSocket(path: string, api: HttpApiServer): Promise<ApiSocketListener> {
  rmSync(path, { force: true });
  // Half-open: a hijacked client half-closes when its stdin ends and still reads the output.
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    void api.serve(socketConnection(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    path,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      rmSync(path, { force: true });
    },
  };
}
