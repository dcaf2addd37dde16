// ${name} and its modifiers: ${v-d} ${v:-d} ${v+a} ${v:+a} ${v?m} ${v:?m} ${v#p} ${v##p} ${v%p}
// ${v%%p} ${v/p/r} ${v//p/r}, with BuildKit's error messages.
import { type CodePointScanner, EOF } from './lexer-scan.ts';
import { replacePattern, trimPrefix, trimSuffix } from './shell-pattern.ts';

/** What the expansion needs from the word being processed (lexer.ts's ShellWord). */
export interface BracedContext {
  scanner(): CodePointScanner;
  processStopOn(stopChar: string, rawEscapes: boolean): [string, string[]];
  getEnv(name: string): string | undefined;
  readonly skipUnsetEnv: boolean;
}

/** ${name} and ${name<modifier>...} once the name is read; `ch` is the character after it. */
export function expandBraced(sw: BracedContext, name: string, ch: string): string {
  const sc = sw.scanner();
  // Go prints the end of input as U+FFFD in "unsupported modifier" messages.
  const shown = (c: string): string => (c === EOF ? '\ufffd' : c);
  let modifiers = shown(ch);
  let op = ch;
  const missingBrace = (err: unknown): never => {
    if (sc.peek() === EOF) throw new Error("syntax error: missing '}'");
    throw err;
  };
  if (op === '}') {
    const value = sw.getEnv(name);
    if (value === undefined && sw.skipUnsetEnv) return `\${${name}}`;
    return value ?? '';
  }
  if (op === '/') {
    const all = sc.peek() === '/';
    if (all) sc.next();
    let pattern: string;
    try {
      [pattern] = sw.processStopOn('/', true);
    } catch (err) {
      if (sc.peek() === EOF) throw new Error("syntax error: missing '/' in ${}");
      throw err;
    }
    let replacement = '';
    try {
      [replacement] = sw.processStopOn('}', true);
    } catch (err) {
      missingBrace(err);
    }
    const value = sw.getEnv(name);
    if (value === undefined && sw.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
    return replacePattern(value ?? '', pattern, replacement, all);
  }
  const nullIsUnset = op === ':';
  if (nullIsUnset) {
    op = sc.next();
    modifiers += shown(op);
  } else if (!['+', '-', '?', '#', '%'].includes(op)) {
    throw new Error(`unsupported modifier (${modifiers}) in substitution`);
  }
  // After ':' any character is accepted until the word is read; a bad one fails below.
  const patternOp = op === '#' || op === '%';
  if (nullIsUnset && patternOp) throw new Error(`unsupported modifier (${modifiers}) in substitution`);
  let word = '';
  try {
    [word] = sw.processStopOn('}', patternOp);
  } catch (err) {
    missingBrace(err);
  }
  const value = sw.getEnv(name);
  if (value === undefined && sw.skipUnsetEnv) return `\${${name}${modifiers}${word}}`;
  const empty = value === undefined || (nullIsUnset && value === '');
  switch (op) {
    case '-':
      return empty ? word : value!;
    case '+':
      return empty ? '' : word;
    case '?':
      if (value === undefined) throw new Error(`${name}: ${word || 'is not allowed to be unset'}`);
      if (empty) throw new Error(`${name}: ${word || 'is not allowed to be empty'}`);
      return value;
    case '#':
    case '%': {
      // One # or % is the shortest match, two the longest.
      const greedy = word.startsWith(op);
      const pattern = greedy ? word.slice(1) : word;
      return op === '%' ? trimSuffix(pattern, value ?? '', greedy) : trimPrefix(pattern, value ?? '', greedy);
    }
    default:
      throw new Error(`unsupported modifier (${modifiers}) in substitution`);
  }
}
