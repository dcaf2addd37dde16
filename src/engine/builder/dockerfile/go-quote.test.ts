import { describe, expect, it } from 'vitest';
import { goQuote, goQuoteList } from './go-quote.ts';

describe('goQuote (strconv.Quote)', () => {
  it.each([
    ['plain', '"plain"'],
    ['a "b" \\c', '"a \\"b\\" \\\\c"'],
    ['\x07\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['é 한국어 ♥', '"é 한국어 ♥"'],
    ['\u00a0\u2028\ufeff', '"\\u00a0\\u2028\\ufeff"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['😀', '"😀"'],
    ['\ud800', '"\\xed\\xa0\\x80"'],
  ])('%j → %s', (input, want) => expect(goQuote(input)).toBe(want));

  it('quotes a list like %q of []string', () => {
    expect(goQuoteList(['--from=a', 'x y'])).toBe('["--from=a" "x y"]');
    expect(goQuoteList([])).toBe('[]');
  });
});
