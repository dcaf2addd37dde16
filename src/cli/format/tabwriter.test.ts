import { describe, expect, test } from 'vitest';
import { Tabwriter, tabwrite } from './tabwriter.ts';
import { stringWidth } from './runewidth.ts';

// Outputs of docker/cli's tabwriter (NewWriter(out, 10, 1, 3, ' ', 0)) for the same input.
const cases: [string, string][] = [
  ['a\tb\tc\n', 'a         b         c\n'],
  ['NAME\tVALUE\nx\t1\nlonger-name-here\t22\n', 'NAME               VALUE\nx                  1\nlonger-name-here   22\n'],
  ['h1\th2\th3\nshort\tmuch longer cell\tend\n', 'h1        h2                 h3\nshort     much longer cell   end\n'],
  ['no tabs at all\nstill none\n', 'no tabs at all\nstill none\n'],
  ['a\tb\nno tab line\nccc\tddd\n', 'a         b\nno tab line\nccc       ddd\n'],
  ['a\tb\tc\nd\te\nf\tg\th\ti\n', 'a         b         c\nd         e\nf         g         h         i\n'],
  ['\t\tx\n\t\ty\n', '                    x\n                    y\n'],
  ['数据\tx\n数据数据数据数据数据数据\ty\n', '数据                       x\n数据数据数据数据数据数据   y\n'],
  ['héllo\twörld\tz\nplain\tascii\tz\n', 'héllo     wörld     z\nplain     ascii     z\n'],
  ['e\u0301\tcombining\nab\tx\n', 'e\u0301         combining\nab        x\n'],
  ['🐳 whale\tx\nabc\ty\n', '🐳 whale   x\nabc        y\n'],
  ['trailing\tcell without newline', 'trailing   cell without newline'],
  ['a\tb\t\n', 'a         b         \n'],
  ['', ''],
  ['x\n\ny\tz\n', 'x\n\ny         z\n'],
];

describe('tabwriter (docker/cli configuration)', () => {
  test.each(cases)('%j', (input, want) => {
    expect(tabwrite(input)).toBe(want);
  });

  test('writes split anywhere give the same output', () => {
    const input = 'NAME\tVALUE\tX\nx\t1\ty\nlonger-name-here\t22\tz\n';
    for (let cut = 0; cut <= input.length; cut++) {
      const w = new Tabwriter();
      w.write(input.slice(0, cut));
      w.write(input.slice(cut));
      expect(w.flush()).toBe(tabwrite(input));
    }
  });

  test.each([
    ['abc', 3], ['数据', 4], ['e\u0301', 1], ['🐳', 2], ['\u200b', 0], ['ｱ', 1], ['Ａ', 2],
  ] as [string, number][])('stringWidth(%j) = %d', (s, w) => {
    expect(stringWidth(s)).toBe(w);
  });
});
