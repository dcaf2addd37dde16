// What a route handler is given and what it answers: the whole interface between the HTTP
// machinery and the Engine API's routes.
import type { ByteSink, ByteSource } from '../../../protocol/guest/port.ts';
import type { FilterArgs } from '../../volume/filters.ts';
import type { HttpHeaders } from './head.ts';
import type { Query } from './query.ts';

export type { FilterArgs };

export interface ApiRequest {
  readonly method: string;
  /** Decoded path without the version prefix: `/containers/web/json`. */
  readonly path: string;
  /** The route's `{name}` parts, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: Query;
  /** The API version asked for (`/v1.43/…`), or the server's own when the path has none. */
  readonly version: string;
  readonly headers: HttpHeaders;
  /** The body as it arrives (empty when there is none). Read it, or leave it: the server drains it. */
  readonly body: ByteSource;
  /** moby's ReadJSON: the body as one JSON value, undefined when there is no body. */
  json(): Promise<unknown>;
  /** Resolves when the client goes away; streaming handlers stop there. */
  readonly closed: Promise<void>;
  /** Aborted when the client goes away (for APIs that take a signal). */
  readonly signal: AbortSignal;
}

/** Where a streaming response's bytes go; each write is sent (flushed) at once. */
export interface StreamWriter {
  /** Rejects with ClientGoneError once the client has gone away. */
  write(bytes: Uint8Array | string): Promise<void>;
  readonly closed: Promise<void>;
  readonly signal: AbortSignal;
}

/** The raw connection handed to a hijacking handler (attach, exec start). */
export interface HijackedStream {
  /** The client's bytes (stdin), then null when it half-closes. */
  readonly input: ByteSource;
  /** Bytes to the client; `end()` half-closes. Writes after the client left reject. */
  readonly output: ByteSink;
  /** True when the client asked to upgrade (101), false for the older plain 200 answer. */
  readonly upgraded: boolean;
  readonly closed: Promise<void>;
  readonly signal: AbortSignal;
}

/** Extra response header fields, in canonical case (`X-Docker-Container-Path-Stat`). */
export type ResponseHeaders = Readonly<Record<string, string>>;

export type ApiResponse =
  | { readonly kind: 'json'; readonly status: number; readonly value: unknown; readonly headers?: ResponseHeaders }
  | { readonly kind: 'empty'; readonly status: number; readonly headers?: ResponseHeaders }
  | { readonly kind: 'bytes'; readonly status: number; readonly contentType: string; readonly body: Uint8Array | string; readonly headers?: ResponseHeaders }
  | {
      readonly kind: 'stream';
      readonly status: number;
      readonly contentType: string;
      readonly produce: (out: StreamWriter) => Promise<void>;
      readonly headers?: ResponseHeaders;
    }
  | {
      readonly kind: 'hijack';
      /** Not a tty: answered as application/vnd.docker.multiplexed-stream to upgrading clients of API ≥ 1.42. */
      readonly multiplexed: boolean;
      readonly run: (stream: HijackedStream) => Promise<void>;
    };

export type Handler = (request: ApiRequest) => Promise<ApiResponse> | ApiResponse;

/** A JSON body (moby's WriteJSON). */
export function json(status: number, value: unknown, headers?: ResponseHeaders): ApiResponse {
  return { kind: 'json', status, value, headers };
}

/** No body: 204, 304, or a 200/201 that says nothing. */
export function empty(status: number, headers?: ResponseHeaders): ApiResponse {
  return { kind: 'empty', status, headers };
}

/** A small body known whole (`OK` of /_ping, a plain-text answer). */
export function bytes(status: number, contentType: string, body: Uint8Array | string, headers?: ResponseHeaders): ApiResponse {
  return { kind: 'bytes', status, contentType, body, headers };
}

/**
 * A body produced over time (logs, events, progress, archives). The status and headers go out
 * at once, so check everything that can fail before returning this. If `produce` throws while
 * the client is still there, moby's `{"message": …}` closes the body.
 */
export function stream(status: number, contentType: string, produce: (out: StreamWriter) => Promise<void>, headers?: ResponseHeaders): ApiResponse {
  return { kind: 'stream', status, contentType, produce, headers };
}

/** Takes over the connection (moby's Hijack): 101 UPGRADED for clients sending `Upgrade`, else 200. */
export function hijack(options: { multiplexed: boolean }, run: (stream: HijackedStream) => Promise<void>): ApiResponse {
  return { kind: 'hijack', multiplexed: options.multiplexed, run };
}
