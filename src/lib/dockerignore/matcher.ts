// .dockerignore pattern matching with moby/patternmatcher's semantics: patterns are checked in
// order, the last one matching the path or one of its parent directories decides, and `!` turns a
// pattern into an exception that re-includes. Globs follow Go's filepath.Match (`*`, `?`, `[…]`,
// `[^…]`, `\` escapes) plus `**` for any number of path segments.
import { cleanPath, compileGoRegexp, dirPath, trimSpace } from './go-compat.ts';

export const BAD_PATTERN_MESSAGE = 'syntax error in pattern';

/** A pattern list Docker refuses; the message is Go's, word for word. */
export class IgnorePatternError extends Error {
  override name = 'IgnorePatternError';
}

/**
 * How upstream matches a compiled pattern. The kind is observable: `**` at the start makes a
 * plain suffix test (`**file` matches `myfile`), a trailing `**` a plain prefix test.
 */
type CompiledPattern =
  | { kind: 'exact' | 'prefix' | 'suffix'; text: string }
  | { kind: 'regexp'; regexp: RegExp }
  | { kind: 'invalid' };

export interface IgnorePattern {
  /** The cleaned pattern without its `!`. */
  readonly pattern: string;
  /** True for `!pattern`: a match re-includes. */
  readonly exclusion: boolean;
}

interface Pattern extends IgnorePattern {
  readonly compiled: CompiledPattern;
}

export class PatternMatcher {
  readonly #patterns: Pattern[] = [];

  /** Throws IgnorePatternError for a lone `!` or a glob filepath.Match rejects. */
  constructor(patterns: Iterable<string>) {
    for (const raw of patterns) {
      let pattern = trimSpace(raw);
      if (pattern === '') continue;
      pattern = cleanPath(pattern);
      let exclusion = false;
      if (pattern.startsWith('!')) {
        if (pattern.length === 1) throw new IgnorePatternError('illegal exclusion pattern: "!"');
        exclusion = true;
        pattern = pattern.slice(1);
      }
      if (!isValidGlob(pattern)) throw new IgnorePatternError(BAD_PATTERN_MESSAGE);
      this.#patterns.push({ pattern, exclusion, compiled: compilePattern(pattern) });
    }
  }

  get patterns(): readonly IgnorePattern[] {
    return this.#patterns.map(({ pattern, exclusion }) => ({ pattern, exclusion }));
  }

  /** Whether any pattern is a `!` exception. */
  get hasExclusions(): boolean {
    return this.#patterns.some((p) => p.exclusion);
  }

  /**
   * True when `path` (slash-separated, relative to the context root) is ignored. Throws
   * IgnorePatternError for a pattern whose regular expression Go cannot compile (`[z-a]`): Go's
   * glob check accepts those, so the error only surfaces here, every time.
   */
  matchesOrParentMatches(path: string): boolean {
    const parent = dirPath(path);
    const parentSegments = parent.split('/');
    let matched = false;
    for (const pattern of this.#patterns) {
      // An exception only matters once matched, a normal pattern only until then.
      if (pattern.exclusion !== matched) continue;
      let match = matchPattern(pattern.compiled, path);
      if (!match && parent !== '.') {
        for (let n = 1; n <= parentSegments.length && !match; n++) {
          match = matchPattern(pattern.compiled, parentSegments.slice(0, n).join('/'), false);
        }
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }
}

// Upstream ignores errors when it tries the parent directories; the path itself reports them.
function matchPattern(compiled: CompiledPattern, path: string, reportErrors = true): boolean {
  switch (compiled.kind) {
    case 'exact':
      return path === compiled.text;
    case 'prefix':
      return path.startsWith(compiled.text);
    case 'suffix':
      // `**/foo` also matches `foo` itself.
      return path.endsWith(compiled.text) || (compiled.text.startsWith('/') && path === compiled.text.slice(1));
    case 'regexp':
      return compiled.regexp.test(path);
    case 'invalid':
      if (reportErrors) throw new IgnorePatternError(BAD_PATTERN_MESSAGE);
      return false;
  }
}

/**
 * Turns a glob into the regular expression patternmatcher builds, and the match kind it picks.
 * Only `.+()|{}$` are escaped; `[`, `]`, `^` and `\x` escapes pass through to the regexp engine,
 * which is why `[` classes get RE2's rules there and Go's filepath.Match rules in isValidGlob.
 */
export function compilePattern(pattern: string): CompiledPattern {
  const runes = Array.from(pattern);
  let source = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  for (let i = 0, step = 0; i < runes.length; step++) {
    const ch = runes[i++]!;
    if (ch === '*' && runes[i] === '*') {
      i++;
      if (runes[i] === '/') i++; // `**/` means the same as `**`
      if (i >= runes.length) {
        if (kind === 'exact') kind = 'prefix';
        else {
          source += '.*';
          kind = 'regexp';
        }
      } else {
        source += '(.*/)?';
        kind = 'regexp';
      }
      if (step === 0) kind = 'suffix';
    } else if (ch === '*' || ch === '?') {
      source += ch === '*' ? '[^/]*' : '[^/]';
      kind = 'regexp';
    } else if ('.+()|{}$'.includes(ch)) {
      source += `\\${ch}`;
    } else if (ch === '\\') {
      if (i < runes.length) {
        source += `\\${runes[i++]}`;
        kind = 'regexp';
      } else source += '\\';
    } else {
      if (ch === '[' || ch === ']') kind = 'regexp';
      source += ch;
    }
  }
  switch (kind) {
    case 'exact':
      return { kind, text: pattern };
    case 'prefix':
      return { kind, text: pattern.slice(0, -2) };
    case 'suffix':
      return { kind, text: pattern.slice(2) };
    case 'regexp':
      try {
        return { kind, regexp: compileGoRegexp(`${source}$`) };
      } catch {
        return { kind: 'invalid' };
      }
  }
}

/**
 * Go's filepath.Match(pattern, ".") fails exactly when the glob is malformed: a `[` class that is
 * unclosed, empty, or has a bare `-`/`]` where a character belongs, or a trailing `\`. Range order
 * is not checked here (Go does not), so `[z-a]` passes and fails later in the regexp.
 */
export function isValidGlob(pattern: string): boolean {
  const runes = Array.from(pattern);
  let i = 0;
  // One class character (possibly `\`-escaped); something must follow it.
  const classChar = (): boolean => {
    const ch = runes[i];
    if (ch === undefined || ch === '-' || ch === ']') return false;
    i++;
    if (ch === '\\' && runes[i++] === undefined) return false;
    return i < runes.length;
  };
  while (i < runes.length) {
    const ch = runes[i++];
    if (ch === '\\') {
      if (runes[i++] === undefined) return false;
    } else if (ch === '[') {
      if (runes[i] === '^') i++;
      for (let ranges = 0; !(runes[i] === ']' && ranges > 0); ranges++) {
        if (!classChar()) return false;
        if (runes[i] === '-') {
          i++;
          if (!classChar()) return false;
        }
      }
      i++;
    }
  }
  return true;
}
