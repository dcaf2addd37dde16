// Flag declarations shared by the parser and the help renderer, modelled on spf13/pflag as docker/cli uses it.

/**
 * How a flag's value is parsed. Lists append per occurrence (`-e A -e B`), `strings` also splits on commas
 * (pflag's stringSlice), `map` keeps key=value pairs. `bytes` is a memory size (`512m`), `decimal` a CPU
 * count turned into nano-CPUs, `duration` a Go duration (`10s`).
 */
export type FlagKind = 'bool' | 'string' | 'int' | 'uint' | 'list' | 'strings' | 'map' | 'duration' | 'bytes' | 'decimal';

export interface FlagSpec {
  readonly name: string;
  /** One-letter shorthand, without the dash. */
  readonly short?: string;
  readonly kind: FlagKind;
  /** The type word pflag prints in help, when it is not the kind's default (e.g. `uint16`, `filter`). */
  readonly typeName?: string;
  /** Usage text as printed (back-quoted names already unquoted); may hold newlines. */
  readonly usage: string;
  /** What pflag prints after "(default " when the default is not the zero value, e.g. `"no"`, `[]`, `true`. */
  readonly defaultText?: string;
  /** Checks one value at parse time, as docker/cli's option types do; returns Docker's error text. */
  readonly validate?: (value: string) => string | undefined;
  /** Accepted but not shown in help (e.g. `--net`, an old spelling of `--network`). */
  readonly hidden?: boolean;
  /** Shown and accepted, but Slipway does not act on it; commands decide how to answer. */
  readonly unsupported?: boolean;
}

const defaultTypeNames: Record<FlagKind, string> = {
  bool: '',
  string: 'string',
  int: 'int',
  uint: 'uint',
  list: 'list',
  strings: 'strings',
  map: 'map',
  duration: 'duration',
  bytes: 'bytes',
  decimal: 'decimal',
};

/** The type word shown after the flag name in help ('' for booleans). */
export function flagTypeName(spec: FlagSpec): string {
  return spec.typeName ?? defaultTypeNames[spec.kind];
}

/** `-m, --memory` or `--rm`: how pflag names a flag in "invalid argument" errors. */
export function flagDisplayName(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}
