// Display width of text in terminal cells, as go-runewidth's StringWidth (non-East-Asian locale)
// computes it for docker/cli's tabwriter: per grapheme cluster, the width of its first non-zero
// rune; wide (East Asian W/F, emoji presentation) = 2, combining marks and controls = 0.

const WIDE_RANGES: readonly [number, number][] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3041, 0x33ff],
  [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4], [0x17000, 0x18aff], [0x1b000, 0x1b2ff], [0x1f200, 0x1f2ff],
  [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

const emojiPresentation = /\p{Emoji_Presentation}/u;
const zeroWidth = /[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function runeWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0xad) return 0;
  if (cp < 0x300) return 1;
  const ch = String.fromCodePoint(cp);
  if (zeroWidth.test(ch)) return 0;
  if (WIDE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) || emojiPresentation.test(ch)) return 2;
  return 1;
}

export function stringWidth(s: string): number {
  // Fast path: printable ASCII is one cell per character.
  if (/^[\x20-\x7e]*$/.test(s)) return s.length;
  let width = 0;
  for (const { segment } of segmenter.segment(s)) {
    let w = 0;
    for (const ch of segment) {
      w = runeWidth(ch.codePointAt(0)!);
      if (w > 0) break;
    }
    width += w;
  }
  return width;
}
