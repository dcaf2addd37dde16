// The host-wide commands: events, info, stats, system df, and the prune family (with Docker's
// confirmation prompt unless -f).
import { humanSize } from '../../lib/units.ts';
import { formatEventLine, naturalLess } from '../format/port-events.ts';
import { formatStats, type StatsEntry } from '../format/stats.ts';
import { renderFormat, headerContext, FormatError } from '../format/formatter.ts';
import { parseTemplate, TemplateError } from '../format/template.ts';
import type { EngineEvent } from '../../engine/api/types.ts';
import { SLIPWAY_VERSION } from '../version.ts';
import { parseFilterArgs, type FilterArgs } from '../opts/filters.ts';
import { filtersOf, type CommandContext } from '../context.ts';
import { CliError } from '../io.ts';
import { parseTimestamp } from '../time.ts';
import { pruneVolumes } from './volume.ts';
import { confirm } from '../confirm.ts';

async function pruneContainers(ctx: CommandContext): Promise<{ output: string; reclaimed: number }> {
  const { ContainersDeleted: ids } = await ctx.api.containerPrune();
  return { output: ids.length ? `Deleted Containers:\n${ids.map((id) => id + '\n').join('')}` : '', reclaimed: 0 };
}

async function pruneImages(ctx: CommandContext, all: boolean): Promise<{ output: string; reclaimed: number }> {
  const report = await ctx.api.imagePrune({ filters: all ? { dangling: ['false'] } : {} });
  if (!report.ImagesDeleted?.length) return { output: '', reclaimed: 0 };
  const lines = report.ImagesDeleted.map((r) => ('Untagged' in r && r.Untagged ? `untagged: ${r.Untagged}` : `deleted: ${(r as { Deleted: string }).Deleted}`));
  return { output: `Deleted Images:\n${lines.map((l) => l + '\n').join('')}`, reclaimed: report.SpaceReclaimed };
}

async function pruneBuildCache(ctx: CommandContext, all: boolean): Promise<{ output: string; reclaimed: number }> {
  const report = await ctx.api.buildPrune({ all });
  const ids = report.CachesDeleted ?? [];
  return { output: ids.length ? `Deleted build cache objects:\n${ids.map((id) => id + '\n').join('')}` : '', reclaimed: report.SpaceReclaimed };
}

/** `docker builder prune`: docker/cli prints the deleted objects, a blank line, then the total. */
export async function builderPrune(ctx: CommandContext): Promise<number> {
  const all = ctx.flags.bool('all');
  const warning = all ? 'WARNING! This will remove all build cache. Are you sure you want to continue?' : 'WARNING! This will remove all dangling build cache. Are you sure you want to continue?';
  if (!ctx.flags.bool('force') && !(await confirm(ctx, warning))) return 0;
  const { output, reclaimed } = await pruneBuildCache(ctx, all);
  await ctx.io.stdout.write(`${output ? output + '\n' : ''}Total reclaimed space: ${humanSize(reclaimed)}\n`);
  return 0;
}

