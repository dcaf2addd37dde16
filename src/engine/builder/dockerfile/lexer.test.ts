// Cases beyond the corpus, each checked against BuildKit's shell.Lex at the corpus commit.
import { describe, expect, it } from 'vitest';
import { ShellLex } from './lexer.ts';

const env = new Map([
  ['FOO', 'abcabc'],
  ['x', 'X'],
]);

describe('ShellLex.processWord', () => {
  it.each([
    ['x${FOO//*/y}', 'xy'],
    ['${FOO//x*/-}', 'abcabc'],
    ['${FOO//?/$0}', ''], // $0 is a shell parameter here, unset
    ['${FOO//c*/\\$0-}', 'ab\\cabc-'], // an escaped $0 reaches Go's template expansion
    ['${FOO//b/\\$\\$}', 'a\\$\\$ca\\$\\$c'],
    ['${FOO//b/\\${x}y}', 'a\\${xca\\${xcy}'], // the first '}' closes ${FOO...}
    ['${FOO/b/\\$0}', 'a\\$0cabc'],
    ['${FOO/b/$x}', 'aXcabc'],
    ['${FOO%b*}', 'abca'],
    ['${FOO%%b*}', 'a'],
    ['${FOO#*b}', 'cabc'],
    ['${FOO##*b}', 'c'],
    ['$1$2', ''],
    ['\\$FOO${FOO}', '$FOOabcabc'],
    ['"\\a"', '\\a'],
    ['a<b', 'a<b'],
  ])('%s → %j', (input, want) => expect(new ShellLex().processWord(input, env)).toBe(want));

  it.each([
    ['${FOO:x}', 'failed to process "${FOO:x}": unsupported modifier (:x) in substitution'],
    ['${FOO:}', `failed to process "\${FOO:}": syntax error: missing '}'`],
    ['${FOO', 'failed to process "${FOO": unsupported modifier (\ufffd) in substitution'],
    ['${NOPE?}', 'failed to process "${NOPE?}": NOPE: is not allowed to be unset'],
    ['"a', 'unexpected end of statement while looking for matching double-quote'],
  ])('%s fails: %s', (input, message) => expect(() => new ShellLex().processWord(input, env)).toThrow(message));

  it('uses a backtick escape token when asked', () => {
    expect(new ShellLex('`').processWord('a`$FOO "b`"c" \\x', env)).toBe('a$FOO b"c \\x');
  });

  it('keeps unset references and quotes in raw mode', () => {
    const lex = new ShellLex();
    lex.skipUnsetEnv = true;
    lex.rawQuotes = true;
    expect(lex.processWord('"$NOPE" ${NOPE:-d} ${x}', env)).toBe('"$NOPE" ${NOPE:-d} X');
  });

  it('reports matched and unmatched variables', () => {
    const got = new ShellLex().processWordWithMatches('${x}${y:-1}', env);
    expect([got.result, [...got.matched], [...got.unmatched]]).toEqual(['X1', ['x'], ['y']]);
  });
});

describe('ShellLex.processWords', () => {
  it.each([
    ['ab${y:-z} c', ['z', 'c']], // BuildKit's shared word buffer drops the "ab"
    ['"a${x:-b}c" d', ['aXc', 'd']],
    ['\t a  b\u00a0c\ufeffd', ['a', 'b', 'c\ufeffd']],
  ])('%j → %j', (input, want) => expect(new ShellLex().processWords(input, env)).toEqual(want));

  it('splits after a backtick escape only where unescaped', () => {
    expect(new ShellLex('`').processWords('a` b c', env)).toEqual(['a b', 'c']);
  });
});
