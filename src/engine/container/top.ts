// `GET /containers/{id}/top`: the daemon runs the Docker host's procps `ps` (in the guest) with the
// caller's options and keeps the rows of the container's processes (moby daemon/top_unix.go).
import type { ContainerRecord } from './record.ts';
import { GuestPaths, type GuestRuntime } from './runtime.ts';
import { DaemonError, guards } from './state.ts';

/** moby's `container.TopResponse`. */
export interface TopResponse {
  Titles: string[];
  Processes: string[][];
}

/** What `docker top ID` asks for without options. */
export const DEFAULT_PS_ARGS = '-ef';

/** Go's `strings.FieldsFunc` on ASCII whitespace: moby splits ps arguments and output this way. */
function fieldsAscii(text: string): string[] {
  return text.split(/[ \t\n\v\f\r]+/).filter(Boolean);
}

/** Refuses `-o key=PID…` renames of other columns: they would let a row pass as another pid. */
export function validatePsArgs(psArgs: string): DaemonError | null {
  for (const [, key, value] of psArgs.matchAll(/\s+(\S*)=\s*(PID\S*)/g)) {
    if (key !== 'pid') return new DaemonError(`specifying "${key}=${value}" is not allowed`, 'invalid-parameter');
  }
  return null;
}

/**
 * Keeps the rows whose PID column names one of `pids`, and thread rows ("-" as PID, from `m`)
 * below such a row; the last column takes the rest of a row (commands have spaces).
 */
export function parsePsOutput(output: string, pids: ReadonlySet<number>): TopResponse {
  const lines = output.split('\n');
  const titles = fieldsAscii(lines[0] ?? '');
  const pidIndex = titles.indexOf('PID');
  if (pidIndex === -1) throw new DaemonError("Couldn't find PID field in ps output", 'system');
  const processes: string[][] = [];
  const append = (fields: string[]) => processes.push([...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')]);
  let afterContainerRow = false;
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const fields = fieldsAscii(line);
    const pidField = fields[pidIndex] ?? '';
    if (pidField === '-') {
      if (afterContainerRow) append(fields);
      continue;
    }
    if (!/^[+-]?\d+$/.test(pidField)) throw new DaemonError(`Unexpected pid '${pidField}': strconv.Atoi: parsing ${JSON.stringify(pidField)}: invalid syntax`, 'system');
    afterContainerRow = pids.has(Number(pidField));
    if (afterContainerRow) append(fields);
  }
  return { Titles: titles, Processes: processes };
}

// One guest spawn: the container's pids, then ps. As moby, ps first gets the pids with -q (fewer
// rows to list), and runs again without them when the options refuse -q (`f`, for one). A failed
// run's stdout is dropped; the second one's stderr explains the failure.
const TOP_SCRIPT = [
  'procs=$(cat "$1/cgroup.procs") || exit 1',
  'shift',
  'printf "%s\\n---\\n" "$procs"',
  'out=$(/usr/bin/ps "$@" -q "$(echo $procs | tr " " ,)" 2>/dev/null) && { printf "%s\\n" "$out"; exit 0; }',
  'exec /usr/bin/ps "$@"',
].join('\n');

export async function containerTop(runtime: GuestRuntime, record: ContainerRecord, psArgs = ''): Promise<TopResponse> {
  const args = psArgs === '' ? DEFAULT_PS_ARGS : psArgs;
  const invalid = validatePsArgs(args);
  if (invalid) throw invalid;
  const refused = guards.top(record.State, record.Id);
  if (refused) throw refused;
  const cgroup = `/sys/fs/cgroup${GuestPaths.cgroup(record.Id)}`;
  const r = await runtime.run(['/bin/sh', '-c', TOP_SCRIPT, 'slipway-top', cgroup, ...fieldsAscii(args)]);
  if (r.code !== 0) {
    const why = r.stderr.split('\n')[0] ?? '';
    throw why === '' ? new DaemonError(`ps: exit status ${r.code}`, 'system') : new DaemonError(why, 'invalid-parameter');
  }
  const separator = r.stdout.indexOf('\n---\n');
  const pids = new Set(r.stdout.slice(0, separator).split('\n').filter(Boolean).map(Number));
  return parsePsOutput(r.stdout.slice(separator + 5), pids);
}
