// Writing a handler's answer on the connection: whole bodies with Content-Length, streams with
// chunked framing flushed per write, and hijacks (101 UPGRADED, then raw bytes both ways).
// Each returns whether the connection may serve another request.
import type { ByteSink } from '../../../protocol/guest/port.ts';
import { errorMessage } from '../errors.ts';
import { ClientGoneError } from './connection.ts';
import type { Exchange, Routed } from './dispatch.ts';
import { encodeJson } from './json.ts';
import type { ApiResponse, ResponseHeaders } from './response.ts';
import { compareApiVersions } from './target.ts';
import { bodyAllowed, encodeChunk, httpDate, LAST_CHUNK, responseHead, statusText } from './wire.ts';

export const RAW_STREAM = 'application/vnd.docker.raw-stream';
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';
/** moby answers non-tty hijacks as multiplexed-stream from this API version on. */
const MULTIPLEXED_SINCE = '1.42';

type Field = readonly [string, string];
type Whole = Extract<ApiResponse, { kind: 'json' | 'empty' | 'bytes' }>;
type Streamed = Extract<ApiResponse, { kind: 'stream' }>;
type Hijacked = Extract<ApiResponse, { kind: 'hijack' }>;

const encoder = new TextEncoder();

export async function answer(x: Exchange, routed: Routed): Promise<boolean> {
  const response = routed.response;
  if (response.kind === 'hijack') return hijack(x, routed, response);
  if (response.kind === 'stream') return streamBody(x, routed, response);
  return wholeBody(x, routed, response);
}

/** A response to a request that could not be parsed: Go's short plain-text answer. */
export function plainResponse(status: number, text: string): string {
  return responseHead(1, status, [
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['Connection', 'close'],
  ]) + text;
}

async function wholeBody(x: Exchange, routed: Routed, response: Whole): Promise<boolean> {
  const body = response.kind === 'json' ? encodeJson(response.value) : response.kind === 'bytes' ? response.body : '';
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const contentType = response.kind === 'json' ? 'application/json' : response.kind === 'bytes' ? response.contentType : undefined;
  // Skip what the handler left of the body now, so the head can say whether the connection stays.
  const keepAlive = wantsKeepAlive(x) && (await settleBody(x));
  const { status } = response;
  const framing: Field[] = [];
  // Go sends no Content-Length for 1xx, 204 and 304, and no Content-Type for 304.
  const sized = !((status >= 100 && status < 200) || status === 204 || status === 304);
  if (sized) framing.push(['Content-Length', String(bytes.length)]);
  const own = status === 304 ? response.headers : withContentType(contentType, response.headers);
  const head = encoder.encode(responseHead(x.head.minor, status, fields(x, routed, own, keepAlive, framing)));
  const out = bodyAllowed(x.head.method, status) ? join(head, bytes) : head;
  try {
    await x.conn.sink.write(out);
  } catch {
    return false;
  }
  return keepAlive;
}

async function streamBody(x: Exchange, routed: Routed, response: Streamed): Promise<boolean> {
  const { conn, settings } = x;
  // HTTP/1.0 has no chunks: the body runs until the connection closes.
  const chunked = x.head.minor === 1;
  const withBody = bodyAllowed(x.head.method, response.status);
  const framing: Field[] = chunked && withBody ? [['Transfer-Encoding', 'chunked']] : [];
  const keepAlive = wantsKeepAlive(x) && (chunked || !withBody);
  const own = withContentType(response.contentType, response.headers);
  try {
    await conn.sink.write(responseHead(x.head.minor, response.status, fields(x, routed, own, keepAlive, framing)));
  } catch {
    return false;
  }
  if (!withBody) return keepAlive && (await settleBody(x));
  const write = async (data: Uint8Array | string): Promise<void> => {
    if (data.length === 0) return;
    await conn.sink.write(chunked ? encodeChunk(data) : data);
  };
  try {
    await response.produce({ write, closed: x.closed, signal: x.signal });
  } catch (e) {
    if (e instanceof ClientGoneError || conn.sink.gone) return false;
    // moby writes a handler's late error into the body it already started.
    settings.log(`Handler for ${x.head.method} ${x.head.target} returned error: ${errorMessage(e)}`);
    await write(encodeJson({ message: errorMessage(e) })).catch(() => {});
  }
  if (!chunked) return false;
  try {
    await conn.sink.write(LAST_CHUNK);
  } catch {
    return false;
  }
  return keepAlive && (await settleBody(x));
}

