// The Engine API's HTTP/1.1 server over any duplex byte stream: it reads requests one after
// another on a connection, routes them as moby's API server does (version prefix, the version
// check, "page not found"), and writes each handler's answer. Nothing a client does — garbage,
// leaving mid-stream, never reading — throws out of serve().
import { ENGINE_VERSION } from '../../version.ts';
import { RequestBody } from './body.ts';
import { ClientConnection } from './client-connection.ts';
import type { HttpConnection } from './connection.ts';
import { type Exchange, route } from './dispatch.ts';
import { bodyFraming, HttpParseError, readRequestHead, type RequestHead } from './head.ts';
import { answer, plainResponse } from './respond.ts';
import type { Router } from './router.ts';
import { statusText } from './wire.ts';

/** Bounds the server keeps per connection; each is Go net/http's, which moby runs on. */
export const HttpLimits = {
  /** DefaultMaxHeaderBytes: a request head past 1 MiB is answered 431. */
  maxHeadBytes: 1 << 20,
  /** maxPostHandlerReadBytes: a body the handler left unread is skipped up to 256 KiB to keep the connection. */
  maxDiscardBytes: 256 << 10,
  /** ParseForm's cap on a urlencoded form body (10 MiB). */
  maxFormBytes: 10 << 20,
  /** rstAvoidanceDelay: how long a closing connection keeps reading what the client still sends. */
  lingerMs: 500,
} as const;

export interface HttpServerOptions {
  readonly router: Router;
  /** The daemon version in `Server: Docker/<version> (linux)`; moby's dockerversion.Version. */
  readonly engineVersion?: string;
  readonly experimental?: boolean;
  /** Handler failures answered 5xx, as moby logs them. */
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
  readonly limits?: Partial<Record<keyof typeof HttpLimits, number>>;
  /** Hears each request's head before it is answered. */
  readonly onRequest?: (head: RequestHead) => void;
}

/** The options with their defaults filled in, as the request code reads them. */
export interface ServerSettings {
  readonly router: Router;
  readonly engineVersion: string;
  readonly experimental: boolean;
  readonly log: (line: string) => void;
  readonly now: () => Date;
  readonly limits: Record<keyof typeof HttpLimits, number>;
  readonly onRequest: (head: RequestHead) => void;
}

export class HttpApiServer {
  readonly #settings: ServerSettings;
  readonly #connections = new Set<ClientConnection>();

  constructor(options: HttpServerOptions) {
    this.#settings = {
      router: options.router,
      engineVersion: options.engineVersion ?? ENGINE_VERSION,
      experimental: options.experimental ?? false,
      log: options.log ?? (() => {}),
      now: options.now ?? (() => new Date()),
      limits: { ...HttpLimits, ...options.limits },
      onRequest: options.onRequest ?? (() => {}),
    };
  }

  /** Serves one connection until the client closes it or a response ends it. Never rejects. */
  async serve(transport: HttpConnection): Promise<void> {
    const conn = new ClientConnection(transport);
    this.#connections.add(conn);
    try {
      while (!conn.gone) {
        if (!(await this.#next(conn))) break;
      }
      await conn.close(this.#settings.limits.lingerMs);
    } catch (e) {
      this.#settings.log(`http: connection failed: ${e instanceof Error ? e.message : String(e)}`);
      conn.abort();
    } finally {
      this.#connections.delete(conn);
    }
  }

  /** Drops every open connection (the daemon is stopping); their handlers see `closed`. */
  dispose(): void {
    for (const conn of this.#connections) conn.abort();
  }

  /** Reads and answers one request; false when the connection must not serve another. */
  async #next(conn: ClientConnection): Promise<boolean> {
    let head: RequestHead | null;
    try {
      head = await readRequestHead(conn.reader, this.#settings.limits.maxHeadBytes);
    } catch (e) {
      if (!(e instanceof HttpParseError)) throw e;
      await refuse(conn, e);
      return false;
    }
    if (head === null) return false;
    try {
      return await this.#exchange(conn, head);
    } catch (e) {
      if (!(e instanceof HttpParseError)) throw e;
      await refuse(conn, e);
      return false;
    }
  }

  async #exchange(conn: ClientConnection, head: RequestHead): Promise<boolean> {
    this.#settings.onRequest(head);
    const framing = bodyFraming(head);
    const expect = head.headers.get('Expect');
    if (expect !== undefined && expect.toLowerCase() !== '100-continue') throw new HttpParseError(417);
    // The 100 goes out when the handler first reads the body, so a refusal costs no upload.
    const continueOwed = expect !== undefined && head.minor === 1 && framing.kind !== 'none';
    const body = new RequestBody(conn.reader, framing, async () => {
      if (continueOwed) await conn.sink.write('HTTP/1.1 100 Continue\r\n\r\n');
    });
    const controller = new AbortController();
    const unsubscribe = conn.onGone(() => controller.abort());
    body.onDone(() => conn.watchInput());
    const exchange: Exchange = {
      conn,
      head,
      body,
      continueOwed,
      signal: controller.signal,
      closed: abortedPromise(controller.signal),
      settings: this.#settings,
    };
    try {
      return await answer(exchange, await route(exchange));
    } finally {
      conn.stopWatchingInput();
      unsubscribe();
    }
  }
}

function abortedPromise(signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Go's answer to a request it cannot parse: a short plain-text response, then the connection ends. */
async function refuse(conn: ClientConnection, error: HttpParseError): Promise<void> {
  const text = `${error.status} ${statusText(error.status)}${error.reason ? `: ${error.reason}` : ''}`;
  await conn.sink.write(plainResponse(error.status, text)).catch(() => {});
}
