// Edge cases beyond the conformance corpus, each worked out from patternmatcher's code: the glob
// becomes an RE2 regexp with `[`, `]`, `^` and `\x` passed through raw.
import { describe, expect, test } from 'vitest';
import { cleanPath, compileGoRegexp, trimSpace } from './go-compat.ts';
import { readIgnoreFile } from './ignorefile.ts';
import { PatternMatcher } from './matcher.ts';

describe('PatternMatcher edge cases', () => {
  test.each([
    // [patterns, path, ignored]
    [['**file'], 'myfile', true], // a leading ** is a plain suffix test
    [['**/file'], 'myfile', false],
    [['abc**'], 'abcdef/x', true], // a trailing ** is a plain prefix test
    [['a]b'], 'a]b', true], // a lone ] is a literal for RE2
    [['a]b*'], 'a]bc', true],
    [['[*]'], ']', true], // RE2 sees `[[^/]*]`: the class {[, ^, /} repeated, then `]`
    [['[*]'], '*', false],
    [['[[:digit:]]x'], '7x', true],
    [['[[:^digit:]]x'], '7x', false],
    [['[[:^digit:]]x'], 'ax', true],
    [['\\d*'], '9lives', true], // `\d` is RE2's digit class, not a literal d
    [['\\d*'], 'dlives', false],
    [['a^b*'], 'a^bc', false], // an unescaped ^ anchors and can never match mid-path
    [['a.c*'], 'abcd', false],
    [['a.c*'], 'a.cd', true],
    [['*.txt'], 'a\r.txt', true],
    [['?'], '\n', true],
    [['é*'], 'été', true],
    [['[à-ü]t'], 'ét', true],
    [['**/y', '!a'], 'a/y', false], // the exception matches a parent directory
    [['a/*'], 'a/b/c', true],
    [['a/*', '!a/b'], 'a/b/c', false],
  ] as const)('%j on %j → %s', (patterns, path, ignored) => {
    expect(new PatternMatcher(patterns).matchesOrParentMatches(path)).toBe(ignored);
  });

  test.each([
    [['a\\qb*'], 'axb', 'syntax error in pattern'], // RE2 has no \q; Go's glob check allowed it
    [['[b-a]'], 'b', 'syntax error in pattern'],
  ] as const)('%j fails when matching %j', (patterns, path, message) => {
    const matcher = new PatternMatcher(patterns);
    expect(() => matcher.matchesOrParentMatches(path)).toThrow(message);
  });

  test('an invalid pattern skipped by the order rule never reports its error', () => {
    expect(new PatternMatcher(['x', '![b-a]']).matchesOrParentMatches('y')).toBe(false);
  });

  test('patterns are trimmed, cleaned and split into exceptions', () => {
    expect(new PatternMatcher(['  ./a//b/ ', '', '!./c', '!c/../d']).patterns).toEqual([
      { pattern: 'a/b', exclusion: false },
      // Go cleans before looking at `!`, so `!.` and `!c` are path segments (readIgnoreFile
      // strips the `!` first, so patterns from a .dockerignore never hit this).
      { pattern: './c', exclusion: true },
      { pattern: 'd', exclusion: false },
    ]);
  });
});

describe('readIgnoreFile', () => {
  test.each([
    ['a\r\nb\r\n', ['a', 'b']],
    ['\uFEFF#x\n#y', []],
    [' #x\n', ['#x']],
    ['/\n//a\n!/b\n', ['/', 'a', '!b']],
    ['a/../../b\n', ['../b']],
    ['\u00a0a\u0085\n', ['a']],
    ['', []],
  ] as const)('%j → %j', (text, patterns) => {
    expect(readIgnoreFile(text)).toEqual(patterns);
  });
});

describe('Go helpers', () => {
  test.each([
    ['', '.'],
    ['/', '/'],
    ['./', '.'],
    ['/../a/', '/a'],
    ['a/b/../../..', '..'],
    ['a//b/./c/', 'a/b/c'],
  ])('cleanPath(%j) = %j', (input, want) => {
    expect(cleanPath(input)).toBe(want);
  });

  test('trimSpace follows Go, not String.prototype.trim', () => {
    expect(trimSpace('\uFEFFa\u0085')).toBe('\uFEFFa');
  });

  test.each([
    ['^a\\x41$', 'aA', true],
    ['^\\x{1F600}$', '😀', true],
    ['^[\\d\\-]$', '-', true],
    ['^[\\D]$', '5', false],
    ['^\\101$', 'A', true],
    ['^a\\b', 'a b', true],
  ])('compileGoRegexp(%j) on %j → %s', (source, text, want) => {
    expect(compileGoRegexp(source).test(text)).toBe(want);
  });

  test.each(['^\\1$', '^\\x4$', '^\\pL$', '^[a', '^[[:nope:]]$', '^\\é$'])('compileGoRegexp(%j) fails like RE2', (source) => {
    expect(() => compileGoRegexp(source)).toThrow();
  });
});
