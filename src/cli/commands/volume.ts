// `docker volume create|ls|inspect|rm|prune` (docker/cli cli/command/volume), printing what
// Docker v28 prints, with its exit codes (daemon errors 1, template errors 64).
import { TABLE_FORMAT_KEY } from '../format/formatter.ts';
import { naturalLess } from '../format/port-events.ts';
import { formatVolumes, type VolumeSummary } from '../format/resources.ts';
import { humanSize } from '../../lib/units.ts';
import { parseFilterArgs } from '../opts/filters.ts';
import { inspectCommand } from './inspect.ts';
import { confirm } from '../confirm.ts';
import { filtersOf, forEachArg, writeFormatted, type CommandContext } from '../context.ts';
import { CliError } from '../io.ts';

/** Flags of `docker volume create` that ask for a swarm cluster volume. */
const CLUSTER_FLAGS = ['group', 'scope', 'sharing', 'availability', 'type', 'secret', 'limit-bytes', 'required-bytes', 'topology-preferred', 'topology-required'];
const CLUSTER_TABLE = 'table {{.Name}}\t{{.Group}}\t{{.Driver}}\t{{.Availability}}\t{{.Status}}';
const NOT_A_MANAGER = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

const toMap = (entries: Iterable<[string, string]>) => Object.fromEntries(entries) as Record<string, string>;

export async function volumeCreate(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  let name = flags.defines('name') ? flags.string('name') : '';
  if (ctx.args.length === 1) {
    if (name !== '') throw new CliError('conflicting options: cannot specify a volume-name through both --name and as a positional arg', 1);
    name = ctx.args[0]!;
  }
  if (CLUSTER_FLAGS.some((f) => flags.changed(f))) throw new CliError(`Error response from daemon: ${NOT_A_MANAGER}`, 1);
  // docker/cli sends empty maps, not null: such volumes show "Labels": {} and "Options": {}.
  const labels = toMap(flags.list('label').map((l): [string, string] => {
    const eq = l.indexOf('=');
    return eq < 0 ? [l, ''] : [l.slice(0, eq), l.slice(eq + 1)];
  }));
  const v = (await ctx.api.volumeCreate({ Name: name, Driver: flags.string('driver'), Labels: labels, DriverOpts: toMap(flags.map('opt')) })) as { Name: string };
  await ctx.io.stdout.write(v.Name + '\n');
  return 0;
}


export async function volumeLs(ctx: CommandContext): Promise<number> {
  const { flags, api } = ctx;
  const quiet = flags.bool('quiet');
  let list = (await api.volumeList({ filters: filtersOf(flags.list('filter')) })).Volumes as unknown as VolumeSummary[];
  let format = flags.string('format') || TABLE_FORMAT_KEY;
  if (flags.bool('cluster')) {
    list = []; // no swarm: there are no cluster volumes
    if (!flags.string('format')) format = quiet ? TABLE_FORMAT_KEY : CLUSTER_TABLE;
  }
  list.sort((a, b) => (naturalLess(a.Name, b.Name) ? -1 : naturalLess(b.Name, a.Name) ? 1 : 0));
  return writeFormatted(ctx, () => formatVolumes(list, { format, quiet }));
}

export function volumeRm(ctx: CommandContext): Promise<number> {
  const force = ctx.flags.bool('force');
  return forEachArg(ctx, async (name) => (await ctx.api.volumeRemove(name, { force }), name));
}

/** The prune itself, as `docker volume prune` and `docker system prune --volumes` print it. */
export async function pruneVolumes(ctx: CommandContext, filterValues: readonly string[]): Promise<{ output: string; reclaimed: number }> {
  const report = await ctx.api.volumePrune({ filters: filtersOf(filterValues) });
  if (!report.VolumesDeleted.length) return { output: '', reclaimed: 0 };
  return { output: `Deleted Volumes:\n${report.VolumesDeleted.map((n) => n + '\n').join('')}`, reclaimed: report.SpaceReclaimed };
}

export async function volumePrune(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const filters = flags.list('filter');
  const all = flags.bool('all');
  if (all && parseFilterArgs(filters).has('all')) throw new CliError('conflicting options: cannot specify both --all and --filter all=1', 1);
  const warning = all
    ? 'WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue?'
    : 'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue?';
  // A refusal is docker/cli's "cancelled" error: nothing more printed, exit 0.
  if (!flags.bool('force') && !(await confirm(ctx, warning))) return 0;
  const { output, reclaimed } = await pruneVolumes(ctx, all ? [...filters, 'all=true'] : filters);
  if (output) await ctx.io.stdout.write(output + '\n');
  await ctx.io.stdout.write(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
  return 0;
}

/** Handlers by canonical command path, for the CLI's table. */
export const volumeHandlers = {
  'volume create': volumeCreate,
  'volume ls': volumeLs,
  'volume inspect': inspectCommand('volume'),
  'volume rm': volumeRm,
  'volume prune': volumePrune,
};
