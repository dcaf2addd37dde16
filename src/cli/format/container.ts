// `docker ps` / `docker container ls` rows from Engine API ContainerSummary objects.
import { ellipsis, headerContext, rowContext, truncateID, DEFAULT_QUIET_FORMAT, RAW_FORMAT_KEY, TABLE_FORMAT_KEY, renderFormat } from './formatter.ts';
import { goQuote } from './template/gofmt.ts';
import { parseTemplate } from './template.ts';
import { goFunc } from './template/values.ts';
import { familiarName, parseNormalizedNamed } from './reference.ts';
import { goTimeString, humanAgo, humanSizeWithPrecision } from '../../lib/units.ts';

export interface ContainerPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

export interface ContainerMount {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination?: string;
  Driver?: string;
}

/** The fields of API v1.50 ContainerSummary the formatters read. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Unix seconds. */
  Created: number;
  Ports: ContainerPort[];
  SizeRw?: number;
  SizeRootFs?: number;
  Labels: Record<string, string> | null;
  State: string;
  Status: string;
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: { Networks?: Record<string, unknown> } | null;
  Mounts: ContainerMount[];
  ImageManifestDescriptor?: { platform?: { architecture: string; os: string; variant?: string } } | null;
}

export const DEFAULT_CONTAINER_TABLE_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

const HEADER = {
  ID: 'CONTAINER ID', Names: 'NAMES', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED',
  Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Labels: 'LABELS', Mounts: 'MOUNTS',
  LocalVolumes: 'LOCAL VOLUMES', Networks: 'NETWORKS', Platform: 'PLATFORM',
};

/** formatter.NewContainerFormat. */
export function containerFormat(source: string, quiet: boolean, size: boolean): string {
  if (source === TABLE_FORMAT_KEY || source === '') {
    if (quiet) return DEFAULT_QUIET_FORMAT;
    return DEFAULT_CONTAINER_TABLE_FORMAT + (size ? '\\t{{.Size}}' : '');
  }
  if (source === RAW_FORMAT_KEY) {
    if (quiet) return 'container_id: {{.ID}}';
    let f = 'container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n';
    if (size) f += 'size: {{.Size}}\\n';
    return f;
  }
  return quiet ? DEFAULT_QUIET_FORMAT : source;
}

