// Docker image references, as github.com/distribution/reference parses and normalises them:
// `busybox` → docker.io/library/busybox:latest, `localhost:5000/x`, `a/b:tag@sha256:…`, with its
// error messages word for word (the CLI prints them as they are).

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';
export const REPOSITORY_NAME_MAX = 255;

// The grammar, piece by piece as in distribution/reference's regexp.go.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const namePattern = `(?:${domainAndPort}/)?${remoteName}`;

const REFERENCE = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const ANCHORED_NAME = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const ANCHORED_TAG = new RegExp(`^${tagPattern}$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;

/** Hex lengths of the digest algorithms Docker registers. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

export interface ImageReference {
  /** `docker.io`, `localhost:5000`, `registry.example.com`. */
  domain: string;
  /** `library/busybox`, `x`, `a/b`. */
  path: string;
  tag?: string;
  digest?: string;
}

/** A reference Docker refuses; `message` is Docker's text. */
export class ReferenceError extends Error {
  override name = 'ReferenceError';
}

/** go-digest's checks on the part after `@`. */
function checkDigest(digest: string): void {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) throw new ReferenceError('unsupported digest algorithm');
  if (hex.length !== length) throw new ReferenceError('invalid checksum digest length');
  if (!/^[a-f0-9]+$/.test(hex)) throw new ReferenceError('invalid checksum digest format');
}

/** distribution/reference `Parse`: the grammar only, no normalisation. */
function parse(s: string): ImageReference {
  if (s === '') throw new ReferenceError('repository name must have at least one component');
  const match = REFERENCE.exec(s);
  if (!match) {
    const lower = s.toLowerCase();
    if (lower !== s && REFERENCE.test(lower)) throw new ReferenceError('repository name must be lowercase');
    throw new ReferenceError('invalid reference format');
  }
  const [, name = '', tag, digest] = match;
  const nameMatch = ANCHORED_NAME.exec(name);
  const domain = nameMatch?.[1] ?? '';
  const path = nameMatch?.[2] ?? name;
  if (path.length > REPOSITORY_NAME_MAX) {
    throw new ReferenceError(`repository name must not be more than ${REPOSITORY_NAME_MAX} characters`);
  }
  if (digest !== undefined) checkDigest(digest);
  return { domain, path, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** Splits off the registry: `docker.io` unless the first part looks like a host. */
function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf('/');
  if (slash === -1) return [DEFAULT_DOMAIN, OFFICIAL_PREFIX + name];
  const first = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain: string;
  let remainder: string;
  if (first === LEGACY_DEFAULT_DOMAIN) {
    [domain, remainder] = [DEFAULT_DOMAIN, rest];
  } else if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    // A host: has a dot or a port, is localhost, or has capitals (never valid in a path).
    [domain, remainder] = [first, rest];
  } else {
    [domain, remainder] = [DEFAULT_DOMAIN, name];
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_PREFIX + remainder;
  return [domain, remainder];
}

/**
 * distribution/reference `ParseNormalizedNamed`: a name as users type it, made fully qualified.
 * Does not add a default tag (see `withDefaultTag`).
 */
export function parseImageReference(s: string): ImageReference {
  if (IDENTIFIER.test(s)) {
    throw new ReferenceError(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const [domain, remainder] = splitDockerDomain(s);
  const colon = remainder.indexOf(':');
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) {
    throw new ReferenceError(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parse(`${domain}/${remainder}`);
}

/** `TagNameOnly`: a bare name gets `:latest`; tagged or digested references are kept. */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

/** `ParseDockerRef`: normalised and defaulted; a tag next to a digest is dropped. */
export function parseDockerRef(s: string): ImageReference {
  const ref = parseImageReference(s);
  if (ref.digest !== undefined) return { domain: ref.domain, path: ref.path, digest: ref.digest };
  return withDefaultTag(ref);
}

export type AnyReference = { kind: 'digest'; digest: string } | { kind: 'named'; ref: ImageReference };

/** `ParseAnyReference`: a 64-hex ID, a bare digest, or a name. */
export function parseAnyReference(s: string): AnyReference {
  if (IDENTIFIER.test(s)) return { kind: 'digest', digest: `sha256:${s}` };
  const colon = s.indexOf(':');
  if (colon > 0 && !s.includes('/') && s.slice(0, colon) in DIGEST_HEX_LENGTH) {
    const hex = s.slice(colon + 1);
    if (hex.length === DIGEST_HEX_LENGTH[s.slice(0, colon)] && /^[a-f0-9]+$/.test(hex)) return { kind: 'digest', digest: s };
  }
  return { kind: 'named', ref: parseImageReference(s) };
}

/** Checks a tag on its own, as `docker tag` does for its target. */
export function isValidTag(tag: string): boolean {
  return ANCHORED_TAG.test(tag);
}

/** `docker.io/library/busybox`: the repository's full name. */
export function repositoryName(ref: ImageReference): string {
  return ref.domain === '' ? ref.path : `${ref.domain}/${ref.path}`;
}

/** `busybox`, `user/app`, `localhost:5000/x`: the name as Docker shows it. */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryName(ref);
  const rest = ref.path.startsWith(OFFICIAL_PREFIX) ? ref.path.slice(OFFICIAL_PREFIX.length) : ref.path;
  return rest.includes('/') ? ref.path : rest;
}

function suffix(ref: ImageReference): string {
  return (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** `busybox:latest`, `busybox@sha256:…`: `reference.FamiliarString`. */
export function familiarString(ref: ImageReference): string {
  return familiarName(ref) + suffix(ref);
}

/** `docker.io/library/busybox:latest`: the canonical string form. */
export function referenceString(ref: ImageReference): string {
  return repositoryName(ref) + suffix(ref);
}

/** The path as a registry names the repository in "Pulling from …" lines (`library/busybox`). */
export function remotePath(ref: ImageReference): string {
  return ref.path;
}

/** `stringid.TruncateID`: 12 hex digits without the algorithm. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  return (colon === -1 ? id : id.slice(colon + 1)).slice(0, 12);
}
