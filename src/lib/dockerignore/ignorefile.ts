// Reading a .dockerignore file into a pattern list, as moby/patternmatcher's ignorefile.ReadAll
// does: the result goes to PatternMatcher unchanged.
import { cleanPath, trimSpace } from './go-compat.ts';

/**
 * Patterns of a .dockerignore text, in order. A UTF-8 BOM is dropped; a line is a comment only when
 * `#` is its very first character (`  #2` is the pattern `#2`); lines are trimmed and blank ones
 * skipped; `!` stays in front of the cleaned pattern (a bare `!` is kept and rejected later, by
 * PatternMatcher); one leading `/` is dropped, so `/a` and `a` are the same. `null` (no file) gives
 * no patterns.
 */
export function readIgnoreFile(text: string | null | undefined): string[] {
  if (text == null) return [];
  const patterns: string[] = [];
  // Go's line scanner: split at \n, drop one \r before it, no empty token after a final \n.
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let pattern = trimSpace(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (pattern === '') continue;
    const exception = pattern.startsWith('!');
    if (exception) pattern = trimSpace(pattern.slice(1));
    if (pattern !== '') {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(exception ? `!${pattern}` : pattern);
  }
  return patterns;
}
