// `docker volume ls` and `docker network ls` rows.
import { DEFAULT_QUIET_FORMAT, RAW_FORMAT_KEY, TABLE_FORMAT_KEY, headerContext, renderFormat, rowContext, truncateID } from './formatter.ts';
import { goFunc } from './template/values.ts';
import { humanSize } from '../../lib/units.ts';

export interface VolumeSummary {
  Name: string;
  Driver: string;
  Mountpoint: string;
  Scope: string;
  Labels: Record<string, string> | null;
  UsageData?: { Size: number; RefCount: number } | null;
}

// Go ranges over label maps (random order); sorted keeps the output stable.
const joinLabels = (labels: Record<string, string> | null | undefined) =>
  labels ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).sort().join(',') : '';

const VOLUME_HEADER = {
  ID: 'ID', Name: 'VOLUME NAME', Group: 'GROUP', Driver: 'DRIVER', Scope: 'SCOPE', Availability: 'AVAILABILITY',
  Mountpoint: 'MOUNTPOINT', Labels: 'LABELS', Links: 'LINKS', Size: 'SIZE', Status: 'STATUS',
};

export function volumeFormat(source: string, quiet: boolean): string {
  if (source === TABLE_FORMAT_KEY) return quiet ? '{{.Name}}' : 'table {{.Driver}}\t{{.Name}}';
  if (source === RAW_FORMAT_KEY) return quiet ? 'name: {{.Name}}' : 'name: {{.Name}}\\ndriver: {{.Driver}}\\n';
  return source;
}

function volumeContext(v: VolumeSummary): object {
  return rowContext('*formatter.volumeContext', {
    Availability: () => 'N/A',
    Driver: () => v.Driver,
    Group: () => 'N/A',
    Labels: () => joinLabels(v.Labels),
    Links: () => (v.UsageData ? String(v.UsageData.RefCount) : 'N/A'),
    Mountpoint: () => v.Mountpoint,
    Name: () => v.Name,
    Scope: () => v.Scope,
    Size: () => (v.UsageData ? humanSize(v.UsageData.Size) : 'N/A'),
    Status: () => 'N/A',
  }, { Label: goFunc(['string'], (k: string) => v.Labels?.[k] ?? '') });
}

export interface ListOptions {
  format: string;
  quiet: boolean;
  noTrunc?: boolean;
}

/** stdout of `docker volume ls`. */
export function formatVolumes(volumes: readonly VolumeSummary[], o: ListOptions): string {
  return renderFormat(volumeFormat(o.format || TABLE_FORMAT_KEY, o.quiet), headerContext(VOLUME_HEADER), volumes.map(volumeContext));
}

export interface NetworkSummary {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  /** RFC 3339 with nanoseconds, as the API sends it. */
  Created: string;
  EnableIPv4?: boolean;
  EnableIPv6: boolean;
  Internal: boolean;
  Labels: Record<string, string> | null;
}

const NETWORK_HEADER = {
  ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv4: 'IPV4', IPv6: 'IPV6', Internal: 'INTERNAL',
  Labels: 'LABELS', CreatedAt: 'CREATED AT',
};

export function networkFormat(source: string, quiet: boolean): string {
  if (source === TABLE_FORMAT_KEY) return quiet ? DEFAULT_QUIET_FORMAT : 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';
  if (source === RAW_FORMAT_KEY) {
    return quiet ? 'network_id: {{.ID}}' : 'network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n';
  }
  return source;
}

/** Go's time.Time.String() of an RFC 3339 instant in UTC, fraction without trailing zeros. */
export function goTimeStringISO(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) return iso;
  const d = new Date(`${m[1]}T${m[2]}${m[4]}`);
  const utc = d.toISOString();
  const frac = (m[3] ?? '').replace(/0+$/, '');
  return `${utc.slice(0, 10)} ${utc.slice(11, 19)}${frac ? '.' + frac : ''} +0000 UTC`;
}

function networkContext(n: NetworkSummary, trunc: boolean): object {
  return rowContext('*network.networkContext', {
    CreatedAt: () => goTimeStringISO(n.Created),
    Driver: () => n.Driver,
    ID: () => (trunc ? truncateID(n.Id) : n.Id),
    IPv4: () => String(n.EnableIPv4 ?? false),
    IPv6: () => String(n.EnableIPv6),
    Internal: () => String(n.Internal),
    Labels: () => joinLabels(n.Labels),
    Name: () => n.Name,
    Scope: () => n.Scope,
  }, { Label: goFunc(['string'], (k: string) => n.Labels?.[k] ?? '') });
}

/** stdout of `docker network ls`. */
export function formatNetworks(networks: readonly NetworkSummary[], o: ListOptions): string {
  const rows = networks.map((n) => networkContext(n, !o.noTrunc));
  return renderFormat(networkFormat(o.format || TABLE_FORMAT_KEY, o.quiet), headerContext(NETWORK_HEADER), rows);
}
