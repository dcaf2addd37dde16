// Go standard-library behaviour that .dockerignore handling depends on: strings.TrimSpace,
// path.Clean, and the RE2 regular expressions that moby/patternmatcher compiles its globs to.
// Docker users get Go's answers, so the edge cases (which characters count as space, how a
// character class parses) follow Go rather than JavaScript.
import { cleanPath, dirPath } from '../go-path.ts';

export { cleanPath, dirPath };

const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LEADING_SPACE = new RegExp(`^[${GO_SPACE}]+`, 'u');
const TRAILING_SPACE = new RegExp(`[${GO_SPACE}]+$`, 'u');

/** strings.TrimSpace: unlike String.prototype.trim it keeps U+FEFF and strips U+0085. */
export function trimSpace(text: string): string {
  return text.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

export class GoRegexpError extends Error {}

type Ranges = readonly (readonly [number, number])[];

const hex = (cp: number) => `\\u{${cp.toString(16)}}`;
const c = (ch: string) => ch.codePointAt(0)!;
const classBody = (ranges: Ranges) => ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');

/** The complement of sorted, disjoint ranges: JS classes cannot nest a negation like `[[:^alpha:]x]`. */
function complement(ranges: Ranges): Ranges {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

// Go's \d \s \w are ASCII-only (JS \s is much wider), so they are spelled out as ranges.
const PERL_CLASSES: Record<string, Ranges> = {
  d: [[48, 57]],
  s: [[9, 10], [12, 13], [32, 32]],
  w: [[48, 57], [65, 90], [95, 95], [97, 122]],
};

const POSIX_CLASSES: Record<string, Ranges> = {
  alnum: [[48, 57], [65, 90], [97, 122]],
  alpha: [[65, 90], [97, 122]],
  ascii: [[0, 0x7f]],
  blank: [[9, 9], [32, 32]],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: [[48, 57]],
  graph: [[0x21, 0x7e]],
  lower: [[97, 122]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[9, 13], [32, 32]],
  upper: [[65, 90]],
  word: [[48, 57], [65, 90], [95, 95], [97, 122]],
  xdigit: [[48, 57], [65, 70], [97, 102]],
};

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };

// Zero-width escapes RE2 allows outside classes; \b and \B are ASCII-word based in both engines.
const ASSERTIONS: Record<string, string> = { b: '\\b', B: '\\B', A: '(?<![\\s\\S])', z: '(?![\\s\\S])' };

/**
 * Translates the subset of RE2 syntax that patternmatcher emits (literals, escapes, `.`, `^`, `$`,
 * `(…)`, `*`, `?`, and character classes copied raw from the user's glob) into an equivalent
 * JavaScript RegExp. Throws GoRegexpError where Go's regexp.Compile fails (a reversed range like
 * `[l-O]`, an unknown escape). Unicode groups (`\pL`) and `\Q…\E` are not supported and also throw.
 */
export function compileGoRegexp(source: string): RegExp {
  const runes = Array.from(source);
  let i = 0;
  const peek = (ahead = 0) => runes[i + ahead] ?? '';

  // The escape after a backslash: one code point, or the ranges of \d \s \w (\D \S \W negated).
  const escape = (): number | Ranges => {
    const ch = runes[i++];
    if (ch === undefined) throw new GoRegexpError('trailing backslash at end of expression');
    if (c(ch) < 0x80 && !/[0-9A-Za-z]/.test(ch)) return c(ch);
    const perl = PERL_CLASSES[ch.toLowerCase()];
    if (perl !== undefined) return ch === ch.toLowerCase() ? perl : complement(perl);
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) return simple;
    if (/[0-7]/.test(ch) && (ch === '0' || /[0-7]/.test(peek()))) {
      let digits = ch; // a lone \1..\7 would be a backreference, which RE2 rejects
      while (digits.length < 3 && /[0-7]/.test(peek())) digits += runes[i++];
      return parseInt(digits, 8);
    }
    if (ch === 'x') {
      const end = peek() === '{' ? runes.indexOf('}', i) : i + 2;
      const digits = runes.slice(peek() === '{' ? i + 1 : i, end).join('');
      const ok = peek() === '{' ? /^[0-9A-Fa-f]{1,8}$/.test(digits) : /^[0-9A-Fa-f]{2}$/.test(digits);
      if (!ok || end < 0 || parseInt(digits, 16) > 0x10ffff) throw new GoRegexpError('invalid escape sequence');
      i = peek() === '{' ? end + 1 : end;
      return parseInt(digits, 16);
    }
    throw new GoRegexpError(`invalid escape sequence: \\${ch}`);
  };

  const classChar = (): number => {
    const ch = runes[i++];
    if (ch === undefined) throw new GoRegexpError('missing closing ]');
    if (ch !== '\\') return c(ch);
    const esc = escape();
    if (typeof esc !== 'number') throw new GoRegexpError('invalid character class range');
    return esc;
  };

  const characterClass = (): string => {
    const parts: Ranges[] = [];
    const negated = peek() === '^';
    if (negated) i++;
    // `]` right after the opening bracket (or `[^`) is a literal in RE2.
    for (let first = true; first || peek() !== ']'; first = false) {
      if (i >= runes.length) throw new GoRegexpError('missing closing ]');
      // `[:name:]` (RE2 looks for the first `:]` anywhere after it); otherwise `[` is a literal.
      const rest = peek() === '[' && peek(1) === ':' ? runes.slice(i + 2).join('') : '';
      const close = rest.indexOf(':]');
      if (close >= 0) {
        const name = rest.slice(0, close);
        const posix = POSIX_CLASSES[name.replace(/^\^/, '')];
        if (posix === undefined) throw new GoRegexpError('invalid character class range');
        parts.push(name.startsWith('^') ? complement(posix) : posix);
        i += 2 + Array.from(name).length + 2;
        continue;
      }
      if (peek() === '\\' && /^[dDsSwW]$/.test(peek(1))) {
        i++;
        parts.push(escape() as Ranges);
        continue;
      }
      const lo = classChar();
      let hi = lo;
      if (peek() === '-' && peek(1) !== ']' && peek(1) !== '') {
        i++;
        hi = classChar();
        if (hi < lo) throw new GoRegexpError('invalid character class range');
      }
      parts.push([[lo, hi]]);
    }
    i++; // the closing ]
    return `[${negated ? '^' : ''}${parts.map(classBody).join('')}]`;
  };

  let out = '';
  while (i < runes.length) {
    const ch = runes[i++]!;
    if ('^$()*?'.includes(ch)) out += ch;
    else if (ch === '.') out += '[^\\n]'; // RE2's dot stops only at \n; JavaScript's also at \r, U+2028, U+2029
    else if (ch === '[') out += characterClass();
    else if (ch !== '\\') out += hex(c(ch));
    else if (ASSERTIONS[peek()] !== undefined) out += ASSERTIONS[runes[i++]!];
    else {
      const esc = escape();
      out += typeof esc === 'number' ? hex(esc) : `[${classBody(esc)}]`;
    }
  }
  return new RegExp(out, 'u');
}
