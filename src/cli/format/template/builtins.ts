// Go's predefined template functions plus the ones docker/cli adds (templates.basicFunctions).
import { goJSON } from '../gojson.ts';
import { formatValue, sprint, sprintf, sprintln } from './gofmt.ts';
import { goFunc, isTrue, kindOf, typeName, type GoFunc } from './values.ts';

/** An error returned by a template function; the executor reports "error calling NAME: ...". */
export class GoCallError extends Error {}

export const truth = isTrue;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

type Basic = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';
function basicKind(v: unknown): Basic {
  const k = kindOf(v);
  if (k === 'nil') return 'invalid';
  return k === 'bool' || k === 'int' || k === 'float' || k === 'string' || k === 'invalid' ? k : 'other';
}
// JS cannot tell 1.0 from 1: ints and floats compare with each other.
const numeric = (k: Basic) => (k === 'int' || k === 'float' ? 'number' : k);

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new GoCallError('missing argument for comparison');
  const k1 = numeric(basicKind(a));
  for (const b of rest) {
    const k2 = numeric(basicKind(b));
    if (k1 !== k2) {
      if (a != null && b != null) throw new GoCallError('incompatible types for comparison');
      continue;
    }
    if (k1 === 'other') {
      const nil1 = /^nil/.test(kindOf(a));
      const nil2 = /^nil/.test(kindOf(b));
      if (nil1 || nil2) {
        if (nil1 === nil2) return true;
        continue;
      }
      throw new GoCallError(`non-comparable type ${formatValue(b)}: ${typeName(b)}`);
    }
    if (k1 === 'invalid' || (k1 === 'number' ? Number(a) === Number(b) : a === b)) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = numeric(basicKind(a));
  const k2 = numeric(basicKind(b));
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new GoCallError('invalid type for comparison');
  if (k1 !== k2) throw new GoCallError('incompatible types for comparison');
  if (k1 === 'bool') throw new GoCallError('invalid type for comparison');
  return k1 === 'number' ? Number(a) < Number(b) : (a as string) < (b as string);
}

function length(v: unknown): number {
  switch (kindOf(v)) {
    case 'string':
      return utf8.encode(v as string).length;
    case 'slice':
      return (v as unknown[]).length;
    case 'map':
      return Object.keys(v as object).length;
    case 'nilmap':
    case 'nilslice':
      return 0;
    case 'nilptr':
      throw new GoCallError('len of nil pointer');
    case 'invalid':
    case 'nil':
      throw new GoCallError('reflect: call of reflect.Value.Type on zero Value');
    default:
      throw new GoCallError(`len of type ${typeName(v)}`);
  }
}