/**
 * moby's hijack for attach and exec start: the status line and headers written by hand (101
 * UPGRADED when the client sent `Upgrade`, else 200 for older clients), then the connection
 * is the handler's until it returns, and is closed after.
 */
async function hijack(x: Exchange, routed: Routed, response: Hijacked): Promise<boolean> {
  const { conn, head } = x;
  // Bytes after the body belong to the raw stream; a body the handler left would be read as stdin.
  if (!(await settleBody(x))) return false;
  conn.stopWatchingInput();
  const upgraded = head.headers.has('Upgrade');
  const multiplexed = upgraded && response.multiplexed && compareApiVersions(routed.version, MULTIPLEXED_SINCE) >= 0;
  const own: Field[] = upgraded
    ? [
        ['Content-Type', multiplexed ? MULTIPLEXED_STREAM : RAW_STREAM],
        ['Connection', 'Upgrade'],
        ['Upgrade', 'tcp'],
      ]
    : [['Content-Type', RAW_STREAM]];
  const status = upgraded ? 101 : 200;
  const text = responseHead(1, status, [...own, ...sortFields(routed.standardHeaders)], upgraded ? 'UPGRADED' : statusText(200));
  try {
    await conn.sink.write(text);
  } catch {
    return false;
  }
  const output: ByteSink = { write: (bytes) => conn.sink.write(bytes), end: () => conn.sink.end() };
  try {
    await response.run({ input: conn.reader.rest(), output, upgraded, closed: x.closed, signal: x.signal });
  } catch (e) {
    if (!(e instanceof ClientGoneError) && !conn.sink.gone) {
      x.settings.log(`Handler for ${head.method} ${head.target} returned error: ${errorMessage(e)}`);
    }
  }
  return false;
}

function wantsKeepAlive(x: Exchange): boolean {
  const { headers, minor } = x.head;
  return minor === 1 ? !headers.hasToken('Connection', 'close') : headers.hasToken('Connection', 'keep-alive');
}

/**
 * Whether the request's body is behind us so the next request can be read: read to its end
 * already, or skipped now (up to Go's limit). A client still waiting for its 100 Continue may
 * send the body or not, so that connection ends, as in Go.
 */
async function settleBody(x: Exchange): Promise<boolean> {
  const { body } = x;
  if (body.done) return true;
  if (body.failed || (x.continueOwed && !body.started)) return false;
  return body.discard(x.settings.limits.maxDiscardBytes);
}

/** The head's fields: middleware and handler headers sorted by name (as Go writes them), then framing. */
function fields(x: Exchange, routed: Routed, own: ResponseHeaders | undefined, keepAlive: boolean, framing: readonly Field[]): Field[] {
  const merged = new Map<string, Field>();
  for (const field of [...routed.standardHeaders, ...Object.entries(own ?? {})]) merged.set(field[0].toLowerCase(), field);
  const out = sortFields([...merged.values()]);
  if (x.head.minor === 1 && !keepAlive) out.push(['Connection', 'close']);
  if (x.head.minor === 0 && keepAlive) out.push(['Connection', 'keep-alive']);
  out.push(['Date', httpDate(x.settings.now())]);
  out.push(...framing);
  return out;
}

function sortFields(list: readonly Field[]): Field[] {
  return [...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function withContentType(contentType: string | undefined, headers: ResponseHeaders | undefined): ResponseHeaders | undefined {
  return contentType === undefined ? headers : { 'Content-Type': contentType, ...headers };
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
