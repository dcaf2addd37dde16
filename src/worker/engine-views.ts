// The panels' rows, built from the Engine API's answers and rendered by the very formatters
// `docker ps -a` and `docker images` print with, so the page and the terminal never disagree.
import { formatContainers, type ContainerSummary } from '../cli/format/container.ts';
import type { ImageSummary } from '../cli/format/image.ts';
import type { VolumeSummary } from '../cli/format/resources.ts';
import { humanAgo, humanSize, humanSizeWithPrecision } from '../lib/units.ts';
import type { ContainerStateName, ContainerView, ImageView, VolumeView } from '../protocol/ui.ts';

export type { ContainerSummary, ImageSummary, VolumeSummary };

// Unit separator: no column of `docker ps` can contain it.
const SEP = '\u001f';
const ROW_FORMAT = ['{{.Names}}', '{{.Image}}', '{{.State}}', '{{.Status}}', '{{.Ports}}', '{{.RunningFor}}'].join(SEP);

/** Containers as `docker ps -a` lists them (GET /containers/json?all=1: newest first). */
export function containerViews(summaries: readonly ContainerSummary[], now: number): ContainerView[] {
  if (summaries.length === 0) return [];
  const lines = formatContainers(summaries, { format: ROW_FORMAT, quiet: false, size: false, noTrunc: false, now: new Date(now) }).split('\n');
  return summaries.map((summary, i) => {
    const [name = '', image = '', state = '', status = '', ports = '', created = ''] = (lines[i] ?? '').split(SEP);
    return { id: summary.Id, name, image, state: state as ContainerStateName, status, ports, created };
  });
}

/** Images as `docker images` shows them, one entry per image (its tags together). */
export function imageView(image: ImageSummary, now: number): ImageView {
  return {
    id: image.Id,
    shortId: image.Id.replace(/^sha256:/, '').slice(0, 12),
    tags: (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    size: humanSizeWithPrecision(image.Size, 3),
    created: humanAgo(image.Created, new Date(now)),
  };
}

/**
 * Volumes by name (GET /volumes), sized as `docker system df -v` sizes them (its UsageData; a
 * volume df does not measure shows 0B), with the names of the containers using them, oldest
 * first (`docker ps -a --filter volume=`).
 */
export function volumeViews(volumes: readonly VolumeSummary[], usage: readonly VolumeSummary[], containers: readonly ContainerSummary[]): VolumeView[] {
  const sizes = new Map(usage.map((v) => [v.Name, v.UsageData?.Size ?? 0]));
  const oldestFirst = [...containers].reverse();
  const usedBy = (name: string) =>
    oldestFirst.filter((c) => c.Mounts.some((m) => m.Type === 'volume' && m.Name === name)).map((c) => (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''));
  return [...volumes]
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
    .map((v) => ({ name: v.Name, driver: v.Driver, size: humanSize(Math.max(0, sizes.get(v.Name) ?? 0)), usedBy: usedBy(v.Name) }));
}
