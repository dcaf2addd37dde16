// Query parameters as moby's handlers read them: Go's url.ParseQuery, httputils.BoolValue and
// friends, and the `filters` parameter (filters.FromJSON).
import type { FilterArgs } from '../../volume/filters.ts';
import { invalidParameter } from '../errors.ts';

export class Query {
  readonly #values = new Map<string, string[]>();

  /**
   * Go's url.ParseQuery: pairs split on `&`, `+` is a space. A bad pair is skipped and the first
   * problem is thrown afterwards as an invalid parameter (moby's ParseForm), with Go's wording.
   */
  static parse(raw: string, bodyForm = ''): Query {
    const query = new Query();
    let problem: string | null = null;
    // Go puts a urlencoded form body's values before the URL's (Request.ParseForm).
    for (const source of [bodyForm, raw]) {
      for (const pair of source.split('&')) {
        if (pair.includes(';')) {
          problem ??= 'invalid semicolon separator in query';
          continue;
        }
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        const key = unescapeQuery(eq < 0 ? pair : pair.slice(0, eq));
        const value = unescapeQuery(eq < 0 ? '' : pair.slice(eq + 1));
        if (key instanceof Error || value instanceof Error) {
          problem ??= (key instanceof Error ? key : (value as Error)).message;
          continue;
        }
        query.#add(key, value);
      }
    }
    if (problem !== null) throw invalidParameter(problem);
    return query;
  }

  #add(key: string, value: string): void {
    const list = this.#values.get(key);
    if (list) list.push(value);
    else this.#values.set(key, [value]);
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** The first value, '' when absent (Go's Values.Get). */
  get(name: string): string {
    return this.#values.get(name)?.[0] ?? '';
  }

  getAll(name: string): readonly string[] {
    return this.#values.get(name) ?? [];
  }

  /** httputils.BoolValue: anything but "", "0", "no", "false", "none" (any case, trimmed) is true. */
  bool(name: string): boolean {
    return !['', '0', 'no', 'false', 'none'].includes(this.get(name).trim().toLowerCase());
  }

  /** httputils.BoolValueOrDefault: `fallback` when the parameter is absent. */
  boolOr(name: string, fallback: boolean): boolean {
    return this.has(name) ? this.bool(name) : fallback;
  }

  /** httputils.Int64ValueOrDefault: `fallback` when absent or empty, else a base-10 integer. */
  intOr(name: string, fallback: number): number {
    const text = this.get(name);
    if (text === '') return fallback;
    if (!/^[+-]?\d+$/.test(text)) throw invalidParameter(`strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`);
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw invalidParameter(`strconv.ParseInt: parsing ${goQuote(text)}: value out of range`);
    return value;
  }

  /** The `filters` parameter (or another JSON filters parameter), as filters.FromJSON reads it. */
  filters(name = 'filters'): FilterArgs {
    return parseFiltersJson(this.get(name));
  }

  [Symbol.iterator](): Iterator<[string, readonly string[]]> {
    return this.#values.entries();
  }
}

/**
 * filters.FromJSON: `{"name":{"value":true}}`, or the pre-1.22 `{"name":["value"]}`. Every key of
 * the inner object counts, whatever its boolean; anything else is "invalid filter".
 */
export function parseFiltersJson(text: string): FilterArgs {
  const args: FilterArgs = new Map();
  if (text === '') return args;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter('invalid filter');
  }
  if (parsed === null) return args;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParameter('invalid filter');
  const entries = Object.entries(parsed as Record<string, unknown>);
  const modern = entries.every(([, v]) => v === null || (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((b) => typeof b === 'boolean')));
  const legacy = entries.every(([, v]) => v === null || (Array.isArray(v) && v.every((s) => typeof s === 'string')));
  if (!modern && !legacy) throw invalidParameter('invalid filter');
  for (const [name, v] of entries) {
    const values = v === null ? [] : Array.isArray(v) ? (v as string[]) : Object.keys(v as object);
    args.set(name, [...new Set(values)]);
  }
  return args;
}

/** Go's QueryUnescape; an Error carrying Go's message for a bad escape. */
function unescapeQuery(s: string): string | Error {
  const bad = /%(?![0-9a-fA-F]{2})/.exec(s);
  if (bad) return new Error(`invalid URL escape ${goQuote(s.slice(bad.index, bad.index + 3))}`);
  if (!s.includes('%')) return s.replaceAll('+', ' ');
  const bytes: number[] = [];
  for (const part of s.split(/(%[0-9a-fA-F]{2})/)) {
    if (part.startsWith('%') && part.length === 3) bytes.push(parseInt(part.slice(1), 16));
    else bytes.push(...encoder.encode(part.replaceAll('+', ' ')));
  }
  return decoder.decode(new Uint8Array(bytes));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** strconv.Quote for the printable ASCII that shows up in these messages. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}
