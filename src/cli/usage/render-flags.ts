// pflag's FlagUsagesWrapped: aligned "  -a, --attach list   usage (default ...)" lines, wrapped to the terminal.
import { flagTypeName, type FlagSpec } from '../flags/spec.ts';

/** Renders visible flags sorted by name, wrapping usage text to `cols` columns (0: no wrapping). */
export function renderFlagUsages(specs: readonly FlagSpec[], cols: number): string {
  const visible = specs.filter((s) => !s.hidden).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines = visible.map((spec) => {
    let head = spec.short ? `  -${spec.short}, --${spec.name}` : `      --${spec.name}`;
    const type = flagTypeName(spec);
    if (type !== '') head += ' ' + type;
    const usage = spec.defaultText === undefined ? spec.usage : `${spec.usage} (default ${spec.defaultText})`;
    return { head, usage };
  });
  const maxlen = Math.max(0, ...lines.map((l) => l.head.length + 1));
  // Go's Println puts a space between head, padding and usage: usage starts at column maxlen + 2.
  return lines.map(({ head, usage }) => `${head} ${' '.repeat(maxlen - head.length)} ${wrap(maxlen + 2, cols, usage)}\n`).join('');
}

/** pflag's wrap: indent continuation lines by `indent`, break at spaces to fit `width`. */
function wrap(indent: number, width: number, text: string): string {
  if (width === 0) return text.replaceAll('\n', '\n' + ' '.repeat(indent));
  let i = indent;
  let room = width - i;
  let out = '';
  // Not enough room beside the flag names: put the text in a block on the next line instead.
  if (room < 24) {
    i = 16;
    room = width - i;
    out += '\n' + ' '.repeat(i);
  }
  if (room < 24) return text.replaceAll('\n', out);
  // Let a line run up to `slop` columns over rather than leave a short orphan word.
  const slop = 5;
  room -= slop;
  const pad = '\n' + ' '.repeat(i);
  let [line, rest] = wrapN(room, slop, text);
  out += line.replaceAll('\n', pad);
  while (rest !== '') {
    [line, rest] = wrapN(room, slop, rest);
    out += pad + line.replaceAll('\n', pad);
  }
  return out;
}

function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}
