// The Engine API on a host unix socket: Node's net.Socket adapted to the engine's HttpConnection,
// so the same server that answers the guest's /var/run/docker.sock answers host clients
// (`DOCKER_HOST=unix://PATH docker …`, `curl --unix-socket PATH`).
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { ByteSink } from '../protocol/guest/port.ts';
import { ByteQueue } from '../lib/byte-queue.ts';
import type { HttpApiServer, HttpConnection } from '../engine/api/http/index.ts';

/** Incoming bytes held before the socket is paused: the client waits while a handler is slow. */
const HIGH_WATER_BYTES = 256 * 1024;

/** The socket's incoming bytes, paused while more than HIGH_WATER_BYTES wait for the server. */
function socketSource(socket: Socket): ByteQueue {
  const queue = new ByteQueue((queued) => {
    if (queued <= HIGH_WATER_BYTES && socket.isPaused()) socket.resume();
  });
  socket.on('data', (data: Buffer) => {
    queue.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (queue.queuedBytes > HIGH_WATER_BYTES) socket.pause();
  });
  socket.on('end', () => queue.end());
  socket.on('error', (e) => queue.end(e));
  socket.on('close', () => queue.end());
  return queue;
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
    incoming: socketSource(socket),
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
