// Parser directives (`# escape=`, `# syntax=`, `# check=`): comment lines at the very top of the
// file, read until the first line that is not one.
import { goTrimLeftSpace } from './go-strings.ts';

export interface Directive {
  /** Lower-cased name. */
  name: string;
  value: string;
  /** 1-based line number. */
  line: number;
}

const validDirectives = new Set(['syntax', 'escape', 'check']);
// RE2's \s is ASCII-only and its `.` only stops at "\n".
const directiveLine = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/;

/** Reads directives line by line; stops for good at the first line that is not one. */
export class DirectiveParser {
  #line: number;
  #done = false;
  readonly #comment: string;
  readonly #seen = new Set<string>();

  constructor(comment = '#', startLine = 0) {
    this.#comment = comment;
    this.#line = startLine;
  }

  /** Returns the directive on this line, null if none; throws on a repeated directive. */
  parseLine(line: string): Directive | null {
    this.#line++;
    if (this.#done) return null;
    if (!line.startsWith(this.#comment)) {
      this.#done = true;
      return null;
    }
    const match = directiveLine.exec(goTrimLeftSpace(line.slice(this.#comment.length)));
    const name = match?.[1]!.toLowerCase();
    if (!match || name === undefined || !validDirectives.has(name)) {
      this.#done = true;
      return null;
    }
    if (this.#seen.has(name)) throw new Error(`only one ${name} parser directive can be used`);
    this.#seen.add(name);
    return { name, value: match[2]!, line: this.#line };
  }

  parseAll(text: string): Directive[] {
    const directives: Directive[] = [];
    for (const line of splitScannerLines(text)) {
      if (this.#done) break;
      const directive = this.parseLine(line);
      if (directive) directives.push(directive);
    }
    return directives;
  }
}

/** bufio.ScanLines: lines without their "\n" or "\r\n"; no empty last line. */
function splitScannerLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (text === '' || text.endsWith('\n')) lines.pop();
  return lines;
}

export interface SyntaxDirective {
  /** The frontend image reference: the value up to its first space. */
  ref: string;
  /** The whole value. */
  cmdline: string;
  /** 1-based line (0 for the JSON form without a shebang). */
  line: number;
}

/**
 * Finds the `syntax` directive the way BuildKit picks a frontend: `# syntax=`, else `// syntax=`,
 * else a JSON document `{"syntax": "..."}`; a leading `#!` line is skipped.
 */
export function detectSyntax(text: string): SyntaxDirective | null {
  return findDirective('syntax', text, true);
}

/** A directive by name, only in the `# name=value` form. */
export function parseDirective(name: string, text: string): SyntaxDirective | null {
  return findDirective(name, text, false);
}

function findDirective(key: string, text: string, anyFormat: boolean): SyntaxDirective | null {
  let data = text.startsWith('\ufeff') ? text.slice(1) : text;
  let line = 0;
  const newline = data.indexOf('\n');
  if ((newline < 0 ? data : data.slice(0, newline)).startsWith('#!')) {
    data = newline < 0 ? '' : data.slice(newline + 1);
    line = 1;
  }
  const prefixes = anyFormat ? ['#', '//'] : ['#'];
  for (const prefix of prefixes) {
    const found = new DirectiveParser(prefix, line).parseAll(data).find((d) => d.name === key);
    if (found) return { ref: found.value.split(' ')[0]!, cmdline: found.value, line: found.line };
  }
  if (!anyFormat) return null;
  try {
    const doc: unknown = JSON.parse(data);
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
      const value = (doc as Record<string, unknown>)[key];
      if (typeof value === 'string') return { ref: value, cmdline: value, line };
    }
  } catch {
    // not JSON: no directive
  }
  return null;
}
