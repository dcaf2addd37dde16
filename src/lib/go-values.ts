// Value parsers with Go's semantics and error texts (strconv, time.ParseDuration, go-units, big.Rat),
// because Docker prints those errors verbatim inside "invalid argument ... for ... flag: <error>".

/** A value error; `message` is the text pflag appends after "flag: ". */
export class ValueError extends Error {
  override name = 'ValueError';
}

const trueWords = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const falseWords = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  if (trueWords.has(s)) return true;
  if (falseWords.has(s)) return false;
  throw new ValueError(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

/** strconv.ParseInt(s, 0, bits) / ParseUint(s, 0, bits): base prefixes 0x 0o 0b and leading-0 octal. */
export function parseGoInteger(s: string, signed: boolean, bits = 64): number {
  const fn = signed ? 'strconv.ParseInt' : 'strconv.ParseUint';
  const fail = (why: string) => new ValueError(`${fn}: parsing ${goQuote(s)}: ${why}`);
  let body = s;
  let negative = false;
  if (signed && (body.startsWith('-') || body.startsWith('+'))) {
    negative = body[0] === '-';
    body = body.slice(1);
  }
  let base = 10;
  let digits = body;
  const prefix = body.slice(0, 2).toLowerCase();
  if (prefix === '0x') [base, digits] = [16, body.slice(2)];
  else if (prefix === '0o') [base, digits] = [8, body.slice(2)];
  else if (prefix === '0b') [base, digits] = [2, body.slice(2)];
  else if (body.length > 1 && body[0] === '0') [base, digits] = [8, body.slice(1)];
  // Go allows underscores between digits only when a base prefix is present.
  if (base !== 10 && /^_?[0-9a-z]+(_[0-9a-z]+)*$/i.test(digits)) digits = digits.replace(/_/g, '');
  const alphabet = '0123456789abcdef'.slice(0, base);
  if (digits === '' || ![...digits.toLowerCase()].every((c) => alphabet.includes(c))) throw fail('invalid syntax');
  let value = 0n;
  for (const c of digits.toLowerCase()) value = value * BigInt(base) + BigInt(alphabet.indexOf(c));
  if (negative) value = -value;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  if (value > max || value < min) throw fail('value out of range');
  return Number(value);
}

const durationUnits: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** time.ParseDuration, in nanoseconds. */
export function parseGoDuration(s: string): number {
  const quoted = goQuote(s);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new ValueError(`time: invalid duration ${quoted}`);
  let total = 0;
  while (rest !== '') {
    const num = /^(\d*)(\.\d*)?/.exec(rest)!;
    if (num[0] === '' || num[0] === '.') throw new ValueError(`time: invalid duration ${quoted}`);
    rest = rest.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === '') throw new ValueError(`time: missing unit in duration ${quoted}`);
    const scale = durationUnits[unit];
    if (scale === undefined) throw new ValueError(`time: unknown unit ${goQuote(unit)} in duration ${quoted}`);
    rest = rest.slice(unit.length);
    total += Number(num[0]) * scale;
  }
  return sign * Math.round(total);
}

const binaryUnits: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
const decimalUnits: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };

/** go-units RAMInBytes: `512m`, `1g`, `1.5GiB`, `100` (bytes); binary multiples. */
export function parseRamInBytes(s: string): number {
  return parseSize(s, binaryUnits);
}

/** go-units FromHumanSize: `10m` is 10,000,000 bytes (decimal multiples), as log options read it. */
export function parseHumanSize(s: string): number {
  return parseSize(s, decimalUnits);
}

/** go-units parseSize, with its error texts. */
function parseSize(s: string, units: Record<string, number>): number {
  let sep = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(s[i]!)) {
      sep = i;
      break;
    }
  }
  if (sep === -1) throw new ValueError(`invalid size: '${s}'`);
  const num = s[sep] === ' ' ? s.slice(0, sep) : s.slice(0, sep + 1);
  let suffix = s.slice(sep + 1);
  const size = parseGoFloat(num);
  if (size < 0) throw new ValueError(`invalid size: '${s}'`);
  if (suffix === '') return Math.trunc(size);
  const badSuffix = () => new ValueError(`invalid suffix: '${suffix}'`);
  if (suffix.length > 3) throw badSuffix();
  suffix = suffix.toLowerCase();
  if (suffix[0] === 'b') {
    if (suffix.length > 1) throw badSuffix();
    return Math.trunc(size);
  }
  const mul = units[suffix[0]!];
  if (mul === undefined) throw badSuffix();
  if ((suffix.length === 2 && suffix[1] !== 'b') || (suffix.length === 3 && suffix.slice(1) !== 'ib')) throw badSuffix();
  return Math.trunc(size * mul);
}

/** strconv.ParseFloat for the decimal forms people type. */
export function parseGoFloat(s: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    throw new ValueError(`strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`);
  }
  return Number(s);
}

/** docker/cli opts.NanoCPUs: an exact rational (`1.5`, `3/2`, `2e-1`) times 1e9, which must be whole. */
export function parseNanoCpus(s: string): number {
  const fail = new ValueError(`failed to parse ${s} as a rational number`);
  let num: bigint;
  let den: bigint;
  const frac = /^([+-]?\d+)\/(\d+)$/.exec(s);
  const dec = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (frac) {
    [num, den] = [BigInt(frac[1]!), BigInt(frac[2]!)];
    if (den === 0n) throw fail;
  } else if (dec && (dec[2] || dec[3])) {
    const fraction = dec[3] ?? '';
    num = BigInt((dec[1] === '-' ? '-' : '') + (dec[2] || '0') + fraction);
    den = 10n ** BigInt(fraction.length);
    const exp = Number(dec[4] ?? 0);
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  } else {
    throw fail;
  }
  const nano = num * 1_000_000_000n;
  if (nano % den !== 0n) throw new ValueError('value is too precise');
  return Number(nano / den);
}

/** Go's %q for the ASCII strings flags carry. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}
