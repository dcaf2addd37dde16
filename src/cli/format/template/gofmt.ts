// Go's fmt printing of template values: Sprint, Sprintln, Sprintf and the %v rendering of
// maps ("map[a:1 b:2]"), slices ("[a b]"), structs ("{a b}") and floats.
import { formatFloat, formatFloatV } from '../../../lib/go-float.ts';
import { isPointerStruct, kindOf, sortedEntries, structFields, typeName } from './values.ts';

const addresses = new WeakMap<object, string>();
let nextAddress = 0xc000010000;

/** A pointer inside a printed value prints as its address in Go: a stable stand-in per object. */
function fakeAddress(v: object): string {
  let a = addresses.get(v);
  if (!a) {
    a = `0x${nextAddress.toString(16)}`;
    nextAddress += 0x180;
    addresses.set(v, a);
  }
  return a;
}


/** %v of one value, as fmt prints it inside Sprint. `plus` is %+v (struct field names). */
export function formatValue(v: unknown, plus = false, depth = 0): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
    case 'nilptr':
      return '<nil>';
    case 'string':
      return v as string;
    case 'bool':
    case 'int':
      return String(v);
    case 'float':
      return formatFloatV(Number(v));
    case 'nilmap':
      return 'map[]';
    case 'nilslice':
      return '[]';
    case 'slice':
      return `[${(v as unknown[]).map((e) => formatValue(e, plus, depth + 1)).join(' ')}]`;
    case 'map':
      return `map[${sortedEntries(v as object).map(([k, e]) => `${k}:${formatValue(e, plus, depth + 1)}`).join(' ')}]`;
    case 'struct': {
      if (depth > 0 && isPointerStruct(v as object)) return fakeAddress(v as object);
      const fields = structFields(v as object).map(([k, e]) => (plus ? `${k}:` : '') + formatValue(e, plus, depth + 1));
      return `{${fields.join(' ')}}`;
    }
    case 'func':
      return '0x0';
  }
}


/** fmt.Sprint: spaces between operands when neither side is a string. */
export { formatFloat };

export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

export function sprintln(args: readonly unknown[]): string {
  return args.map((a) => formatValue(a)).join(' ') + '\n';
}

/** strconv.Quote: Go escapes, printable Unicode kept. */
export function goQuote(s: string, ascii = false): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const esc: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
    if (esc[ch]) out += esc[ch];
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x7f) out += ch;
    else if (ascii || /[\p{C}\p{Zl}\p{Zp}]/u.test(ch)) {
      out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number;
  prec: number;
}

function pad(s: string, spec: Spec, zeroOK = true): string {
  const len = [...s].length;
  if (spec.width <= len) return s;
  const fill = spec.width - len;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && zeroOK) {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

const bad = (verb: string, v: unknown) => `%!${verb}(${typeName(v)}=${formatValue(v)})`;

function formatInt(n: number | bigint, verb: string, spec: Spec): string {
  const big = BigInt(n);
  const neg = big < 0n;
  const abs = neg ? -big : big;
  let digits: string;
  switch (verb) {
    case 'd': case 'v': digits = abs.toString(10); break;
    case 'x': digits = abs.toString(16); if (spec.sharp) digits = '0x' + digits; break;
    case 'X': digits = abs.toString(16).toUpperCase(); if (spec.sharp) digits = '0X' + digits; break;
    case 'o': digits = abs.toString(8); if (spec.sharp) digits = '0' + digits; break;
    case 'O': digits = '0o' + abs.toString(8); break;
    case 'b': digits = abs.toString(2); break;
    case 'c': return pad(String.fromCodePoint(Number(abs)), spec, false);
    case 'q': return pad(goQuote(String.fromCodePoint(Number(abs))).replace(/^"|"$/g, "'"), spec, false);
    case 'U': return pad('U+' + abs.toString(16).toUpperCase().padStart(4, '0'), spec, false);
    default: return bad(verb, n);
  }
  if (spec.prec >= 0) digits = digits.padStart(spec.prec, '0');
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + digits, spec, spec.prec < 0);
}

