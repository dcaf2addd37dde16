// From a parsed request to the handler's answer, as moby's API server gets there: gorilla/mux's
// clean-path redirect and route match (an unknown path or method is 404 "page not found"), the
// version middleware (its headers, its refusals), the experimental header, then the handler,
// whose thrown errors become `{"message": …}` with their kind's status.
import { concatBytes } from '../../../lib/bytes.ts';
import { API_VERSION } from '../../version.ts';
import { errorMessage, errorStatus, invalidParameter } from '../errors.ts';
import type { RequestBody } from './body.ts';
import type { ClientConnection } from './client-connection.ts';
import type { RequestHead } from './head.ts';
import { readJsonBody } from './json.ts';
import { Query } from './query.ts';
import { type ApiRequest, type ApiResponse, bytes, empty, json } from './response.ts';
import type { ServerSettings } from './server.ts';
import { cleanPath, compareApiVersions, parseTarget, splitVersion, unsupportedVersion } from './target.ts';

/** One request being answered, as the routing and response code share it. */
export interface Exchange {
  readonly conn: ClientConnection;
  readonly head: RequestHead;
  readonly body: RequestBody;
  /** The client sent `Expect: 100-continue` with a body. */
  readonly continueOwed: boolean;
  readonly closed: Promise<void>;
  readonly signal: AbortSignal;
  readonly settings: ServerSettings;
}

export interface Routed {
  readonly response: ApiResponse;
  /** Header fields moby's middlewares set; none for answers given before a route matched. */
  readonly standardHeaders: readonly (readonly [string, string])[];
  /** The API version the request asked for (the server's own when the path had none). */
  readonly version: string;
}

/** Below this API version moby answers errors in plain text, which such clients print as is. */
const PLAIN_TEXT_ERRORS_BELOW = '1.24';

export async function route(exchange: Exchange): Promise<Routed> {
  const { head, settings } = exchange;
  const target = parseTarget(head.target);
  const clean = cleanPath(target.path);
  if (clean !== target.path) {
    const location = encodeURI(clean) + (target.rawQuery ? `?${target.rawQuery}` : '');
    return { response: empty(301, { Location: location }), standardHeaders: [], version: API_VERSION };
  }
  const { version: asked, path } = splitVersion(target.path);
  const match = settings.router.match(head.method, path);
  if (!match) return { response: json(404, { message: 'page not found' }), standardHeaders: [], version: API_VERSION };

  const standardHeaders: [string, string][] = [
    ['Server', `Docker/${settings.engineVersion} (linux)`],
    ['Api-Version', API_VERSION],
    ['Ostype', 'linux'],
  ];
  const version = asked ?? API_VERSION;
  const refusal = unsupportedVersion(version);
  if (refusal !== null) {
    const plain = compareApiVersions(version, PLAIN_TEXT_ERRORS_BELOW) < 0;
    const response = plain ? bytes(400, 'text/plain; charset=utf-8', `${refusal}\n`, { 'X-Content-Type-Options': 'nosniff' }) : json(400, { message: refusal });
    return { response, standardHeaders, version };
  }
  standardHeaders.push(['Docker-Experimental', String(settings.experimental)]);

  try {
    const query = Query.parse(target.rawQuery, await formBody(exchange));
    const request: ApiRequest = {
      method: head.method,
      path,
      params: match.params,
      query,
      version,
      headers: head.headers,
      body: exchange.body,
      json: () =>
        readJsonBody({
          contentType: head.headers.get('Content-Type'),
          contentLength: contentLength(exchange),
          body: exchange.body,
        }),
      closed: exchange.closed,
      signal: exchange.signal,
    };
    return { response: await match.handler(request), standardHeaders, version };
  } catch (e) {
    const status = errorStatus(e);
    if (status >= 500) settings.log(`Handler for ${head.method} ${path} returned error: ${errorMessage(e)}`);
    return { response: json(status, { message: errorMessage(e) }), standardHeaders, version };
  }
}

/** The request's Content-Length as Go reports it: -1 for a chunked body. */
function contentLength(exchange: Exchange): number {
  const framing = exchange.body.framing;
  return framing.kind === 'chunked' ? -1 : framing.kind === 'length' ? framing.length : 0;
}

/** Go's ParseForm reads a urlencoded POST, PUT or PATCH body into the form (10 MiB at most). */
async function formBody(exchange: Exchange): Promise<string> {
  const { head, body, settings } = exchange;
  if (!['POST', 'PUT', 'PATCH'].includes(head.method)) return '';
  const type = (head.headers.get('Content-Type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return '';
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > settings.limits.maxFormBytes) throw invalidParameter('http: POST too large');
    parts.push(chunk);
  }
  return new TextDecoder().decode(concatBytes(parts));
}
