// The host-wide commands: events, info, stats, system df, and the prune family (with Docker's
// confirmation prompt unless -f).
import { humanSize } from '../format/units.ts';
import { formatEventLine, naturalLess } from '../format/port-events.ts';
import { formatStats, type StatsEntry } from '../format/stats.ts';
import { renderFormat, headerContext, FormatError } from '../format/formatter.ts';
import { parseTemplate, TemplateError } from '../format/template.ts';
import { GuestPaths } from '../../container/runtime.ts';
import type { EngineEvent } from '../../events.ts';
import { OrderedWrites } from '../../../lib/ordered-writes.ts';
import { ENGINE_VERSION } from '../../version.ts';
import { parseFilterArgs, type FilterArgs } from '../../volume/filters.ts';
import type { CommandContext } from '../context.ts';
import { CliError } from '../io.ts';
import { parseTimestamp } from '../time.ts';
import { pruneVolumes } from './volume.ts';
import { confirm } from '../confirm.ts';

async function pruneContainers(ctx: CommandContext): Promise<{ output: string; reclaimed: number }> {
  const ids: string[] = [];
  for (const c of ctx.engine.containers.registry.all()) {
    if (c.State.Running || c.State.Restarting || c.State.Paused) continue;
    await ctx.engine.containers.remove(c.Id);
    ids.push(c.Id);
  }
  return { output: ids.length ? `Deleted Containers:\n${ids.map((id) => id + '\n').join('')}` : '', reclaimed: 0 };
}