function formatFloatVerb(f: number, verb: string, spec: Spec): string {
  let s: string;
  switch (verb) {
    case 'v': case 'g': case 'G': s = spec.prec < 0 ? formatFloatV(f) : formatFloat(f, 'g', spec.prec); break;
    case 'f': case 'F': s = formatFloat(f, 'f', spec.prec < 0 ? 6 : spec.prec); break;
    case 'e': case 'E': s = formatFloat(f, 'e', spec.prec < 0 ? 6 : spec.prec); break;
    default: return bad(verb, f);
  }
  if (verb === 'E' || verb === 'G') s = s.toUpperCase();
  if (spec.plus && !s.startsWith('-') && !s.startsWith('+')) s = '+' + s;
  else if (spec.space && !s.startsWith('-')) s = ' ' + s;
  return pad(s, spec, Number.isFinite(f));
}

function formatString(s: string, verb: string, spec: Spec): string {
  switch (verb) {
    case 'v': case 's':
      return pad(spec.prec >= 0 ? [...s].slice(0, spec.prec).join('') : s, spec, false);
    case 'q':
      return pad(spec.sharp && !s.includes('`') ? '`' + s + '`' : goQuote(s, spec.plus), spec, false);
    case 'x': case 'X': {
      let hex = [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join(spec.space ? ' ' : '');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec, false);
    }
    default:
      return bad(verb, s);
  }
}

function formatArg(v: unknown, verb: string, spec: Spec): string {
  // %+v means "field names", not a sign flag.
  if (verb === 'v' && spec.plus) return pad(formatValue(v, true), { ...spec, plus: false }, false);
  if (verb === 'T') return pad(v === undefined || v === null ? '<nil>' : typeName(v), spec, false);
  const k = kindOf(v);
  switch (k) {
    case 'string': return formatString(v as string, verb, spec);
    case 'int': return formatInt(v as number | bigint, verb, spec);
    case 'float': return formatFloatVerb(Number(v), verb, spec);
    case 'bool': return verb === 'v' || verb === 't' ? pad(String(v), spec, false) : bad(verb, v);
    case 'invalid': case 'nil': return verb === 'v' ? pad('<nil>', spec, false) : `%!${verb}(<nil>)`;
    case 'slice': {
      if (verb === 'v') return pad(formatValue(v, spec.plus), spec, false);
      const inner = { ...spec, width: 0 };
      if ((verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') || verb === 'd') {
        return pad(`[${(v as unknown[]).map((e) => formatArg(e, verb, inner)).join(' ')}]`, spec, false);
      }
      return `[${(v as unknown[]).map((e) => formatArg(e, verb, spec)).join(' ')}]`;
    }
    case 'map': {
      const entries = sortedEntries(v as object).map(([key, e]) => `${formatArg(key, verb, spec)}:${formatArg(e, verb, spec)}`);
      return `map[${entries.join(' ')}]`;
    }
    case 'struct': {
      const fields = structFields(v as object).map(([key, e]) => (spec.plus || verb === 'v' && spec.plus ? `${key}:` : '') + formatArg(e, verb, { ...spec, width: 0 }));
      return pad(`{${fields.join(' ')}}`, spec, false);
    }
    default:
      return verb === 'v' || verb === 's' ? pad(formatValue(v), spec, false) : bad(verb, v);
  }
}

/** fmt.Sprintf with Go's verbs, flags, width, precision and its %!verb(...) error notation. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: 0, prec: -1 };
    i++;
    for (; i < format.length; i++) {
      const f = format[i]!;
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = !spec.minus;
      else break;
    }
    const num = (): number => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return typeof a === 'number' ? a : 0;
      }
      let n = '';
      while (/[0-9]/.test(format[i] ?? '')) n += format[i++];
      return n ? Number(n) : -1;
    };
    const w = num();
    if (w >= 0) spec.width = w;
    if (format[i] === '.') {
      i++;
      const p = num();
      spec.prec = p < 0 ? 0 : p;
    }
    const verb = format[i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argi++], verb, spec);
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => (a === undefined || a === null ? '<nil>' : `${typeName(a)}=${formatValue(a)}`)).join(', ') + ')';
  }
  return out;
}
