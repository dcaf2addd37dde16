// The request target: its path (percent-decoded, as gorilla/mux matches it), the optional
// `/v1.NN` API version prefix, and the raw query string.
import { API_VERSION, MIN_API_VERSION } from '../../version.ts';
import { HttpParseError } from './head.ts';

export interface RequestTarget {
  /** Decoded path, version prefix included. */
  readonly path: string;
  /** The query string without `?`, still encoded. */
  readonly rawQuery: string;
}

/** Splits origin-form (`/a?b`) and absolute-form (`http://host/a?b`) targets, as Go's ParseRequestURI does. */
export function parseTarget(target: string): RequestTarget {
  let rest = target;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length) || '/';
  if (rest === '*') return { path: '*', rawQuery: '' };
  if (!rest.startsWith('/')) throw new HttpParseError(400);
  const q = rest.indexOf('?');
  const rawPath = q < 0 ? rest : rest.slice(0, q);
  const rawQuery = q < 0 ? '' : rest.slice(q + 1);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new HttpParseError(400);
  }
  return { path, rawQuery };
}

/**
 * gorilla/mux's cleanPath: `.`/`..` resolved, repeated slashes collapsed, a trailing slash kept.
 * A request whose path is not clean is redirected (301) to the clean one.
 */
export function cleanPath(path: string): string {
  if (path === '' || path === '*') return path === '' ? '/' : path;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  let clean = '/' + out.join('/');
  if (path.endsWith('/') && clean !== '/') clean += '/';
  return clean;
}

/** The path without its `/v{version}` prefix (moby's `/v{version:[0-9.]+}` matcher), and that version. */
export function splitVersion(path: string): { version: string | null; path: string } {
  const m = /^\/v([0-9.]+)(\/.*)$/.exec(path);
  return m ? { version: m[1]!, path: m[2]! } : { version: null, path };
}

/** moby's versions.compare: dot-separated integers, a missing or non-numeric part counts as 0. */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = versionPart(pa[i]);
    const y = versionPart(pb[i]);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const versionPart = (s: string | undefined): number => (s !== undefined && /^\d+$/.test(s) ? Number(s) : 0);

/** moby's VersionMiddleware: null when the version is served, else its refusal. */
export function unsupportedVersion(version: string): string | null {
  if (compareApiVersions(version, MIN_API_VERSION) < 0) {
    return `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`;
  }
  if (compareApiVersions(version, API_VERSION) > 0) {
    return `client version ${version} is too new. Maximum supported API version is ${API_VERSION}`;
  }
  return null;
}
