// docker/cli's opts.FilterOpt: `--filter name=value` values as filters.Args (names lower-cased,
// values trimmed, duplicates dropped).

/** filter name → values. */
export type FilterArgs = Map<string, string[]>;

/** docker/cli opts.FilterOpt.Set; the flag layer already refused values without '='. */
export function parseFilterArgs(values: readonly string[]): FilterArgs {
  const args: FilterArgs = new Map();
  for (const value of values) {
    if (value === '') continue;
    const eq = value.indexOf('=');
    const name = (eq < 0 ? value : value.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? '' : value.slice(eq + 1).trim();
    const list = args.get(name) ?? [];
    if (!list.includes(v)) list.push(v);
    args.set(name, list);
  }
  return args;
}

/** The FlagSpec validator of --filter (an invalid argument is a flag error, exit 125). */
export function validateFilter(value: string): string | undefined {
  return value === '' || value.includes('=') ? undefined : 'bad format of filter (expected name=value)';
}
