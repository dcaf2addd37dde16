// Go's notion of white space and the string helpers built on it. The Dockerfile parser and the
// shell lexer use unicode.IsSpace, which differs from JavaScript's \s (no U+FEFF, adds U+0085).

const goSpaceClass = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const goSpace = new RegExp(`^[${goSpaceClass}]$`);
const leadingSpace = new RegExp(`^[${goSpaceClass}]+`);
const trailingSpace = new RegExp(`[${goSpaceClass}]+$`);

/** unicode.IsSpace for one character (code point). */
export function isGoSpace(ch: string): boolean {
  return goSpace.test(ch);
}

/** strings.TrimLeftFunc(s, unicode.IsSpace) */
export function goTrimLeftSpace(s: string): string {
  return s.replace(leadingSpace, '');
}

/** strings.TrimSpace */
export function goTrimSpace(s: string): string {
  return s.replace(leadingSpace, '').replace(trailingSpace, '');
}

/** Go's regexp.Split(s, 2): the text before the first match and everything after it. */
export function splitOnce(s: string, separator: RegExp): [string] | [string, string] {
  const match = separator.exec(s);
  if (!match) return [s];
  return [s.slice(0, match.index), s.slice(match.index + match[0].length)];
}

/** Length of s in UTF-8 bytes (a lone surrogate counts 3, as WTF-8 would encode it). */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}
