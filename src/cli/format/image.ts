// `docker images` / `docker image ls` rows from Engine API ImageSummary objects.
import { headerContext, renderFormat, rowContext, truncateID, DEFAULT_QUIET_FORMAT, RAW_FORMAT_KEY, TABLE_FORMAT_KEY, isTableFormat } from './formatter.ts';
import { familiarName, parseNormalizedNamed } from './reference.ts';
import { goTimeString, humanAgo, humanSize, humanSizeWithPrecision } from '../../lib/units.ts';

/** The fields of API v1.50 ImageSummary the formatters read. */
export interface ImageSummary {
  Id: string;
  ParentId?: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  /** Unix seconds. */
  Created: number;
  Size: number;
  /** -1 when not computed. */
  SharedSize?: number;
  Labels?: Record<string, string> | null;
  /** -1 when not computed. */
  Containers?: number;
}

const TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';
const TABLE_DIGEST = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';

const HEADER = {
  ID: 'IMAGE ID', Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT',
  Size: 'SIZE', Containers: 'CONTAINERS', VirtualSize: 'SIZE', SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE',
};

/** formatter.NewImageFormat. */
export function imageFormat(source: string, quiet: boolean, digests: boolean): string {
  if (source === TABLE_FORMAT_KEY) return quiet ? DEFAULT_QUIET_FORMAT : digests ? TABLE_DIGEST : TABLE;
  if (source === RAW_FORMAT_KEY) {
    if (quiet) return 'image_id: {{.ID}}';
    return `repository: {{ .Repository }}\ntag: {{.Tag}}\n${digests ? 'digest: {{.Digest}}\n' : ''}image_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n`;
  }
  if (isTableFormat(source) && digests && !source.includes('{{.Digest}}')) return source + '\t{{.Digest}}';
  return source;
}

interface ImageRow {
  image: ImageSummary;
  repo: string;
  tag: string;
  digest: string;
}

function isDangling(i: ImageSummary): boolean {
  const tags = i.RepoTags ?? [];
  const digests = i.RepoDigests ?? [];
  if (tags.length === 0 && digests.length === 0) return true;
  return tags.length === 1 && tags[0] === '<none>:<none>' && digests.length === 1 && digests[0] === '<none>@<none>';
}

/** One row per repository:tag (and per digest with --digests), as docker/cli expands them. */
function expand(i: ImageSummary, showDigests: boolean, needDigest: boolean): ImageRow[] {
  if (isDangling(i)) return [{ image: i, repo: '<none>', tag: '<none>', digest: '<none>' }];
  // Go keeps these in maps (random order); first-seen order keeps the output stable.
  const repoTags = new Map<string, string[]>();
  const repoDigests = new Map<string, string[]>();
  for (const s of i.RepoTags ?? []) {
    const ref = parseNormalizedNamed(s);
    if (ref?.tag !== undefined) repoTags.set(familiarName(ref), [...(repoTags.get(familiarName(ref)) ?? []), ref.tag]);
  }
  for (const s of i.RepoDigests ?? []) {
    const ref = parseNormalizedNamed(s);
    if (ref?.digest !== undefined) repoDigests.set(familiarName(ref), [...(repoDigests.get(familiarName(ref)) ?? []), ref.digest]);
  }
  const rows: ImageRow[] = [];
  for (const [repo, tags] of repoTags) {
    const digests = needDigest ? repoDigests.get(repo) ?? [] : [];
    repoDigests.delete(repo);
    for (const tag of tags) {
      if (digests.length === 0) rows.push({ image: i, repo, tag, digest: '<none>' });
      else for (const digest of digests) rows.push({ image: i, repo, tag, digest });
    }
  }
  for (const [repo, digests] of repoDigests) {
    if (showDigests) for (const digest of digests) rows.push({ image: i, repo, tag: '<none>', digest });
    else rows.push({ image: i, repo, tag: '<none>', digest: '' });
  }
  return rows;
}

function imageContext(r: ImageRow, trunc: boolean, now: Date): object {
  const i = r.image;
  const shared = i.SharedSize ?? -1;
  return rowContext('*formatter.imageContext', {
    Containers: () => ((i.Containers ?? -1) === -1 ? 'N/A' : String(i.Containers)),
    CreatedAt: () => goTimeString(i.Created),
    CreatedSince: () => humanAgo(i.Created, now),
    Digest: () => r.digest,
    ID: () => (trunc ? truncateID(i.Id) : i.Id),
    Repository: () => r.repo,
    SharedSize: () => (shared === -1 ? 'N/A' : humanSize(shared)),
    Size: () => humanSizeWithPrecision(i.Size, 3),
    Tag: () => r.tag,
    UniqueSize: () => (i.Size === -1 || shared === -1 ? 'N/A' : humanSize(i.Size - shared)),
    VirtualSize: () => humanSize(i.Size),
  });
}

export interface ImageListOptions {
  /** --format as given ("" = default table). */
  format: string;
  quiet: boolean;
  digests: boolean;
  noTrunc: boolean;
  now: Date;
}

/** stdout of `docker images`. Throws FormatError for a bad --format. */
export function formatImages(images: readonly ImageSummary[], o: ImageListOptions): string {
  const format = imageFormat(o.format || TABLE_FORMAT_KEY, o.quiet, o.digests);
  const needDigest = o.digests || format.includes('{{.Digest}}');
  const rows = images.flatMap((i) => expand(i, o.digests, needDigest)).map((r) => imageContext(r, !o.noTrunc, o.now));
  return renderFormat(format, headerContext(HEADER), rows);
}
