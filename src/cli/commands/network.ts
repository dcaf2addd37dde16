// `docker network create|ls|inspect|rm|prune` (docker/cli cli/command/network), printing what
// Docker v28 prints, with its exit codes. `connect` and `disconnect` are not built yet.
import { TABLE_FORMAT_KEY } from '../format/formatter.ts';
import { formatNetworks, type NetworkSummary } from '../format/resources.ts';
import { confirm } from '../confirm.ts';
import { filtersOf, forEachArg, writeFormatted, type CommandContext } from '../context.ts';
import { CliError } from '../io.ts';
import { inspectCommand } from './inspect.ts';

export async function networkCreate(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const subnets = flags.list('subnet');
  const gateways = flags.list('gateway');
  const ranges = flags.list('ip-range');
  // docker/cli's consolidateIpam: a gateway or range needs a subnet to belong to.
  if (gateways.length > subnets.length || ranges.length > subnets.length) throw new CliError('every ip-range or gateway must have a corresponding subnet', 1);
  const labels = Object.fromEntries(flags.list('label').map((l) => (l.includes('=') ? [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] : [l, ''])));
  const r = await ctx.api.networkCreate({
    Name: ctx.args[0]!,
    Driver: flags.string('driver') || 'bridge',
    Internal: flags.bool('internal'),
    Attachable: flags.bool('attachable'),
    Labels: labels,
    Options: Object.fromEntries(flags.map('opt')),
    IPAM: { Driver: 'default', Config: subnets.map((Subnet, i) => ({ Subnet, ...(gateways[i] ? { Gateway: gateways[i] } : {}), ...(ranges[i] ? { IPRange: ranges[i] } : {}) })) },
  } as never);
  await ctx.io.stdout.write(`${r.Id}\n`);
  return 0;
}

export async function networkLs(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const list = (await ctx.api.networkList({ filters: filtersOf(flags.list('filter')) })) as unknown as NetworkSummary[];
  // docker/cli sorts by name.
  list.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return writeFormatted(ctx, () => formatNetworks(list, { format: flags.string('format') || TABLE_FORMAT_KEY, quiet: flags.bool('quiet'), noTrunc: flags.bool('no-trunc') }));
}

export function networkRm(ctx: CommandContext): Promise<number> {
  const force = ctx.flags.bool('force');
  return forEachArg(ctx, async (name) => {
    try {
      await ctx.api.networkRemove(name);
    } catch (e) {
      // -f: a network that is not there is no error.
      if (force && (e as { kind?: string }).kind === 'not-found') return null;
      throw e;
    }
    return name;
  });
}

export async function networkPrune(ctx: CommandContext): Promise<number> {
  if (!ctx.flags.bool('force') && !(await confirm(ctx, 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?'))) return 0;
  const { NetworksDeleted: names } = await ctx.api.networkPrune({ filters: filtersOf(ctx.flags.list('filter')) });
  if (names.length) await ctx.io.stdout.write(`Deleted Networks:\n${names.map((n) => n + '\n').join('')}\n`);
  return 0;
}

/** Handlers by canonical command path, for the CLI's table. */
export const networkHandlers = {
  'network create': networkCreate,
  'network ls': networkLs,
  'network inspect': inspectCommand('network'),
  'network rm': networkRm,
  'network prune': networkPrune,
};
