// Per-instruction argument parsing: each instruction's arguments become a `next` chain of nodes.
// Quotes and variables are left alone here; the builder expands them later.
import { newNode, type Node } from './ast.ts';
import { goQuote } from './go-quote.ts';
import { goTrimLeftSpace, isGoSpace, splitOnce } from './go-strings.ts';
import { blanks } from './split-command.ts';

export interface ParsedArgs {
  next: Node | null;
  json: boolean;
}

/** Parses a nested instruction (for ONBUILD); supplied by the parser to avoid a module cycle. */
export type SubcommandParser = (line: string) => Node;

export const errNotStringArray = 'when using JSON array syntax, arrays must be comprised of strings only';

function chain(values: readonly string[]): Node | null {
  let head: Node | null = null;
  for (let i = values.length - 1; i >= 0; i--) head = newNode(values[i], head);
  return head;
}

const shell = (next: Node | null): ParsedArgs => ({ next, json: false });

/**
 * Splits on white space outside quotes. Quotes and escapes are kept in the words; an escape at
 * the very end is dropped.
 */
export function parseWords(rest: string, escapeToken: string): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOk = false;
  let word = '';
  for (let i = 0; i < chars.length; i++) {
    let ch = chars[i]!;
    const atEnd = i + 1 === chars.length;
    if (phase === 'spaces') {
      if (isGoSpace(ch)) continue;
      phase = 'word';
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (blankOk || word !== '') words.push(word);
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
      }
      if (ch === escapeToken) {
        if (atEnd) continue;
        // Outside quotes an escape and the character after it are kept, even if that is a quote.
        word += ch;
        ch = chars[++i]!;
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = 'word';
    // In single quotes nothing can be escaped.
    if (ch === escapeToken && quote !== "'") {
      if (atEnd) {
        phase = 'word';
        continue;
      }
      word += ch;
      ch = chars[++i]!;
    }
    word += ch;
  }
  if (phase !== 'spaces' && (blankOk || word !== '')) words.push(word);
  return words;
}

/** ENV and LABEL: `name value` (old form) or `name=value ...`, as (name, value, separator) triples. */
export function parseNameValue(rest: string, instruction: string, escapeToken: string): Node | null {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return null;
  if (!words[0]!.includes('=')) {
    const parts = splitOnce(rest, blanks);
    if (parts.length < 2) throw new Error(`${instruction} must have two arguments`);
    return chain([parts[0], parts[1]!, '']);
  }
  const values: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      throw new Error(`Syntax error - can't find = in ${goQuote(word)}. Must be of the form: name=value`);
    }
    values.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return chain(values);
}

/**
 * The exec form: a JSON array of strings. Returns null when `rest` is not JSON at all (the caller
 * falls back to the shell form) and throws when it is an array with other things in it.
 */
export function parseJsonArray(rest: string): string[] | null {
  const text = goTrimLeftSpace(rest);
  if (!text.startsWith('[')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  if (!parsed.every((item): item is string => typeof item === 'string')) throw new Error(errNotStringArray);
  // Go's decoder turns lone surrogates from \ud800-style escapes into U+FFFD.
  return parsed.map((s) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

function parseMaybeJson(rest: string): ParsedArgs {
  if (rest === '') return shell(null);
  const array = parseJsonArray(rest);
  return array ? { next: chain(array), json: true } : shell(newNode(rest));
}

function parseMaybeJsonToList(rest: string): ParsedArgs {
  const array = parseJsonArray(rest);
  return array ? { next: chain(array), json: true } : shell(whitespaceDelimited(rest));
}

function whitespaceDelimited(rest: string): Node | null {
  return rest === '' ? null : chain(rest.split(blanks));
}

/** HEALTHCHECK: a type word (CMD, NONE), then a command in either form. */
function parseHealthConfig(rest: string): ParsedArgs {
  let sep = 0;
  while (sep < rest.length && !isGoSpace(rest[sep]!)) sep++;
  if (sep === 0) return shell(null);
  let next = sep;
  while (next < rest.length && isGoSpace(rest[next]!)) next++;
  const command = parseMaybeJson(rest.slice(next));
  return { next: newNode(rest.slice(0, sep), command.next), json: command.json };
}

type LineParser = (rest: string, escapeToken: string, sub: SubcommandParser) => ParsedArgs;

const single = (rest: string): ParsedArgs => shell(rest === '' ? null : newNode(rest));

const dispatch: Record<string, LineParser> = {
  add: parseMaybeJsonToList,
  arg: (rest, esc) => shell(chain(parseWords(rest, esc))),
  cmd: parseMaybeJson,
  copy: parseMaybeJsonToList,
  entrypoint: parseMaybeJson,
  env: (rest, esc) => shell(parseNameValue(rest, 'ENV', esc)),
  expose: (rest) => shell(whitespaceDelimited(rest)),
  from: (rest) => shell(whitespaceDelimited(rest)),
  healthcheck: parseHealthConfig,
  label: (rest, esc) => shell(parseNameValue(rest, 'LABEL', esc)),
  maintainer: single,
  onbuild: (rest, _esc, sub) => {
    if (rest === '') return shell(null);
    const holder = newNode();
    holder.children.push(sub(rest));
    return shell(holder);
  },
  run: parseMaybeJson,
  shell: parseMaybeJson,
  stopsignal: single,
  user: single,
  volume: parseMaybeJsonToList,
  workdir: single,
};

/** Unknown instructions keep their name and get one empty argument node; the builder rejects them. */
const ignore: LineParser = () => shell(newNode());

export function parseArguments(instruction: string, rest: string, escapeToken: string, sub: SubcommandParser): ParsedArgs {
  const parser = Object.hasOwn(dispatch, instruction.toLowerCase()) ? dispatch[instruction.toLowerCase()]! : ignore;
  return parser(rest, escapeToken, sub);
}
