// docker/go-units as the CLI prints sizes and ages, and moby's container status line.
import { formatFloat } from './go-float.ts';

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function scaled(size: number, base: number, units: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]!];
}

/** units.HumanSizeWithPrecision: "%.{precision}g" of decimal units ("4.26MB", "1.07kB", "0B"). */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  const [n, unit] = scaled(bytes, 1000, DECIMAL);
  return formatFloat(n, 'g', precision) + unit;
}

/** units.HumanSize: four significant digits. */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}

/** units.BytesSize: binary units, four significant digits ("1.5MiB"). */
export function bytesSize(bytes: number): string {
  const [n, unit] = scaled(bytes, 1024, BINARY);
  return formatFloat(n, 'g', 4) + unit;
}

/** units.HumanDuration of a duration in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** "2 minutes ago" for a unix time in seconds, as `docker ps`/`images`/`history` print CREATED. */
export function humanAgo(unixSeconds: number, now: Date): string {
  return `${humanDuration(now.getTime() - unixSeconds * 1000)} ago`;
}

export interface ContainerStateFacts {
  running: boolean;
  paused?: boolean;
  restarting?: boolean;
  removalInProgress?: boolean;
  dead?: boolean;
  exitCode: number;
  /** ISO time or Date; Go's zero time ("0001-01-01T00:00:00Z") counts as never. */
  startedAt?: string | Date | null;
  finishedAt?: string | Date | null;
  /** "starting" | "healthy" | "unhealthy" when the container has a healthcheck. */
  health?: string | null;
}

function instant(t: string | Date | null | undefined): Date | null {
  if (!t) return null;
  const d = typeof t === 'string' ? new Date(t) : t;
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1 ? null : d;
}

/** moby's State.String(): the STATUS column ("Up 2 minutes (Paused)", "Exited (0) 3 seconds ago"). */
export function containerStatusText(state: ContainerStateFacts, now: Date): string {
  const since = (d: Date | null) => humanDuration(now.getTime() - (d?.getTime() ?? 0));
  const started = instant(state.startedAt);
  const finished = instant(state.finishedAt);
  if (state.running) {
    if (state.paused) return `Up ${since(started)} (Paused)`;
    if (state.restarting) return `Restarting (${state.exitCode}) ${since(finished)} ago`;
    if (state.health) return `Up ${since(started)} (${state.health === 'starting' ? 'health: starting' : state.health})`;
    return `Up ${since(started)}`;
  }
  if (state.removalInProgress) return 'Removal In Progress';
  if (state.dead) return 'Dead';
  if (!started) return 'Created';
  if (!finished) return '';
  return `Exited (${state.exitCode}) ${since(finished)} ago`;
}

/** Go's time.Time.String() for a unix time, in UTC: "2026-11-22 13:00:00 +0000 UTC". */
export function goTimeString(unixSeconds: number): string {
  const iso = new Date(unixSeconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}
