// The result of parsing: raw values per flag (already validated) with typed getters that apply defaults.
import { flagTypeName, type FlagSpec } from './spec.ts';
import { parseGoBool, parseGoDuration, parseGoInteger, parseNanoCpus, parseRamInBytes } from '../../lib/go-values.ts';

export class ParsedFlags {
  readonly #specs: ReadonlyMap<string, FlagSpec>;
  readonly #values = new Map<string, string[]>();
  /** Positional arguments, in order (everything after the first positional when not interspersed). */
  readonly args: string[] = [];
  /** `--help` or `-h` was given (and not set to false). */
  help = false;
  /** Lines Docker prints on stderr while parsing, e.g. the `-h` deprecation notice. */
  readonly notices: string[] = [];

  constructor(specs: readonly FlagSpec[]) {
    this.#specs = new Map(specs.map((s) => [s.name, s]));
  }

  /** Records one occurrence; the parser validates before calling. */
  add(name: string, value: string): void {
    const list = this.#values.get(name);
    if (list) list.push(value);
    else this.#values.set(name, [value]);
  }

  /** Whether the flag appeared on the command line (pflag's `Changed`). */
  changed(name: string): boolean {
    return this.#values.has(name);
  }

  /** Whether this command declares the flag at all. */
  defines(name: string): boolean {
    return this.#specs.has(name);
  }

  /** Names of the flags that were given, in first-use order. */
  given(): string[] {
    return [...this.#values.keys()];
  }

  bool(name: string): boolean {
    const v = this.#last(name);
    return v === undefined ? this.#spec(name).defaultText === 'true' : parseGoBool(v);
  }

  string(name: string): string {
    const v = this.#last(name);
    if (v !== undefined) return v;
    const d = this.#spec(name).defaultText;
    return d === undefined ? '' : (JSON.parse(d) as string);
  }

  int(name: string): number {
    const spec = this.#spec(name);
    const v = this.#last(name) ?? spec.defaultText ?? '0';
    return parseGoInteger(v, spec.kind === 'int', flagTypeName(spec) === 'uint16' ? 16 : 64);
  }

  /** Every value given, in order; `strings` flags are also split on commas. */
  list(name: string): string[] {
    const spec = this.#spec(name);
    const values = this.#values.get(name) ?? [];
    return spec.kind === 'strings' ? values.flatMap((v) => (v === '' ? [] : v.split(','))) : [...values];
  }

  /** `key=value` occurrences as a map (a bare `key` maps to ''). */
  map(name: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const v of this.list(name)) {
      const eq = v.indexOf('=');
      out.set(eq < 0 ? v : v.slice(0, eq), eq < 0 ? '' : v.slice(eq + 1));
    }
    return out;
  }

  /** Nanoseconds. */
  duration(name: string): number {
    const v = this.#last(name);
    return v === undefined ? 0 : parseGoDuration(v);
  }

  /** Bytes; 0 when not given. `-1` passes through for flags that allow it (--memory-swap). */
  bytes(name: string): number {
    const v = this.#last(name);
    if (v === undefined) return 0;
    return v === '-1' ? -1 : parseRamInBytes(v);
  }

  nanoCpus(name: string): number {
    const v = this.#last(name);
    return v === undefined ? 0 : parseNanoCpus(v);
  }

  #last(name: string): string | undefined {
    this.#spec(name);
    return this.#values.get(name)?.at(-1);
  }

  #spec(name: string): FlagSpec {
    const spec = this.#specs.get(name);
    if (!spec) throw new Error(`flag accessed but not defined: ${name}`);
    return spec;
  }
}
