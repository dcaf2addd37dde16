// An in-memory connection for the server's tests: the test plays the client on one end, writing
// raw request bytes and reading raw response bytes, and can vanish at any point.
import { ByteQueue } from '../../../../lib/byte-queue.ts';
import type { ByteSink, ByteSource } from '../../../../protocol/guest/port.ts';
import type { HttpConnection } from '../connection.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One direction of bytes. `fail` makes later writes reject (the peer is gone). */
export class MemoryChannel implements ByteSource, ByteSink {
  readonly #queue = new ByteQueue();
  #failure: Error | null = null;

  async write(data: Uint8Array | string): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#queue.ended) throw new Error('write after end');
    this.#queue.push(typeof data === 'string' ? encoder.encode(data) : data.slice());
  }

  end(): void {
    this.#queue.end();
  }

  fail(error = new Error('connection reset')): void {
    this.#failure = error;
    this.#queue.end();
  }

  read(): Promise<Uint8Array | null> {
    return this.#queue.read();
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.#queue[Symbol.asyncIterator]();
  }
}

/** The client's end of an in-memory connection. */
export class TestClient {
  /** Client → server. */
  readonly requests = new MemoryChannel();
  /** Server → client. */
  readonly responses = new MemoryChannel();
  readonly #goneResolve: () => void;
  readonly connection: HttpConnection;
  closedByServer = false;
  #received = new Uint8Array(0);

  constructor(options: { withGoneSignal?: boolean } = {}) {
    let resolve!: () => void;
    const gone = new Promise<void>((r) => (resolve = r));
    this.#goneResolve = resolve;
    this.connection = {
      incoming: this.requests,
      outgoing: this.responses,
      ...(options.withGoneSignal === false ? {} : { gone }),
      // As real transports do, a dropped connection ends both directions.
      close: () => {
        this.closedByServer = true;
        this.responses.end();
        this.requests.end();
      },
    };
  }

  send(data: string | Uint8Array): Promise<void> {
    return this.requests.write(data);
  }

  /** The client half-closes: no more requests (or stdin) follow. */
  endRequests(): void {
    this.requests.end();
  }

  /** The client vanishes: the server's writes fail from now on and its reads see the end. */
  vanish(): void {
    this.responses.fail();
    this.requests.end();
    this.#goneResolve();
  }

  /** Reads until `predicate` holds for what arrived (or the server ends), and returns it all. */
  async readUntil(predicate: (text: string) => boolean): Promise<string> {
    while (!predicate(decoder.decode(this.#received))) {
      const chunk = await this.responses.read();
      if (chunk === null) break;
      const joined = new Uint8Array(this.#received.length + chunk.length);
      joined.set(this.#received);
      joined.set(chunk, this.#received.length);
      this.#received = joined;
    }
    return decoder.decode(this.#received);
  }

  /** Everything until the server ends its side. */
  readAll(): Promise<string> {
    return this.readUntil(() => false);
  }

  /** Removes the first `length` bytes from what was received (one response consumed). */
  consume(length: number): void {
    this.#received = this.#received.slice(length);
  }

  /** Reads one complete response (Content-Length or chunked) and consumes it. */
  async response(): Promise<ParsedResponse> {
    let parsed: ParsedResponse | null = null;
    const text = await this.readUntil((t) => (parsed = parseResponse(t)) !== null);
    if (!parsed) throw new Error(`incomplete response: ${JSON.stringify(text)}`);
    this.consume(encoder.encode(text.slice(0, (parsed as ParsedResponse).length)).length);
    return parsed;
  }
}

export interface ParsedResponse {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
  /** Characters of the raw text this response took. */
  length: number;
}

/** Parses the first whole response in `text`; null when more is needed. Header names lower-cased. */
export function parseResponse(text: string): ParsedResponse | null {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine!);
  if (!m) throw new Error(`bad status line: ${statusLine}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(m[1]);
  let at = end + 4;
  if (headers['transfer-encoding'] === 'chunked') {
    let body = '';
    for (;;) {
      const lineEnd = text.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(text.slice(at, lineEnd), 16);
      if (size === 0) {
        if (!text.startsWith('\r\n', lineEnd + 2)) return null;
        return { status, reason: m[2]!, headers, body, length: lineEnd + 4 };
      }
      const data = text.slice(lineEnd + 2, lineEnd + 2 + size);
      if (text.length < lineEnd + 2 + size + 2) return null;
      body += data;
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = Number(headers['content-length'] ?? 0);
  if (text.length < at + length) return null;
  return { status, reason: m[2]!, headers, body: text.slice(at, at + length), length: at + length };
}