export async function containerPrune(ctx: CommandContext): Promise<number> {
  if (!ctx.flags.bool('force') && !(await confirm(ctx, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue?'))) return 0;
  const { output, reclaimed } = await pruneContainers(ctx);
  await ctx.io.stdout.write(`${output}Total reclaimed space: ${humanSize(reclaimed)}\n`);
  return 0;
}

export async function imagePrune(ctx: CommandContext): Promise<number> {
  const all = ctx.flags.bool('all');
  const warning = all
    ? 'WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?'
    : 'WARNING! This will remove all dangling images.\nAre you sure you want to continue?';
  if (!ctx.flags.bool('force') && !(await confirm(ctx, warning))) return 0;
  const { output, reclaimed } = await pruneImages(ctx, all);
  await ctx.io.stdout.write(`${output}Total reclaimed space: ${humanSize(reclaimed)}\n`);
  return 0;
}

/** docker/cli's system prune confirmation template: the warnings, then the filters it will apply. */
function systemPruneWarning(all: boolean, volumes: boolean, filters: FilterArgs): string {
  const warnings = ['all stopped containers', 'all networks not used by at least one container'];
  if (volumes) warnings.push('all anonymous volumes not used by at least one container');
  warnings.push(all ? 'all images without at least one container associated to them' : 'all dangling images');
  warnings.push(all ? 'all build cache' : 'unused build cache');
  const shown = ['label', 'label!', 'until'].flatMap((name) => (filters.get(name) ?? []).map((v) => `${name}=${v}`));
  shown.sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
  const filterLines = shown.length ? `\n  Items to be pruned will be filtered with:\n${shown.map((f) => `  - ${f}\n`).join('')}` : '';
  return `WARNING! This will remove:\n${warnings.map((w) => `  - ${w}\n`).join('')}${filterLines}\nAre you sure you want to continue?`;
}

export async function systemPrune(ctx: CommandContext): Promise<number> {
  const all = ctx.flags.bool('all');
  const volumes = ctx.flags.bool('volumes');
  const filterValues = ctx.flags.list('filter');
  const filters = parseFilterArgs(filterValues);
  if (volumes && filters.has('until')) throw new CliError('ERROR: The "until" filter is not supported with "--volumes"', 1);
  if (!ctx.flags.bool('force') && !(await confirm(ctx, systemPruneWarning(all, volumes, filters)))) return 0;
  // docker/cli's order: containers, networks, volumes (anonymous ones only, whatever -a says), images, build cache.
  const steps = [() => pruneContainers(ctx), ...(volumes ? [() => pruneVolumes(ctx, filterValues)] : []), () => pruneImages(ctx, all), () => pruneBuildCache(ctx, all)];
  let reclaimed = 0;
  for (const step of steps) {
    const r = await step();
    reclaimed += r.reclaimed;
    if (r.output) await ctx.io.stdout.write(r.output + '\n');
  }
  await ctx.io.stdout.write(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
  return 0;
}

export async function df(ctx: CommandContext): Promise<number> {
  const usage = await ctx.api.diskUsage();
  const images = usage.Images as { Size: number; Containers: number }[];
  const containers = usage.Containers as { State: string }[];
  const volumes = usage.Volumes as { UsageData: { Size: number; RefCount: number } }[];
  const cache = (usage.BuildCache ?? []) as { Size: number; InUse: boolean; Shared: boolean }[];
  const cacheSize = cache.reduce((n, c) => n + c.Size, 0);
  // docker/cli: shared and in-use entries are not reclaimable.
  const cacheReclaimable = cache.filter((c) => !c.InUse && !c.Shared).reduce((n, c) => n + c.Size, 0);
  const imageSize = images.reduce((n, i) => n + i.Size, 0);
  const reclaimable = images.filter((i) => i.Containers === 0).reduce((n, i) => n + i.Size, 0);
  const pct = (part: number, whole: number) => (whole ? ` (${Math.round((part / whole) * 100)}%)` : '');
  const volumeSize = volumes.reduce((n, v) => n + v.UsageData.Size, 0);
  const volumeReclaimable = volumes.filter((v) => v.UsageData.RefCount === 0).reduce((n, v) => n + v.UsageData.Size, 0);
  // docker/cli's percentage for volumes is an integer division.
  const volumesReclaimable = `${humanSize(volumeReclaimable)}${volumeSize > 0 ? ` (${Math.floor((volumeReclaimable * 100) / volumeSize)}%)` : ''}`;
  const rows = [
    { Type: 'Images', TotalCount: String(images.length), Active: String(images.filter((i) => i.Containers > 0).length), Size: humanSize(imageSize), Reclaimable: `${humanSize(reclaimable)}${pct(reclaimable, imageSize)}` },
    { Type: 'Containers', TotalCount: String(containers.length), Active: String(containers.filter((c) => c.State === 'running').length), Size: '0B', Reclaimable: '0B' },
    { Type: 'Local Volumes', TotalCount: String(volumes.length), Active: String(volumes.filter((v) => v.UsageData.RefCount > 0).length), Size: humanSize(volumeSize), Reclaimable: volumesReclaimable },
    { Type: 'Build Cache', TotalCount: String(cache.length), Active: String(cache.filter((c) => c.InUse).length), Size: humanSize(cacheSize), Reclaimable: humanSize(cacheReclaimable) },
  ];
  const format = ctx.flags.string('format') || 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
  try {
    await ctx.io.stdout.write(renderFormat(format, headerContext({ Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' }), rows));
  } catch (e) {
    if (e instanceof FormatError) throw new CliError(e.message, e.exitCode);
    throw e;
  }
  return 0;
}

export async function info(ctx: CommandContext): Promise<number> {
  const data = await ctx.api.info();
  const running = data.ContainersRunning;
  const paused = data.ContainersPaused;
  const images = data.Images;
  const format = ctx.flags.string('format');
  if (format) {
    if (format === 'json') {
      await ctx.io.stdout.write(JSON.stringify(data) + '\n');
      return 0;
    }
    try {
      await ctx.io.stdout.write(parseTemplate(format).execute(data) + '\n');
    } catch (e) {
      throw new CliError(`template parsing error: ${(e as TemplateError).message}`, 64);
    }
    return 0;
  }
  const lines = [
    'Client:',
    ` Version:    ${SLIPWAY_VERSION}`,
    ' Context:    default',
    ' Debug Mode: false',
    '',
    'Server:',
    ` Containers: ${data.Containers}`,
    `  Running: ${running}`,
    `  Paused: ${paused}`,
    `  Stopped: ${data.ContainersStopped}`,
    ` Images: ${images}`,
    ` Server Version: ${data.ServerVersion}`,
    ' Storage Driver: overlay2',
    '  Backing Filesystem: tmpfs (layers over 9p)',
    ' Logging Driver: json-file',
    ' Cgroup Driver: cgroupfs',
    ' Cgroup Version: 2',
    ' Plugins:',
    '  Volume: local',
    '  Network: bridge host null',
    '  Log: json-file',
    ' Runtimes: runc (crun)',
    ' Default Runtime: runc',
    ' Init Binary: docker-init',
    ' Security Options:',
    '  seccomp',
    '   Profile: builtin',
    '  cgroupns',
    ` Kernel Version: ${data.KernelVersion}`,
    ` Operating System: ${data.OperatingSystem}`,
    ' OSType: linux',
    ' Architecture: i686',
    ' CPUs: 1',
    ' Total Memory: 256MiB',
    ' Name: slipway',
    ` ID: ${data.ID}`,
    ' Docker Root Dir: /var/lib/docker',
    ' Debug Mode: false',
    ' Experimental: false',
    ' Insecure Registries:',
    '  ::1/128',
    '  127.0.0.0/8',
    ' Live Restore Enabled: false',
    '',
  ];
  await ctx.io.stdout.write(lines.join('\n'));
  // Docker prints the daemon's warnings after the listing, on stderr.
  for (const warning of data.Warnings) await ctx.io.stderr.write(`${warning}\n`);
  return 0;
}

export async function events(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const now = ctx.now();
  const since = flags.string('since') ? parseTimestamp(flags.string('since'), now) : undefined;
  const until = flags.string('until') ? parseTimestamp(flags.string('until'), now) : undefined;
  const format = flags.string('format');
  const template = format && format !== 'json' ? parseTemplate(format) : null;
  const line = (e: EngineEvent) => {
    if (template) return template.execute(e) + '\n';
    if (format === 'json') return JSON.stringify(e) + '\n';
    // The engine clock has millisecond resolution; timeNano as a double is only close to it.
    return formatEventLine({ ...e, timeNano: String(BigInt(Math.round(e.timeNano / 1e6)) * 1_000_000n) });
  };
  const gone = new AbortController();
  void io.disconnected?.then(() => gone.abort());
  const stream = ctx.api.events({ since, until, filters: filtersOf(flags.list('filter')) }, gone.signal);
  for await (const e of stream) await io.stdout.write(line(e));
  return 0;
}

interface StatsSample {
  cpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage: number; online_cpus: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage: number };
  memory_stats: { usage?: number; limit?: number };
  pids_stats: { current?: number };
}

/** docker/cli's calculateCPUPercentUnix. */
function cpuPercent(s: StatsSample): number {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const systemDelta = s.cpu_stats.system_cpu_usage - s.precpu_stats.system_cpu_usage;
  if (!s.precpu_stats.system_cpu_usage || systemDelta <= 0 || cpuDelta < 0) return 0;
  return (cpuDelta / systemDelta) * (s.cpu_stats.online_cpus || 1) * 100;
}

export async function stats(ctx: CommandContext): Promise<number> {
  const { api, flags, io } = ctx;
  const all = flags.bool('all');
  const gone = new AbortController();
  void io.disconnected?.then(() => gone.abort());
  const summaries = ctx.args.length
    ? await Promise.all(ctx.args.map(async (a) => (await api.containerInspect(a)) as { Id: string; Name: string }))
    : ((await api.containerList({ all })) as { Id: string; Names: string[] }[]).map((c) => ({ Id: c.Id, Name: c.Names[0]! }));
  const render = async (): Promise<string> => {
    const samples = await Promise.all(
      summaries.map(async (c) => {
        for await (const s of api.containerStats(c.Id, { stream: false }, gone.signal)) return s as unknown as StatsSample;
        return undefined;
      }),
    );
    const entries: StatsEntry[] = summaries.map((c, i) => {
      const s = samples[i];
      const memory = s?.memory_stats.usage ?? 0;
      const limit = s?.memory_stats.limit ?? 0;
      return {
        Container: ctx.args[i] ?? c.Id.slice(0, 12),
        Name: c.Name,
        ID: c.Id,
        CPUPercentage: s ? Math.max(0, cpuPercent(s)) : 0,
        Memory: memory,
        MemoryLimit: limit,
        MemoryPercentage: limit ? (memory / limit) * 100 : 0,
        NetworkRx: 0,
        NetworkTx: 0,
        BlockRead: 0,
        BlockWrite: 0,
        PidsCurrent: s?.pids_stats.current ?? 0,
      };
    });
    return formatStats(entries, { format: flags.string('format'), noTrunc: flags.bool('no-trunc') });
  };
  try {
    if (flags.bool('no-stream')) {
      await io.stdout.write(await render());
      return 0;
    }
    while (!gone.signal.aborted) await io.stdout.write('\x1b[2J\x1b[H' + (await render()));
  } catch (e) {
    if (e instanceof FormatError) throw new CliError(e.message, e.exitCode);
    throw e;
  }
  return 0;
}
