// Heredoc words (`<<EOF`, `<<-'EOF'`, `3<<EOF`) in RUN, COPY and ADD lines.
import type { Heredoc } from './ast.ts';
import type { EnvGetter } from './lexer.ts';
import { ShellLex } from './lexer.ts';

const heredocWord = /^([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)$/u;
const noEnv: EnvGetter = { get: () => undefined };

function count(s: string, chars: string): number {
  let n = 0;
  for (const ch of s) if (chars.includes(ch)) n++;
  return n;
}

/**
 * Parses one word as a heredoc marker: null when it is not one, an error for an unbalanced quote.
 * The content is left empty; the parser fills it in.
 */
export function parseHeredoc(word: string): Heredoc | null {
  const match = heredocWord.exec(word);
  if (!match) return null;
  const rest = match[3]!;
  if (rest === '') return null;
  const lex = new ShellLex('\\');
  lex.skipUnsetEnv = true;
  const words = lex.processWords(rest, noEnv);
  if (words.length !== 1) return null;
  lex.rawQuotes = true;
  const rawWords = lex.processWords(rest, noEnv);
  if (rawWords.length !== words.length) {
    throw new Error(`internal lexing of heredoc produced inconsistent results: ${rest}`);
  }
  const name = words[0]!;
  // If removing quotes changed the word, part of it was quoted: no expansion in the content.
  const expand = count(name, `'"`) === count(rawWords[0]!, `'"`);
  return { name, fileDescriptor: Number(match[1] || '0'), expand, chomp: match[2] === '-', content: '' };
}

/** The heredocs a line opens, in order. */
export function heredocsFromLine(line: string): Heredoc[] {
  const lex = new ShellLex('\\');
  lex.rawQuotes = true;
  lex.rawEscapes = true;
  lex.skipUnsetEnv = true;
  let words: string[];
  try {
    words = lex.processWords(line, noEnv);
  } catch {
    words = [];
  }
  const docs: Heredoc[] = [];
  for (const word of words) {
    const doc = parseHeredoc(word);
    if (doc) docs.push(doc);
  }
  return docs;
}

/** Strips leading tabs from every line, for `<<-` heredocs. */
export function chompHeredocContent(content: string): string {
  return content
    .split('\n')
    .map((line) => line.replace(/^\t+/, ''))
    .join('\n');
}