const joinHostPort = (host: string, port: string) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** formatter.DisplayablePorts: "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp", ranges collapsed. */
export function displayablePorts(ports: readonly ContainerPort[]): string {
  const sorted = [...ports].sort((a, b) =>
    a.PrivatePort !== b.PrivatePort ? a.PrivatePort - b.PrivatePort
      : (a.IP ?? '') !== (b.IP ?? '') ? ((a.IP ?? '') < (b.IP ?? '') ? -1 : 1)
        : (a.PublicPort ?? 0) !== (b.PublicPort ?? 0) ? (a.PublicPort ?? 0) - (b.PublicPort ?? 0)
          : a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0);
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  const formGroup = (key: string, first: number, last: number) => {
    const [a, b] = key.split('/') as [string, string | undefined];
    const ip = b === undefined ? '' : a;
    const type = b === undefined ? a : b;
    let group = first === last ? String(first) : `${first}-${last}`;
    if (ip) group = `${joinHostPort(ip, group)}->${group}`;
    return `${group}/${type}`;
  };
  for (const p of sorted) {
    const current = p.PrivatePort;
    let key = p.Type;
    if (p.IP) {
      if ((p.PublicPort ?? 0) !== current) {
        hostMappings.push(`${joinHostPort(p.IP, String(p.PublicPort ?? 0))}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      key = `${p.IP}/${p.Type}`;
    }
    const g = groups.get(key);
    if (!g) groups.set(key, { first: current, last: current });
    else if (current === g.last + 1) g.last = current;
    else {
      // Docker emits the finished range now and keeps the key's original position for the new one.
      result.push(formGroup(key, g.first, g.last));
      groups.set(key, { first: current, last: current });
    }
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...hostMappings].join(', ');
}

function imageColumn(c: ContainerSummary, trunc: boolean): string {
  if (!c.Image) return '<no image>';
  if (trunc) {
    const short = truncateID(c.ImageID);
    if (short === truncateID(c.Image)) return short;
    const ref = parseNormalizedNamed(c.Image);
    if (ref) return ref.tag !== undefined ? `${familiarName(ref)}:${ref.tag}` : familiarName(ref);
  }
  return c.Image;
}

function namesColumn(c: ContainerSummary, trunc: boolean): string {
  let names = c.Names.map((n) => n.slice(1));
  if (trunc) {
    // Legacy links add "other/alias" names; a truncated listing shows the container's own.
    const own = names.find((n) => n.split('/').length === 1);
    if (own !== undefined) names = [own];
  }
  return names.join(',');
}

const sortedLabels = (labels: Record<string, string> | null) =>
  labels ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).sort().join(',') : '';

/** One ContainerContext row (type *formatter.ContainerContext in template errors). */
export function containerContext(c: ContainerSummary, opts: { trunc: boolean; now: Date; onSize?: () => void }): object {
  return rowContext('*formatter.ContainerContext', {
    Command: () => goQuote(opts.trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: () => goTimeString(c.Created),
    ID: () => (opts.trunc ? truncateID(c.Id) : c.Id),
    Image: () => imageColumn(c, opts.trunc),
    Labels: () => sortedLabels(c.Labels),
    LocalVolumes: () => String(c.Mounts.filter((m) => m.Driver === 'local').length),
    Mounts: () => c.Mounts.map((m) => (opts.trunc ? ellipsis(m.Name || m.Source || '', 15) : m.Name || m.Source || '')).join(','),
    Names: () => namesColumn(c, opts.trunc),
    // Go ranges over a map here (random order); sorted keeps the output stable.
    Networks: () => Object.keys(c.NetworkSettings?.Networks ?? {}).sort().join(','),
    Platform: () => c.ImageManifestDescriptor?.platform ?? null,
    Ports: () => displayablePorts(c.Ports),
    RunningFor: () => humanAgo(c.Created, opts.now),
    Size: () => {
      opts.onSize?.();
      const rw = humanSizeWithPrecision(c.SizeRw ?? 0, 3);
      return (c.SizeRootFs ?? 0) > 0 ? `${rw} (virtual ${humanSizeWithPrecision(c.SizeRootFs!, 3)})` : rw;
    },
    State: () => c.State,
    Status: () => c.Status,
  }, {
    Label: goFunc(['string'], (name: string) => c.Labels?.[name] ?? ''),
  });
}

const EMPTY: ContainerSummary = { Id: '', Names: [], Image: '', ImageID: '', Command: '', Created: 0, Ports: [], Labels: null, State: '', Status: '', Mounts: [] };

/** Whether a --format uses .Size, in which case `docker ps` asks the daemon for sizes. */
export function containerFormatUsesSize(format: string, now: Date): boolean {
  let used = false;
  try {
    parseTemplate(format).execute(containerContext(EMPTY, { trunc: true, now, onSize: () => (used = true) }));
  } catch {
    return used;
  }
  return used;
}



export interface ContainerListOptions {
  /** --format as given ("" = default table). */
  format: string;
  quiet: boolean;
  size: boolean;
  noTrunc: boolean;
  now: Date;
}

/** stdout of `docker ps` for these containers. Throws FormatError for a bad --format. */
export function formatContainers(containers: readonly ContainerSummary[], o: ContainerListOptions): string {
  const format = containerFormat(o.format, o.quiet, o.size);
  const rows = containers.map((c) => containerContext(c, { trunc: !o.noTrunc, now: o.now }));
  return renderFormat(format, headerContext(HEADER), rows);
}

/** An empty row for `docker ps`'s up-front template check (checkFormatFor). */
export function emptyContainerContext(now: Date): object {
  return containerContext(EMPTY, { trunc: true, now });
}
