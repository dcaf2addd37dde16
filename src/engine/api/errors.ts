// The error kinds of the Engine API (moby's errdefs), each answered with one HTTP status by
// api/server/httpstatus. Every error the daemon throws on purpose is an ApiError: route handlers
// throw these, and the services' own errors (DaemonError, ImageError and its pull errors) extend
// it. errorKind() is the one place an error's kind is read, for the HTTP status and for the CLI.
import { ReferenceError } from '../../lib/reference.ts';

export type ApiErrorKind =
  | 'invalid-parameter'
  | 'not-found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'not-modified'
  | 'not-implemented'
  | 'unavailable'
  | 'system';

const STATUS: Readonly<Record<ApiErrorKind, number>> = {
  'invalid-parameter': 400,
  'not-found': 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  'not-modified': 304,
  'not-implemented': 501,
  unavailable: 503,
  system: 500,
};

/** An error the API answers with `{"message": …}` and its kind's status. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const invalidParameter = (message: string): ApiError => new ApiError('invalid-parameter', message);
export const notFound = (message: string): ApiError => new ApiError('not-found', message);
export const conflict = (message: string): ApiError => new ApiError('conflict', message);
export const unauthorized = (message: string): ApiError => new ApiError('unauthorized', message);
export const forbidden = (message: string): ApiError => new ApiError('forbidden', message);
export const notModified = (message = ''): ApiError => new ApiError('not-modified', message);
export const notImplemented = (message: string): ApiError => new ApiError('not-implemented', message);
export const unavailable = (message: string): ApiError => new ApiError('unavailable', message);
export const systemError = (message: string): ApiError => new ApiError('system', message);

/**
 * The kind an error is answered with: an ApiError's own (the daemon's errors are ApiErrors), an
 * invalid parameter for a malformed image reference (lib/, below the daemon, has no kinds), else
 * the kind of its `cause` (moby follows the wrapped chain the same way), else a system error.
 */
export function errorKind(error: unknown): ApiErrorKind {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof ApiError) return e.kind;
    if (e instanceof ReferenceError) return 'invalid-parameter';
    e = e instanceof Error ? e.cause : undefined;
  }
  return 'system';
}

/** The HTTP status moby answers an error of this kind with. */
export function errorStatus(error: unknown): number {
  return STATUS[errorKind(error)];
}

/** The text of `{"message": …}`. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
