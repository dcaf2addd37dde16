// GET /containers/json: the daemon's list with moby's filters (status, name, id, label, ancestor,
// exited, volume, network), newest first, and the human status text moby computes server-side.
import type { Engine } from '../engine.ts';
import type { ContainerRecord } from '../container/record.ts';
import { DaemonError } from '../container/state.ts';
import { containerSummary } from '../container/views.ts';
import { networkId } from '../network/bridge.ts';
import { mountPointsView } from '../volume/mount-points.ts';
import { containerStatusText } from '../../lib/units.ts';
import type { ContainerListOptions, Filters, JsonObject } from './types.ts';

const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

type Predicate = (c: ContainerRecord) => boolean;

function invalidFilter(text: string): DaemonError {
  return new DaemonError(`invalid filter '${text}'`, 'invalid-parameter');
}

function predicates(filters: Filters, resolveImage: (ref: string) => string | undefined): Predicate[] {
  const out: Predicate[] = [];
  for (const [key, wanted] of Object.entries(filters)) {
    if (!wanted.length) continue;
    switch (key) {
      case 'status':
        for (const s of wanted) if (!STATUSES.includes(s)) throw invalidFilter(`status=${s}`);
        out.push((c) => wanted.includes(c.State.Status));
        break;
      case 'name':
        out.push((c) => wanted.some((w) => new RegExp(w).test(c.Name.slice(1)) || new RegExp(w).test(c.Name)));
        break;
      case 'id':
        out.push((c) => wanted.some((w) => c.Id.startsWith(w)));
        break;
      case 'label':
        out.push((c) =>
          wanted.every((w) => {
            const [k = '', val] = w.split('=', 2);
            const labels = c.Config.Labels ?? {};
            return k in labels && (val === undefined || labels[k] === val);
          }),
        );
        break;
      case 'ancestor':
        out.push((c) => wanted.some((w) => c.Config.Image === w || resolveImage(w) === c.Image || c.Image.startsWith(`sha256:${w}`)));
        break;
      case 'exited':
        out.push((c) => c.State.Status === 'exited' && wanted.some((w) => Number(w) === c.State.ExitCode));
        break;
      case 'volume':
        // A mount's destination, or its volume name (a bind's or tmpfs's source).
        out.push((c) => wanted.some((w) => mountPointsView(c).some((m) => m.Destination === w || (m.Name || m.Source) === w)));
        break;
      case 'network':
        out.push((c) => wanted.includes(c.HostConfig.NetworkMode === 'default' || !c.HostConfig.NetworkMode ? 'bridge' : c.HostConfig.NetworkMode));
        break;
      default:
        throw invalidFilter(key);
    }
  }
  return out;
}

/** moby's Status column ("Up 3 minutes", "Exited (0) 2 seconds ago"), at `now`. */
export function statusText(c: ContainerRecord, now: number): string {
  return containerStatusText(
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
  );
}

/** What the list reads: the registry, the image store (ancestor filter, sizes) and the clock. */
export interface ContainerListDeps {
  containers: { registry: Pick<Engine['containers']['registry'], 'all'> };
  images: Pick<Engine['images'], 'resolve' | 'list'>;
  now(): number;
  /** A network's ID by name (user networks have their own). */
  networkIdOf?: (name: string) => string;
}

export async function listContainers(engine: ContainerListDeps, options: ContainerListOptions = {}): Promise<JsonObject[]> {
  const filters = options.filters ?? {};
  const imageIds = new Map<string, string>();
  for (const ref of filters.ancestor ?? []) {
    const image = await engine.images.resolve(ref).catch(() => undefined);
    if (image) imageIds.set(ref, image.id);
  }
  const tests = predicates(filters, (ref) => imageIds.get(ref));
  const limit = options.limit !== undefined && options.limit > 0 ? options.limit : -1;
  let list = engine.containers.registry.all();
  const byState = (filters.status?.length ?? 0) > 0 || (filters.exited?.length ?? 0) > 0;
  if (!options.all && limit < 0 && !byState) list = list.filter((c) => c.State.Running || c.State.Restarting);
  if (limit >= 0) list = list.slice(0, limit);
  list = list.filter((c) => tests.every((t) => t(c)));
  const now = engine.now();
  // size: the writable layer (not measured yet: 0) and the image below it.
  const imageSizes = options.size ? new Map((await engine.images.list()).map((i) => [i.Id as string, i.Size])) : new Map<string, number>();
  return list.map((c) =>
    containerSummary(c, {
      now,
      networkId: engine.networkIdOf ?? networkId,
      statusText: statusText(c, now),
      ...(options.size ? { sizeRw: 0, sizeRootFs: imageSizes.get(c.Image) ?? 0 } : {}),
    }),
  );
}
