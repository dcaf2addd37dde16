// `docker ps` / `docker container ls`: running containers (all with -a), newest first, with
// Docker's filters and formats.
import type { ContainerRecord } from '../../../container/record.ts';
import { containerSummary } from '../../../container/views.ts';
import { networkId } from '../../../network/bridge.ts';
import { mountPointsView } from '../../../volume/mount-points.ts';
import { formatContainers, type ContainerSummary } from '../../format/container.ts';
import { FormatError } from '../../format/formatter.ts';
import { containerStatusText } from '../../format/units.ts';
import type { CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

type Filter = (c: ContainerRecord) => boolean;

function parseFilters(values: readonly string[], resolveImage: (ref: string) => string | undefined): Filter[] {
  const byKey = new Map<string, string[]>();
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new CliError(`Error response from daemon: bad format of filter (expected name=value)`, 1);
    const key = v.slice(0, eq).toLowerCase();
    byKey.set(key, [...(byKey.get(key) ?? []), v.slice(eq + 1)]);
  }
  const filters: Filter[] = [];
  for (const [key, wanted] of byKey) {
    switch (key) {
      case 'status':
        for (const s of wanted) if (!STATUSES.includes(s)) throw new CliError(`Error response from daemon: invalid filter 'status=${s}'`, 1);
        filters.push((c) => wanted.includes(c.State.Status));
        break;
      case 'name':
        filters.push((c) => wanted.some((w) => new RegExp(w).test(c.Name.slice(1)) || new RegExp(w).test(c.Name)));
        break;
      case 'id':
        filters.push((c) => wanted.some((w) => c.Id.startsWith(w)));
        break;
      case 'label':
        filters.push((c) =>
          wanted.every((w) => {
            const [k = '', val] = w.split('=', 2);
            const labels = c.Config.Labels ?? {};
            return k in labels && (val === undefined || labels[k] === val);
          }),
        );
        break;
      case 'ancestor':
        filters.push((c) => wanted.some((w) => c.Config.Image === w || resolveImage(w) === c.Image || c.Image.startsWith(`sha256:${w}`)));
        break;
      case 'exited':
        filters.push((c) => c.State.Status === 'exited' && wanted.some((w) => Number(w) === c.State.ExitCode));
        break;
      case 'volume':
        filters.push((c) => wanted.some((w) => mountedAt(c, w)));
        break;
      case 'network':
        filters.push((c) => wanted.includes(c.HostConfig.NetworkMode === 'default' || !c.HostConfig.NetworkMode ? 'bridge' : c.HostConfig.NetworkMode));
        break;
      default:
        throw new CliError(`Error response from daemon: invalid filter '${key}'`, 1);
    }
  }
  return filters;
}

/** moby's `volume` filter: a mount's destination, or its volume name (a bind's or tmpfs's source). */
function mountedAt(c: ContainerRecord, value: string): boolean {
  return mountPointsView(c).some((m) => m.Destination === value || (m.Name || m.Source) === value);
}

export async function ps(ctx: CommandContext): Promise<number> {
  const { flags, engine } = ctx;
  const now = engine.now();
  const imageIds = new Map<string, string>();
  for (const ref of flags.list('filter').filter((f) => f.startsWith('ancestor=')).map((f) => f.slice(9))) {
    const image = await engine.images.resolve(ref).catch(() => undefined);
    if (image) imageIds.set(ref, image.id);
  }
  const filters = parseFilters(flags.list('filter'), (ref) => imageIds.get(ref));
  const last = flags.bool('latest') ? 1 : flags.changed('last') ? flags.int('last') : -1;
  let list = engine.containers.registry.all();
  if (!flags.bool('all') && last < 0 && !flags.list('filter').some((f) => f.startsWith('status=') || f.startsWith('exited='))) {
    list = list.filter((c) => c.State.Running || c.State.Restarting);
  }
  if (last >= 0) list = list.slice(0, last);
  list = list.filter((c) => filters.every((f) => f(c)));
  // -s: the writable layer (not measured yet: 0) and the image below it ("virtual").
  const imageSizes = flags.bool('size') ? new Map((await engine.images.list()).map((i) => [i.Id as string, i.Size])) : new Map<string, number>();
  const summaries = list.map((c) =>
    containerSummary(c, {
      now,
      networkId,
      statusText: containerStatusText(
        {
          running: c.State.Running,
          paused: c.State.Paused,
          restarting: c.State.Restarting,
          removalInProgress: c.State.Status === 'removing',
          dead: c.State.Dead,
          exitCode: c.State.ExitCode,
          startedAt: c.State.StartedAt,
          finishedAt: c.State.FinishedAt,
        },
        new Date(now),
      ),
      ...(flags.bool('size') ? { sizeRw: 0, sizeRootFs: imageSizes.get(c.Image) ?? 0 } : {}),
    }),
  ) as unknown as ContainerSummary[];
  try {
    await ctx.io.stdout.write(
      formatContainers(summaries, { format: flags.string('format'), quiet: flags.bool('quiet'), size: flags.bool('size'), noTrunc: flags.bool('no-trunc'), now: new Date(now) }),
    );
  } catch (e) {
    if (e instanceof FormatError) throw new CliError(e.message, e.exitCode);
    throw e;
  }
  return 0;
}
