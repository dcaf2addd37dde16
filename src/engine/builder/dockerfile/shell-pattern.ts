// Shell patterns of ${v#p} ${v%p} ${v/p/r}, turned into regular expressions the way BuildKit does:
// '*' and '?' are wildcards, there are no bracket expressions, and '\' escapes only * ? and \.

/** Go's `.`: any character but a newline (JavaScript's also stops at \r, U+2028 and U+2029). */
const anyChar = '[^\\n]';
const regexSpecial = new Set(['[', ']', '{', '}', '.', '+', '(', ')', '|', '^', '$']);

export function shellPatternToRegex(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      out += greedy ? `${anyChar}*` : `${anyChar}*?`;
    } else if (ch === '?') {
      out += anyChar;
    } else if (ch === '\\') {
      const next = chars[i + 1];
      // Inside ${} a '}' or '/' has to be escaped, but the escape is not part of the pattern.
      if (next === '}' || next === '/') continue;
      i++;
      if (next !== '*' && next !== '?' && next !== '\\') {
        throw new Error(`invalid escape '\\${next ?? '\u{fffd}'}'`);
      }
      out += `\\${next}`;
    } else {
      out += regexSpecial.has(ch) ? `\\${ch}` : ch;
    }
  }
  return new RegExp(out, 'u');
}

function compile(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  try {
    return shellPatternToRegex(pattern, greedy, anchored);
  } catch (err) {
    throw new Error(`invalid pattern (${pattern}) in substitution: ${(err as Error).message}`);
  }
}

/** ${value#pattern} (shortest) and ${value##pattern} (greedy). */
export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const match = compile(pattern, greedy, true).exec(value);
  return match ? value.slice(match.index + match[0].length) : value;
}

/** Reverses a pattern but keeps each escape in front of the character it escapes. */
function reversePattern(pattern: string): string {
  const chars = Array.from(pattern);
  const out: string[] = new Array<string>(chars.length);
  const last = chars.length - 1;
  for (let i = 0; i <= last; ) {
    if (chars[i] === '\\' && i !== last) {
      out[last - i - 1] = '\\';
      out[last - i] = chars[i + 1]!;
      i += 2;
    } else {
      out[last - i] = chars[i]!;
      i++;
    }
  }
  return out.join('');
}

function reverseString(s: string): string {
  return Array.from(s).reverse().join('');
}

/**
 * ${value%pattern} and ${value%%pattern}. A regular expression cannot find the shortest rightmost
 * match, so both sides are reversed and the search becomes a leftmost one.
 */
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  return reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
}

/**
 * Go's Regexp.Expand of a replacement template. The pattern has no groups, so $0 is the match,
 * any other $name or ${name} is empty, $$ is '$', and a malformed reference stays literal.
 */
function expandTemplate(template: string, match: string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '$' || i + 1 >= template.length) {
      out += ch;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ref = /^\{([\p{L}\p{Nd}_]+)\}|^([\p{L}\p{Nd}_]+)/u.exec(template.slice(i + 1));
    if (!ref) {
      out += '$';
      continue;
    }
    const name = ref[1] ?? ref[2]!;
    if (/^[0-9]+$/.test(name) && Number(name) === 0) out += match;
    i += ref[0].length;
  }
  return out;
}

/** ${value/pattern/replacement} and ${value//pattern/replacement}. */
export function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
  const re = compile(pattern, true, false);
  if (!all) {
    const match = re.exec(value);
    if (!match) return value;
    return value.slice(0, match.index) + replacement + value.slice(match.index + match[0].length);
  }
  return replaceAllLikeGo(value, new RegExp(re.source, 'gu'), replacement);
}

/** Regexp.ReplaceAllString: an empty match right after another match is not replaced. */
function replaceAllLikeGo(value: string, re: RegExp, replacement: string): string {
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= value.length) {
    re.lastIndex = searchPos;
    const match = re.exec(value);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    out += value.slice(lastMatchEnd, start);
    if (end > lastMatchEnd || start === 0) out += expandTemplate(replacement, match[0]);
    lastMatchEnd = end;
    const width = searchPos < value.length ? String.fromCodePoint(value.codePointAt(searchPos)!).length : 1;
    searchPos = searchPos + width > end ? searchPos + width : Math.max(end, searchPos + 1);
  }
  return out + value.slice(lastMatchEnd);
}