async function pruneImages(ctx: CommandContext, all: boolean): Promise<{ output: string; reclaimed: number }> {
  const report = await ctx.engine.images.prune({ all });
  if (!report.ImagesDeleted) return { output: '', reclaimed: 0 };
  const lines = report.ImagesDeleted.map((r) => ('Untagged' in r && r.Untagged ? `untagged: ${r.Untagged}` : `deleted: ${(r as { Deleted: string }).Deleted}`));
  return { output: `Deleted Images:\n${lines.map((l) => l + '\n').join('')}`, reclaimed: report.SpaceReclaimed };
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
  const steps = [() => pruneContainers(ctx), ...(volumes ? [() => pruneVolumes(ctx, filterValues)] : []), () => pruneImages(ctx, all)];
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
  const { engine } = ctx;
  const images = await engine.images.list();
  const containers = engine.containers.registry.all();
  const usedImages = new Set(containers.map((c) => c.Image));
  const imageSize = images.reduce((n, i) => n + i.Size, 0);
  const reclaimable = images.filter((i) => !usedImages.has(i.Id)).reduce((n, i) => n + i.Size, 0);
  const pct = (part: number, whole: number) => (whole ? ` (${Math.round((part / whole) * 100)}%)` : '');
  // Volumes: sizes come from the share, so flush the guest's cached writes first (docker/cli's
  // percentage is an integer division).
  if (engine.volumes.all().length) await engine.saved.flush().catch(() => undefined);
  const vol = engine.volumes.diskUsage();
  const volumesReclaimable = `${humanSize(vol.reclaimable)}${vol.size > 0 ? ` (${Math.floor((vol.reclaimable * 100) / vol.size)}%)` : ''}`;
  const rows = [
    { Type: 'Images', TotalCount: String(images.length), Active: String(images.filter((i) => usedImages.has(i.Id)).length), Size: humanSize(imageSize), Reclaimable: `${humanSize(reclaimable)}${pct(reclaimable, imageSize)}` },
    { Type: 'Containers', TotalCount: String(containers.length), Active: String(containers.filter((c) => c.State.Running).length), Size: '0B', Reclaimable: '0B' },
    { Type: 'Local Volumes', TotalCount: String(vol.count), Active: String(vol.active), Size: humanSize(vol.size), Reclaimable: volumesReclaimable },
    { Type: 'Build Cache', TotalCount: '0', Active: '0', Size: '0B', Reclaimable: '0B' },
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
  const { engine } = ctx;
  const containers = engine.containers.registry.all();
  const running = containers.filter((c) => c.State.Running && !c.State.Paused).length;
  const paused = containers.filter((c) => c.State.Paused).length;
  const images = (await engine.images.list()).length;
  const data = {
    ID: 'SLIP:WAY0:0000:0000:0000:0000:0000:0000',
    Containers: containers.length,
    ContainersRunning: running,
    ContainersPaused: paused,
    ContainersStopped: containers.length - running - paused,
    Images: images,
    Driver: 'overlay2',
    LoggingDriver: 'json-file',
    CgroupDriver: 'cgroupfs',
    CgroupVersion: '2',
    KernelVersion: (await engine.runtime.run(['uname', '-r'])).stdout.trim(),
    OperatingSystem: 'Slipway (Linux in v86)',
    OSType: 'linux',
    Architecture: 'i686',
    NCPU: 1,
    MemTotal: 268435456,
    DockerRootDir: '/var/lib/docker',
    Name: 'slipway',
    ServerVersion: ENGINE_VERSION,
    DefaultRuntime: 'runc',
    Runtimes: { runc: { path: 'crun' } },
    Debug: false,
    ExperimentalBuild: false,
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: 'docker-init',
    SecurityOptions: ['name=seccomp,profile=builtin', 'name=cgroupns'],
  };
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
    ` Version:    ${ENGINE_VERSION}`,
    ' Context:    default',
    ' Debug Mode: false',
    '',
    'Server:',
    ` Containers: ${data.Containers}`,
    `  Running: ${running}`,
    `  Paused: ${paused}`,
    `  Stopped: ${data.ContainersStopped}`,
    ` Images: ${images}`,
    ` Server Version: ${ENGINE_VERSION}`,
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
  for (const problem of engine.storeProblems) await ctx.io.stderr.write(`WARNING: store: ${problem}\n`);
  return 0;
}

export async function events(ctx: CommandContext): Promise<number> {
  const { engine, flags, io } = ctx;
  const now = engine.now();
  const since = flags.string('since') ? parseTimestamp(flags.string('since'), now) : undefined;
  const until = flags.string('until') ? parseTimestamp(flags.string('until'), now) : undefined;
  const filters = flags.list('filter').map((f) => {
    const eq = f.indexOf('=');
    return [f.slice(0, eq), f.slice(eq + 1)] as const;
  });
  const matches = (e: EngineEvent) =>
    filters.every(([k, v]) => {
      switch (k) {
        case 'type':
          return e.Type === v;
        case 'event':
          return e.Action === v;
        case 'container':
          return e.Type === 'container' && (e.Actor.ID.startsWith(v) || e.Actor.Attributes.name === v);
        case 'image':
          return e.Actor.Attributes.image === v || e.Actor.ID === v;
        case 'label': {
          const [lk = '', lv] = v.split('=', 2);
          return lk in e.Actor.Attributes && (lv === undefined || e.Actor.Attributes[lk] === lv);
        }
        default:
          return true;
      }
    });
  const format = flags.string('format');
  const template = format && format !== 'json' ? parseTemplate(format) : null;
  const line = (e: EngineEvent) => {
    if (template) return template.execute(e) + '\n';
    if (format === 'json') return JSON.stringify(e) + '\n';
    // The engine clock has millisecond resolution; timeNano as a double is only close to it.
    return formatEventLine({ ...e, timeNano: String(BigInt(Math.round(e.timeNano / 1e6)) * 1_000_000n) });
  };
  const writes = new OrderedWrites();
  const emit = (e: EngineEvent) => {
    if (matches(e)) writes.push(() => io.stdout.write(line(e)));
  };
  if (since !== undefined) for (const e of engine.events.history(since, until ?? Infinity)) emit(e);
  if (until !== undefined && until <= now) {
    await writes.settled();
    return 0;
  }
  const sub = engine.events.subscribe((e) => {
    if (until !== undefined && e.timeNano / 1e6 > until) return;
    emit(e);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = until !== undefined ? new Promise<void>((r) => (timer = setTimeout(r, until - now))) : new Promise<void>(() => {});
  try {
    await Promise.race([stop, io.disconnected ?? new Promise<void>(() => {})]);
  } finally {
    sub.dispose();
    clearTimeout(timer);
  }
  await writes.settled();
  return 0;
}

interface CgroupSample {
  memory: number;
  limit: number;
  pids: number;
  cpuUsec: number;
}

async function sampleCgroups(ctx: CommandContext, ids: readonly string[]): Promise<Map<string, CgroupSample>> {
  const script = 'for d in "$@"; do c=/sys/fs/cgroup$d; echo "$(cat $c/memory.current) $(cat $c/memory.max) $(cat $c/pids.current) $(grep usage_usec $c/cpu.stat)"; done';
  const r = await ctx.engine.runtime.run(['/bin/sh', '-c', script, 'slipway-stats', ...ids.map((id) => GuestPaths.cgroup(id))]);
  const out = new Map<string, CgroupSample>();
  r.stdout.split('\n').forEach((line, i) => {
    const id = ids[i];
    if (!id || !line) return;
    const [memory = '0', limit = 'max', pids = '0', , cpu = '0'] = line.trim().split(/\s+/);
    out.set(id, { memory: Number(memory), limit: limit === 'max' ? 268435456 : Number(limit), pids: Number(pids), cpuUsec: Number(cpu) });
  });
  return out;
}

export async function stats(ctx: CommandContext): Promise<number> {
  const { engine, flags, io } = ctx;
  const all = flags.bool('all');
  const records = ctx.args.length ? ctx.args.map((a) => engine.containers.registry.get(a)) : engine.containers.registry.all().filter((c) => all || c.State.Running);
  const render = async (): Promise<string> => {
    const running = records.filter((c) => c.State.Running);
    const first = await sampleCgroups(ctx, running.map((c) => c.Id));
    const t0 = engine.now();
    await new Promise((r) => setTimeout(r, 500));
    const second = await sampleCgroups(ctx, running.map((c) => c.Id));
    const elapsedUsec = (engine.now() - t0) * 1000;
    const entries: StatsEntry[] = records.map((c, i) => {
      const a = first.get(c.Id);
      const b = second.get(c.Id);
      return {
        Container: ctx.args[i] ?? c.Id.slice(0, 12),
        Name: c.Name,
        ID: c.Id,
        CPUPercentage: a && b ? Math.max(0, ((b.cpuUsec - a.cpuUsec) / elapsedUsec) * 100) : 0,
        Memory: b?.memory ?? 0,
        MemoryLimit: b?.limit ?? 0,
        MemoryPercentage: b && b.limit ? (b.memory / b.limit) * 100 : 0,
        NetworkRx: 0,
        NetworkTx: 0,
        BlockRead: 0,
        BlockWrite: 0,
        PidsCurrent: b?.pids ?? 0,
      };
    });
    return formatStats(entries, { format: flags.string('format'), noTrunc: flags.bool('no-trunc') });
  };
  try {
    if (flags.bool('no-stream')) {
      await io.stdout.write(await render());
      return 0;
    }
    let gone = false;
    void io.disconnected?.then(() => (gone = true));
    while (!gone) await io.stdout.write('\x1b[2J\x1b[H' + (await render()));
  } catch (e) {
    if (e instanceof FormatError) throw new CliError(e.message, e.exitCode);
    throw e;
  }
  return 0;
}
