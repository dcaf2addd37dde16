// The Engine API (v1.50, Docker 28.2, overlay2 graph driver) views of stored images: what
// GET /images/json, /images/{name}/json and /images/{name}/history return. Objects are built in
// Docker's field order, so JSON.stringify matches the daemon byte for byte.
import type { ContainerConfig, Digest } from '../oci.ts';
import { familiarString, parseImageReference } from '../../../lib/reference.ts';
import type { ImageRecord } from './records.ts';

export interface ImageSummary {
  Containers: number;
  Created: number;
  Id: string;
  Labels: Record<string, string> | null;
  ParentId: string;
  RepoDigests: string[];
  RepoTags: string[];
  SharedSize: number;
  Size: number;
}

/** `dockerspec.DockerOCIImageConfig`: the OCI image config fields, each omitted when empty. */
export type InspectConfig = Partial<ContainerConfig> & { ArgsEscaped?: boolean; Healthcheck?: unknown; OnBuild?: string[]; Shell?: string[] };

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created?: string;
  DockerVersion: string;
  Author: string;
  Config: InspectConfig;
  Architecture: string;
  Variant?: string;
  Os: string;
  Size: number;
  GraphDriver: { Data: Record<string, string>; Name: 'overlay2' };
  RootFS: { Type: string; Layers: string[] };
  Metadata: { LastTagTime: string };
}

export interface HistoryResponseItem {
  Comment: string;
  Created: number;
  CreatedBy: string;
  Id: string;
  Size: number;
  Tags: string[] | null;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const CONFIG_FIELDS = ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal', 'ArgsEscaped', 'Healthcheck', 'OnBuild', 'Shell'] as const;

/** Go's `time.RFC3339Nano` output for an RFC 3339 input: fraction without trailing zeros, `Z` for UTC. */
export function formatRfc3339Nano(time: string | undefined): string | undefined {
  if (time === undefined) return undefined;
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(time);
  if (!match) return time;
  const fraction = (match[2] ?? '').slice(0, 9).replace(/0+$/, '');
  const zone = match[3]!.toUpperCase() === 'Z' || match[3] === '+00:00' || match[3] === '-00:00' ? 'Z' : match[3]!;
  return `${match[1]}${fraction ? `.${fraction}` : ''}${zone}`;
}

/** Unix seconds, as Go's `Time.Unix()` (0 when unknown). */
export function unixSeconds(time: string | undefined): number {
  const ms = time === undefined ? NaN : Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** Splits an image's references into Docker's RepoTags and RepoDigests (familiar, sorted). */
export function repoTagsAndDigests(canonicalRefs: readonly string[]): { tags: string[]; digests: string[] } {
  const tags: string[] = [];
  const digests: string[] = [];
  // The reference store sorts by canonical string.
  for (const canonical of [...canonicalRefs].sort()) {
    const ref = parseImageReference(canonical);
    (ref.digest !== undefined ? digests : tags).push(familiarString(ref));
  }
  return { tags, digests };
}

export function imageSummary(image: ImageRecord, canonicalRefs: readonly string[]): ImageSummary {
  const { tags, digests } = repoTagsAndDigests(canonicalRefs);
  return {
    Containers: -1,
    Created: unixSeconds(image.config.created),
    Id: image.id,
    Labels: image.config.config?.Labels ?? null,
    ParentId: image.parent ?? '',
    RepoDigests: digests,
    RepoTags: tags,
    SharedSize: -1,
    Size: image.size,
  };
}

function overlayDir(chainId: Digest, leaf: string): string {
  return `/var/lib/docker/overlay2/${chainId.slice(7)}/${leaf}`;
}

/** overlay2's metadata for an image's top layer (cache IDs are chain IDs here, random in Docker). */
function graphDriverData(image: ImageRecord): Record<string, string> {
  const layers = image.layers;
  const top = layers[layers.length - 1];
  if (!top) return {};
  const data: Record<string, string> = {};
  if (layers.length > 1) {
    data.LowerDir = layers
      .slice(0, -1)
      .reverse()
      .map((l) => overlayDir(l.chainId, 'diff'))
      .join(':');
  }
  data.MergedDir = overlayDir(top.chainId, 'merged');
  data.UpperDir = overlayDir(top.chainId, 'diff');
  data.WorkDir = overlayDir(top.chainId, 'work');
  return data;
}

export function imageInspect(image: ImageRecord, canonicalRefs: readonly string[]): ImageInspect {
  const { tags, digests } = repoTagsAndDigests(canonicalRefs);
  const config: InspectConfig = {};
  const source = (image.config.config ?? {}) as Record<string, unknown>;
  for (const field of CONFIG_FIELDS) {
    if (!isEmpty(source[field])) (config as Record<string, unknown>)[field] = source[field];
  }
  const history = image.config.history ?? [];
  // Docker-only top-level config fields the OCI type leaves out.
  const extra = image.config as { author?: string; comment?: string; docker_version?: string };
  const created = formatRfc3339Nano(image.config.created);
  return {
    Id: image.id,
    RepoTags: tags,
    RepoDigests: digests,
    Parent: image.parent ?? '',
    Comment: extra.comment || (history[history.length - 1]?.comment ?? ''),
    ...(created !== undefined && { Created: created }),
    DockerVersion: extra.docker_version ?? '',
    Author: extra.author ?? '',
    Config: config,
    Architecture: image.config.architecture,
    ...(image.config.variant && { Variant: image.config.variant }),
    Os: image.config.os,
    Size: image.size,
    GraphDriver: { Data: graphDriverData(image), Name: 'overlay2' },
    RootFS: { Type: 'layers', Layers: image.layers.map((l) => l.diffId) },
    Metadata: { LastTagTime: formatRfc3339Nano(image.lastTagTime) ?? ZERO_TIME },
  };
}

/** Newest first; the top entry carries the image ID and tags, the rest are `<missing>`. */
export function imageHistory(image: ImageRecord, canonicalRefs: readonly string[]): HistoryResponseItem[] {
  const { tags } = repoTagsAndDigests(canonicalRefs);
  const items: HistoryResponseItem[] = [];
  let layer = 0;
  for (const entry of image.config.history ?? []) {
    const size = entry.empty_layer ? 0 : (image.layers[layer++]?.diffSize ?? 0);
    items.unshift({
      Comment: entry.comment ?? '',
      Created: unixSeconds(entry.created),
      CreatedBy: entry.created_by ?? '',
      Id: '<missing>',
      Size: size,
      Tags: null,
    });
  }
  const top = items[0];
  if (top) {
    top.Id = image.id;
    top.Tags = tags.length > 0 ? tags : null;
  }
  return items;
}
