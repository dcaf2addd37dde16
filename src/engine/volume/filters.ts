// `docker volume ls -f` and `docker volume prune --filter`: moby's filters.Args semantics for
// volumes (volume/service/convert.go filtersToBy, by.go), with its error texts.
import { DaemonError } from '../container/state.ts';
import { ANONYMOUS_LABEL, type VolumeRecord } from './records.ts';

/** Filter name → values, as docker/cli's FilterOpt collects them (`-f name=value`, repeatable). */
export type FilterArgs = Map<string, string[]>;

export type VolumePredicate = (v: VolumeRecord, referenced: boolean) => boolean;

const invalidFilter = (name: string, values?: readonly string[]) =>
  new DaemonError(values ? `invalid filter '${name}=[${values.join(' ')}]'` : `invalid filter '${name}'`, 'invalid-parameter');

function check(args: FilterArgs, accepted: readonly string[]): void {
  for (const name of args.keys()) if (!accepted.includes(name)) throw invalidFilter(name);
}

/** filters.Args.MatchKVList: every `key` or `key=value` given must be among the labels. */
function matchLabels(wanted: readonly string[] | undefined, labels: Record<string, string> | null): boolean {
  if (!wanted?.length) return true;
  if (!labels || !Object.keys(labels).length) return false;
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    const key = eq < 0 ? w : w.slice(0, eq);
    return key in labels && (eq < 0 || labels[key] === w.slice(eq + 1));
  });
}

/** filters.Args.Match: an exact value, or a value read as a regular expression. */
function matchName(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) => {
    if (p === name) return true;
    try {
      return new RegExp(p).test(name);
    } catch {
      return false;
    }
  });
}

/** GetBoolOrDefault. */
function boolFilter(args: FilterArgs, name: string): boolean | undefined {
  const values = args.get(name);
  if (!values) return undefined;
  const no = values.includes('0') || values.includes('false');
  const yes = values.includes('1') || values.includes('true');
  if (no === yes) throw invalidFilter(name, values);
  return yes;
}

function labelPredicate(args: FilterArgs): VolumePredicate {
  const wanted = args.get('label');
  const unwanted = args.get('label!');
  return (v) => matchLabels(wanted, v.Labels) && !(unwanted?.length && matchLabels(unwanted, v.Labels));
}

/** `docker volume ls` filters: dangling, name, driver, label. */
export function listPredicate(args: FilterArgs): VolumePredicate {
  check(args, ['dangling', 'name', 'driver', 'label']);
  const dangling = boolFilter(args, 'dangling');
  const drivers = args.get('driver');
  const names = args.get('name');
  const labels = labelPredicate(args);
  return (v, referenced) =>
    (!drivers || drivers.includes(v.Driver)) &&
    (!names || matchName(names, v.Name)) &&
    labels(v, referenced) &&
    (dangling === undefined || referenced !== dangling);
}

/** `docker volume prune` filters: label, label!, all (without all=true only anonymous volumes). */
export function prunePredicate(args: FilterArgs): VolumePredicate {
  check(args, ['label', 'label!', 'all']);
  const all = args.get('all');
  let everything = false;
  if (all && all.length > 1) throw new DaemonError(`invalid filter 'all=[${all.join(' ')}]': only one value is expected`, 'invalid-parameter');
  if (all?.length === 1) {
    const b = parseGoBoolText(all[0]!);
    if (b === undefined) throw new DaemonError(`invalid filter 'all': strconv.ParseBool: parsing "${all[0]}": invalid syntax`, 'invalid-parameter');
    everything = b;
  }
  const withAnonymous = new Map(args);
  if (!everything) withAnonymous.set('label', [...(args.get('label') ?? []), ANONYMOUS_LABEL]);
  const labels = labelPredicate(withAnonymous);
  // Volumes with driver options (tmpfs, devices) hold no local data: moby never prunes them.
  return (v, referenced) => !referenced && v.Driver === 'local' && !Object.keys(v.Options ?? {}).length && labels(v, referenced);
}

function parseGoBoolText(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}
