// A container as the daemon keeps it: Docker's inspect fields that are state, plus the engine's
// own network assignment. Persisted as one JSON value per container (`containers/<id>`).
import type { Config, HostConfig } from './options-types.ts';
import type { ContainerState } from './state.ts';
import type { MountPoint } from '../volume/mount-points.ts';

export interface NetworkAssignment {
  network: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  macAddress: string;
  /** The pinned network namespace in the guest (/run/netns/NAME). */
  namespace?: string;
}

export interface ContainerRecord {
  Id: string;
  /** RFC 3339 with nanoseconds, as Docker prints it. */
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  /** Image ID (`sha256:…`). */
  Image: string;
  /** With Docker's leading slash. */
  Name: string;
  RestartCount: number;
  Config: Config;
  HostConfig: HostConfig;
  network: NetworkAssignment | null;
  /** The create request's endpoint settings on its network: `--network-alias`, `--ip`. */
  endpoint?: { aliases: string[]; ipv4?: string };
  /** Published ports as bound while running (host ports resolved): NetworkSettings.Ports. */
  ports?: Record<string, { HostIp: string; HostPort: string }[]>;
  /** Blobs of filesystem changes stored by versions before the disk, oldest first (legacy-diffs.ts). */
  diffs?: string[];
  /** Its writable layer was made on the Docker host's disk (at its first start or mount). */
  layer?: true;
  /** Volumes, binds and --mount tmpfs, decided at create (binds.ts registerMounts); unset until then. */
  mountPoints?: MountPoint[];
}

/** Go's time.RFC3339Nano for a millisecond clock: trailing zeros of the fraction dropped. */
export function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z');
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export function displayName(record: ContainerRecord): string {
  return record.Name.replace(/^\//, '');
}

/** The attributes of a container's events: its labels, image and name (moby's). */
export function eventAttributes(record: ContainerRecord): Record<string, string> {
  return { ...(record.Config.Labels ?? {}), image: record.Config.Image, name: displayName(record) };
}
