// Dockerfile text → syntax tree, following BuildKit's parser.Parse: directives, comments, line
// continuations, heredocs, and the per-instruction argument parsers in line-parsers.ts.
import { DockerfileParseError, newNode, type LineRange, type Node } from './ast.ts';
import { DirectiveParser } from './directives.ts';
import { goTrimLeftSpace, goTrimSpace } from './go-strings.ts';
import { heredocsFromLine } from './heredoc.ts';
import { parseArguments } from './line-parsers.ts';
import { LineScanner } from './line-scanner.ts';
import { splitCommand } from './split-command.ts';

export interface ParseWarning {
  short: string;
  detail: string[];
  url: string;
  location: LineRange;
}

export interface ParseResult {
  /** The root: one child per instruction, with the line range they cover. */
  ast: Node;
  /** '\\' or '`', from the `# escape=` directive. */
  escapeToken: string;
  warnings: ParseWarning[];
}

const heredocInstructions = new Set(['add', 'copy', 'run']);

/** Escape state set by the `# escape=` directive; it also decides what a line continuation is. */
class Directives {
  readonly parser = new DirectiveParser();
  escapeToken = '\\';
  #continuation = continuationRegex('\\');

  setEscapeToken(token: string): void {
    if (token !== '`' && token !== '\\') throw new Error(`invalid escape token '${token}' does not match \` or \\`);
    this.escapeToken = token;
    this.#continuation = continuationRegex(token);
  }

  /** Strips a trailing continuation token; `done` is false when the instruction goes on. */
  trimContinuation(line: string): { line: string; done: boolean } {
    if (!this.#continuation.test(line)) return { line, done: true };
    return { line: line.replace(this.#continuation, '$1'), done: false };
  }
}

/**
 * The escape token as the last non-blank character, unless it is the only one or is escaped
 * itself (an escaped escape before it is not detected, as upstream).
 */
function continuationRegex(token: string): RegExp {
  const t = token === '\\' ? '\\\\' : token;
  return new RegExp(`([^${t}])${t}[ \\t]*$|^${t}[ \\t]*$`, 'u');
}

function isComment(line: string): boolean {
  return goTrimLeftSpace(line).startsWith('#');
}

function trimNewline(line: string): string {
  return line.replace(/[\r\n]+$/, '');
}

/** Trims the line ending, reads a possible directive, and blanks comment lines. */
function processLine(d: Directives, raw: string, stripLeft: boolean): { line: string; directive: boolean } {
  let line = trimNewline(raw);
  if (stripLeft) line = goTrimLeftSpace(line);
  const directive = d.parser.parseLine(line);
  if (directive?.name === 'escape') d.setEscapeToken(directive.value);
  return { line: isComment(line) ? '' : line, directive: directive !== null };
}

function newNodeFromLine(line: string, d: Directives, comments: string[]): Node {
  const { name, flags, args } = splitCommand(line, d.escapeToken);
  const parsed = parseArguments(name, args, d.escapeToken, (sub) => newNodeFromLine(sub, d, []));
  const node = newNode(name, parsed.next);
  node.original = line;
  node.flags = flags;
  node.prevComment = comments;
  if (parsed.json) node.attributes.json = true;
  return node;
}

function canContainHeredoc(node: Node): boolean {
  let target = node;
  // ONBUILD RUN <<EOF: look at the wrapped instruction.
  if (node.value.toLowerCase() === 'onbuild' && node.next !== null && node.next.children.length > 0) {
    target = node.next.children[0]!;
  }
  return heredocInstructions.has(target.value.toLowerCase()) && !target.attributes.json;
}

/** Parses a Dockerfile given as bytes (UTF-8) or text. Throws DockerfileParseError. */
export function parse(input: Uint8Array | string): ParseResult {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const d = new Directives();
  const scanner = new LineScanner(text.startsWith('\ufeff') ? text.slice(1) : text);
  const root = newNode();
  root.startLine = -1;
  const warnings: ParseWarning[] = [];
  let comments: string[] = [];
  let currentLine = 0;
  const fail = (err: unknown, start: number, end = 0): never => {
    throw new DockerfileParseError((err as Error).message, start, end);
  };

  for (let raw = scanner.scan(); raw !== null; raw = scanner.scan()) {
    if (isComment(raw)) {
      // As upstream: the character dropped is the line's first, even if it is a blank.
      const comment = goTrimSpace(Array.from(raw).slice(1).join(''));
      comments = comment === '' ? [] : [...comments, comment];
    }
    let first: { line: string; directive: boolean };
    try {
      first = processLine(d, raw, true);
    } catch (err) {
      return fail(err, currentLine);
    }
    if (first.directive) comments = comments.slice(0, -1);
    currentLine++;
    const startLine = currentLine;
    let { line, done } = d.trimContinuation(first.line);
    if (done && line === '') continue;

    let joined = line;
    let emptyContinuation = false;
    for (let next = done ? null : scanner.scan(); next !== null; next = done ? null : scanner.scan()) {
      let processed: string;
      try {
        processed = processLine(d, next, false).line;
      } catch (err) {
        return fail(err, currentLine);
      }
      currentLine++;
      if (isComment(next)) continue;
      if (goTrimLeftSpace(trimNewline(processed)) === '') {
        emptyContinuation = true;
        continue;
      }
      ({ line, done } = d.trimContinuation(processed));
      joined += line;
    }

    if (emptyContinuation) {
      warnings.push({
        short: `Empty continuation line found in: ${joined}`,
        detail: ['Empty continuation lines will become errors in a future release'],
        url: 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/',
        location: { start: currentLine, end: currentLine },
      });
    }

    let child: Node;
    try {
      child = newNodeFromLine(joined, d, comments);
    } catch (err) {
      return fail(err, startLine, currentLine);
    }

    if (canContainHeredoc(child) && joined.includes('<<')) {
      let heredocs;
      try {
        heredocs = heredocsFromLine(joined);
      } catch (err) {
        return fail(err, startLine, currentLine);
      }
      for (const heredoc of heredocs) {
        let terminated = false;
        let content = heredoc.content;
        for (let body = scanner.scan(); body !== null; body = scanner.scan()) {
          currentLine++;
          let candidate = trimNewline(body);
          if (heredoc.chomp) candidate = candidate.replace(/^\t+/, '');
          if (candidate === heredoc.name) {
            terminated = true;
            break;
          }
          content += body;
        }
        if (!terminated) fail(new Error('unterminated heredoc'), startLine, currentLine);
        child.heredocs.push({ ...heredoc, content });
      }
    }

    child.startLine = startLine;
    child.endLine = currentLine;
    if (root.startLine < 0) root.startLine = startLine;
    root.endLine = currentLine;
    root.children.push(child);
    comments = [];
  }

  if (root.startLine < 0) fail(new Error('file with no instructions'), currentLine);
  if (scanner.error !== null) fail(new Error(scanner.error), currentLine);
  return { ast: root, escapeToken: d.escapeToken, warnings };
}
