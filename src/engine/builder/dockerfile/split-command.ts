// Splits an instruction line into its name, its `--flag` words and the rest.
import { goTrimSpace, isGoSpace, splitOnce } from './go-strings.ts';

/** Go's reWhitespace in the parser: ASCII blanks, not newlines. */
export const blanks = /[\t\v\f\r ]+/;

export interface SplitCommand {
  name: string;
  flags: string[];
  args: string;
}

export function splitCommand(line: string, escapeToken: string): SplitCommand {
  const [name, rest] = splitOnce(goTrimSpace(line), blanks);
  if (rest === undefined) return { name, flags: [], args: '' };
  const { args, flags } = extractBuilderFlags(rest, escapeToken);
  return { name, flags, args: goTrimSpace(args) };
}

/**
 * Takes leading words that start with `--` as flags. Quotes and escapes inside a flag word are
 * resolved; a lone `--` ends the flags.
 */
function extractBuilderFlags(line: string, escapeToken: string): { args: string; flags: string[] } {
  const flags: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  let blankOk = false;
  const finishWord = (): void => {
    if (blankOk || word !== '') flags.push(word);
    word = '';
    blankOk = false;
  };
  for (let pos = 0; pos < line.length; pos++) {
    let ch = line[pos]!;
    if (phase === 'spaces') {
      if (isGoSpace(ch)) continue;
      if (ch !== '-' || line[pos + 1] !== '-') return { args: line.slice(pos), flags };
      phase = 'word';
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (word === '--') return { args: line.slice(pos), flags };
        finishWord();
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = 'quote';
        continue;
      }
      if (ch === escapeToken) {
        if (pos + 1 === line.length) continue; // a trailing escape is dropped
        ch = line[++pos]!;
      }
      word += ch;
      continue;
    }
    // phase === 'quote'
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    if (ch === escapeToken) {
      if (pos + 1 === line.length) {
        phase = 'word';
        continue;
      }
      ch = line[++pos]!;
    }
    word += ch;
  }
  if (phase !== 'spaces' && word !== '--' && (blankOk || word !== '')) flags.push(word);
  return { args: '', flags };
}