function index(item: unknown, ...keys: unknown[]): unknown {
  if (item == null) throw new GoCallError('index of untyped nil');
  for (const key of keys) {
    const k = kindOf(item);
    if (k === 'nilptr') throw new GoCallError('index of nil pointer');
    if (k === 'slice' || k === 'string' || k === 'nilslice') {
      const len = k === 'string' ? utf8.encode(item as string).length : k === 'slice' ? (item as unknown[]).length : 0;
      if (kindOf(key) !== 'int') {
        if (key == null) throw new GoCallError('cannot index slice/array with nil');
        throw new GoCallError(`cannot index slice/array with type ${typeName(key)}`);
      }
      const x = Number(key);
      if (x < 0 || x > len) throw new GoCallError(`index out of range: ${x}`);
      if (x === len) throw new GoCallError(`reflect: ${k === 'string' ? 'string' : 'slice'} index out of range`);
      item = k === 'string' ? utf8.encode(item as string)[x] : (item as unknown[])[x];
    } else if (k === 'map' || k === 'nilmap') {
      if (typeof key !== 'string') {
        if (key == null) throw new GoCallError('value is nil; should be of type string');
        throw new GoCallError(`value has type ${typeName(key)}; should be string`);
      }
      const own = Object.prototype.hasOwnProperty.call(item, key);
      // A missing key yields the element's zero value: nil for map[string]interface {}.
      item = own ? (item as Record<string, unknown>)[key] : typeName(item) === 'map[string]string' ? '' : null;
    } else {
      throw new GoCallError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

/** strings.Title: upper-cases the first letter of every word. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    const sep = /[\p{L}\p{Nd}_]/u.test(prev) ? false : prev.charCodeAt(0) < 0x80 ? true : /\s/u.test(prev);
    out += sep ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function split(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

function truncate(s: string, length: number): string {
  const bytes = utf8.encode(s);
  if (bytes.length < length) return s;
  if (length < 0) throw new GoCallError(`runtime error: slice bounds out of range [:${length}]`);
  return fromUtf8.decode(bytes.subarray(0, length));
}

function htmlEscape(s: string): string {
  const map: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' };
  return s.replace(/[<>&'"\0]/g, (c) => map[c]!);
}

/** Go's template-level fmt.Sprint of function arguments (html/urlquery evaluate their args so). */
const argsString = (args: unknown[]) => (args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args));

/** Go's builtins. */
export const goBuiltins: ReadonlyMap<string, GoFunc> = new Map([
  ['and', goFunc(['any'], () => undefined, 'any')],
  ['or', goFunc(['any'], () => undefined, 'any')],
  ['not', goFunc(['any'], (v) => !isTrue(v))],
  ['len', goFunc(['any'], length)],
  ['index', goFunc(['any'], index, 'any')],
  ['print', goFunc([], (...a: unknown[]) => sprint(a), 'any')],
  ['printf', goFunc(['string'], (f: string, ...a: unknown[]) => sprintf(f, a), 'any')],
  ['println', goFunc([], (...a: unknown[]) => sprintln(a), 'any')],
  ['eq', goFunc(['any'], eq, 'any')],
  ['ne', goFunc(['any', 'any'], (a, b) => !eq(a, b))],
  ['lt', goFunc(['any', 'any'], lt)],
  ['le', goFunc(['any', 'any'], (a, b) => lt(a, b) || eq(a, b))],
  ['gt', goFunc(['any', 'any'], (a, b) => !(lt(a, b) || eq(a, b)))],
  ['ge', goFunc(['any', 'any'], (a, b) => !lt(a, b))],
  ['html', goFunc([], (...a: unknown[]) => htmlEscape(argsString(a)), 'any')],
  ['urlquery', goFunc([], (...a: unknown[]) => encodeURIComponent(argsString(a)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()), 'any')],
]);

/** docker/cli templates.basicFunctions. */
export const dockerFunctions: ReadonlyMap<string, GoFunc> = new Map([
  ['json', goFunc(['any'], (v) => goJSON(v, false))],
  ['split', goFunc(['string', 'string'], split)],
  ['join', goFunc(['[]string', 'string'], (a: unknown, sep: string) => (Array.isArray(a) ? a.join(sep) : ''))],
  ['title', goFunc(['string'], title)],
  ['lower', goFunc(['string'], (s: string) => s.toLowerCase())],
  ['upper', goFunc(['string'], (s: string) => s.toUpperCase())],
  ['pad', goFunc(['string', 'int', 'int'], (s: string, pre: number, post: number) => (s === '' ? s : ' '.repeat(pre) + s + ' '.repeat(post)))],
  ['truncate', goFunc(['string', 'int'], truncate)],
]);

/** docker/cli templates.HeaderFunctions: table headers pass the column name through. */
export const headerFunctions: ReadonlyMap<string, GoFunc> = new Map([
  ['json', goFunc(['string'], (v: string) => v)],
  ['split', goFunc(['string', 'string'], (v: string) => v)],
  ['join', goFunc(['string', 'string'], (v: string) => v)],
  ['title', goFunc(['string'], (v: string) => v)],
  ['lower', goFunc(['string'], (v: string) => v)],
  ['upper', goFunc(['string'], (v: string) => v)],
  ['truncate', goFunc(['string', 'int'], (v: string) => v)],
]);

