// An HTTP/1.x request head: the request line and the header fields, checked as Go's net/http
// server checks them (the server moby runs on), with its statuses for what it refuses.
import { type BufferedReader, LineTooLong, TruncatedInput } from './reader.ts';

/** A request that cannot be served; the server answers `status` and closes the connection. */
export class HttpParseError extends Error {
  override name = 'HttpParseError';
  constructor(
    readonly status: 400 | 417 | 431 | 501 | 505,
    /** Appended to the status text in the answer, as Go does for its "bad request" reasons. */
    readonly reason = '',
  ) {
    super(reason || `HTTP ${status}`);
  }
}

/** Header fields in arrival order; names compare case-insensitively, a name may repeat. */
export class HttpHeaders {
  readonly #fields: (readonly [name: string, value: string])[] = [];

  constructor(fields: Iterable<readonly [string, string]> = []) {
    for (const [name, value] of fields) this.#fields.push([name, value]);
  }

  /** The first value, or undefined. */
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.#fields.find(([n]) => n.toLowerCase() === lower)?.[1];
  }

  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    return this.#fields.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** True when a comma-separated header (Connection, Upgrade, …) lists `token`, any case. */
  hasToken(name: string, token: string): boolean {
    const wanted = token.toLowerCase();
    return this.getAll(name).some((v) => v.split(',').some((t) => t.trim().toLowerCase() === wanted));
  }

  [Symbol.iterator](): Iterator<readonly [string, string]> {
    return this.#fields[Symbol.iterator]();
  }
}

export interface RequestHead {
  readonly method: string;
  /** The request target as sent: `/v1.50/containers/json?all=1`. */
  readonly target: string;
  /** 1 for HTTP/1.1, 0 for HTTP/1.0. */
  readonly minor: 0 | 1;
  readonly headers: HttpHeaders;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Blank lines tolerated before a request line (RFC 9112 §2.2: some clients send CRLF after a body). */
const MAX_LEADING_BLANK_LINES = 4;

/**
 * Reads one request head; null when the client closed the connection between requests.
 * `limit` bounds the whole head in bytes (past it: 431).
 */
export async function readRequestHead(reader: BufferedReader, limit: number): Promise<RequestHead | null> {
  let budget = limit;
  const line = async (): Promise<string | null> => {
    let text: string | null;
    try {
      text = await reader.readLine(budget);
    } catch (e) {
      if (e instanceof LineTooLong) throw new HttpParseError(431);
      if (e instanceof TruncatedInput) throw new HttpParseError(400);
      throw e;
    }
    if (text !== null) budget -= text.length + 2;
    if (budget < 0) throw new HttpParseError(431);
    return text;
  };

  let requestLine = await line();
  for (let blank = 0; requestLine === ''; blank++) {
    if (blank === MAX_LEADING_BLANK_LINES) throw new HttpParseError(400);
    requestLine = await line();
  }
  if (requestLine === null) return null;
  const { method, target, minor } = parseRequestLine(requestLine);

  const fields: [string, string][] = [];
  for (;;) {
    const text = await line();
    if (text === null) throw new HttpParseError(400);
    if (text === '') break;
    // Obsolete line folding (a line starting with white space) is refused, as RFC 9112 allows.
    const colon = text.indexOf(':');
    const name = colon < 0 ? '' : text.slice(0, colon);
    if (!TOKEN.test(name)) throw new HttpParseError(400, 'malformed MIME header line');
    fields.push([name, text.slice(colon + 1).trim()]);
  }
  const headers = new HttpHeaders(fields);
  if (minor === 1 && !headers.has('Host')) throw new HttpParseError(400, 'missing required Host header');
  if (headers.getAll('Host').length > 1) throw new HttpParseError(400, 'too many Host headers');
  return { method, target, minor, headers };
}

function parseRequestLine(text: string): { method: string; target: string; minor: 0 | 1 } {
  const first = text.indexOf(' ');
  const last = text.lastIndexOf(' ');
  if (first <= 0 || last === first) throw new HttpParseError(400, 'malformed request line');
  const method = text.slice(0, first);
  const target = text.slice(first + 1, last);
  const protocol = text.slice(last + 1);
  if (!TOKEN.test(method)) throw new HttpParseError(400, 'invalid method');
  if (target === '' || /\s/.test(target)) throw new HttpParseError(400, 'malformed request line');
  const version = /^HTTP\/(\d)\.(\d)$/.exec(protocol);
  if (!version) throw new HttpParseError(400, 'malformed HTTP version');
  if (version[1] !== '1') throw new HttpParseError(505);
  return { method, target, minor: version[2] === '0' ? 0 : 1 };
}

export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };

/** How the request's body is delimited (RFC 9112 §6.3, Go's transfer.go for requests). */
export function bodyFraming(head: RequestHead): BodyFraming {
  const encodings = head.minor === 1 ? head.headers.getAll('Transfer-Encoding') : [];
  if (encodings.length > 0) {
    // Go accepts exactly "chunked"; a Content-Length beside it is ignored.
    if (encodings.length > 1 || encodings[0]!.toLowerCase() !== 'chunked') throw new HttpParseError(501);
    return { kind: 'chunked' };
  }
  const lengths = head.headers.getAll('Content-Length').map((v) => v.trim());
  if (lengths.length === 0) return { kind: 'none' };
  if (lengths.some((v) => v !== lengths[0])) throw new HttpParseError(400);
  if (!/^\d{1,15}$/.test(lengths[0]!)) throw new HttpParseError(400);
  const length = Number(lengths[0]);
  return length === 0 ? { kind: 'none' } : { kind: 'length', length };
}
