// The panels' rows, rendered by the very formatter `docker ps -a` and `docker images` print with,
// so the page and the terminal never disagree.
import { formatContainers, type ContainerSummary } from '../cli/format/container.ts';
import { humanAgo, humanSize, humanSizeWithPrecision, containerStatusText } from '../lib/units.ts';
import type { ContainerRecord } from '../engine/container/record.ts';
import { containerSummary } from '../engine/container/views.ts';
import type { ImageSummary } from '../engine/image/store/views.ts';
import type { VolumeUsage } from '../engine/volume/volumes.ts';
import type { ContainerStateName, ContainerView, ImageView, VolumeView } from '../protocol/ui.ts';

// Unit separator: no column of `docker ps` can contain it.
const SEP = '\u001f';
const ROW_FORMAT = ['{{.Names}}', '{{.Image}}', '{{.State}}', '{{.Status}}', '{{.Ports}}', '{{.RunningFor}}'].join(SEP);

/** Containers as `docker ps -a` lists them (newest first). */
export function containerViews(records: readonly ContainerRecord[], now: number): ContainerView[] {
  const summaries = records.map((record) => {
    const s = record.State;
    const statusText = containerStatusText(
      {
        running: s.Running,
        paused: s.Paused,
        restarting: s.Restarting,
        removalInProgress: s.Status === 'removing',
        dead: s.Dead,
        exitCode: s.ExitCode,
        startedAt: s.StartedAt,
        finishedAt: s.FinishedAt,
      },
      new Date(now),
    );
    return containerSummary(record, { now, statusText }) as unknown as ContainerSummary;
  });
  if (summaries.length === 0) return [];
  const lines = formatContainers(summaries, { format: ROW_FORMAT, quiet: false, size: false, noTrunc: false, now: new Date(now) }).split('\n');
  return records.map((record, i) => {
    const [name = '', image = '', state = '', status = '', ports = '', created = ''] = (lines[i] ?? '').split(SEP);
    return { id: record.Id, name, image, state: state as ContainerStateName, status, ports, created };
  });
}

/** Images as `docker images` shows them, one entry per image (its tags together). */
export function imageView(image: ImageSummary, now: number): ImageView {
  return {
    id: image.Id,
    shortId: image.Id.replace(/^sha256:/, '').slice(0, 12),
    tags: image.RepoTags.filter((t) => t !== '<none>:<none>'),
    size: humanSizeWithPrecision(image.Size, 3),
    created: humanAgo(image.Created, new Date(now)),
  };
}

/** Volumes by name, with the names of the containers using them (`docker ps -a --filter volume=`). */
export function volumeViews(volumes: readonly VolumeUsage[], containers: readonly ContainerRecord[]): VolumeView[] {
  const names = new Map(containers.map((c) => [c.Id, c.Name.replace(/^\//, '')]));
  return [...volumes]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((v) => ({ name: v.name, driver: v.driver, size: humanSize(v.size), usedBy: v.containers.map((id) => names.get(id) ?? id.slice(0, 12)) }));
}
