// Which files and directories of a build context reach the builder, given the .dockerignore
// patterns. Follows BuildKit's context transfer (tonistiigi/fsutil): a directory that is not
// ignored is sent even when everything in it is (`dir/**` keeps an empty `dir`), and an ignored
// directory is still sent as the parent of anything an exception re-includes.
import { cleanPath } from './go-compat.ts';
import { PatternMatcher } from './matcher.ts';

export interface ContextEntry {
  readonly type: 'file' | 'dir';
  /** Slash-separated, relative to the context root. */
  readonly path: string;
}

export interface ContextSelection {
  /** Kept files and directories in walk order (depth first, names sorted), like `fsutil.Walk`. */
  readonly entries: readonly ContextEntry[];
  /** Context files (not directories) the patterns leave out, sorted. */
  readonly excludedFiles: readonly string[];
  /** Whether `path` (file or directory) is part of the filtered context. */
  has(path: string): boolean;
}

/**
 * Filters a context. `files` are the context's files relative to its root; their parent
 * directories are implied. `patterns` come from readIgnoreFile (or are an already built matcher).
 * Throws IgnorePatternError for patterns Docker rejects, which must fail the build.
 */
export function selectContext(files: Iterable<string>, patterns: readonly string[] | PatternMatcher): ContextSelection {
  const matcher = patterns instanceof PatternMatcher ? patterns : new PatternMatcher(patterns);
  const types = new Map<string, ContextEntry['type']>();
  for (const file of files) {
    const path = relativePath(file);
    if (path === '.') continue;
    types.set(path, 'file');
    for (const dir of ancestors(path)) types.set(dir, 'dir');
  }

  const kept = new Set<string>();
  const excludedFiles: string[] = [];
  for (const [path, type] of types) {
    if (!matcher.matchesOrParentMatches(path)) kept.add(path);
    else if (type === 'file') excludedFiles.push(path);
  }
  // An entry brings its directories along, ignored or not: the builder needs a path to it.
  for (const path of [...kept]) for (const dir of ancestors(path)) kept.add(dir);

  const entries = [...kept].sort(compareWalkOrder).map((path) => ({ type: types.get(path)!, path }));
  return {
    entries,
    excludedFiles: excludedFiles.sort(compareWalkOrder),
    has: (path) => kept.has(relativePath(path)),
  };
}

/**
 * The Dockerfile is read for the build even when .dockerignore excludes it (Docker sends it
 * separately); it is only left out of what COPY/ADD see. `readable` is false only when the file is
 * missing from the context (or the Dockerfile comes from stdin and is not in the context at all).
 */
export function dockerfileAccess(
  selection: ContextSelection,
  contextFiles: Iterable<string>,
  dockerfilePath: string,
): { readonly readable: boolean; readonly copied: boolean } {
  const path = relativePath(dockerfilePath);
  let readable = false;
  for (const file of contextFiles) if (relativePath(file) === path) readable = true;
  return { readable, copied: selection.has(path) };
}

/**
 * Ignore files to try, first found wins: BuildKit prefers `<Dockerfile>.dockerignore` (next to the
 * Dockerfile, e.g. `Dockerfile2.dockerignore` for `-f Dockerfile2`) over the context's
 * `.dockerignore`. A Dockerfile from stdin (`null`) only has the latter.
 */
export function ignoreFileCandidates(dockerfilePath: string | null): string[] {
  if (dockerfilePath === null) return ['.dockerignore'];
  return [`${relativePath(dockerfilePath)}.dockerignore`, '.dockerignore'];
}

function relativePath(path: string): string {
  return cleanPath(path).replace(/^\/+/, '') || '.';
}

function* ancestors(path: string): Generator<string> {
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
    yield path.slice(0, slash);
  }
}

// Depth first with sorted names: compare segment by segment, so `a/b` comes before `a-b`.
function compareWalkOrder(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}
