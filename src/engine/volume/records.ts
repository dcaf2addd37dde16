// Docker's local volumes: the record the daemon keeps per volume, where its data lives, the
// Engine API view of it and moby's error texts (volume/service/errors.go, volume/local).
// Data lives where Docker keeps it, /var/lib/docker/volumes/NAME/_data, on the Docker host's disk
// (host-disk.ts): the guest shell, containers and the engine (through guest commands) see one tree.
import { DaemonError } from '../container/state.ts';
import { VOLUMES_ROOT } from '../host-disk.ts';

export const LOCAL_DRIVER = 'local';
/** moby's label on volumes created without a name (what `volume prune` removes without -a). */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

/** Persisted per volume (`volumes/NAME`), with the Engine API's field names. */
export interface VolumeRecord {
  Name: string;
  Driver: string;
  /** null when created implicitly by a container (`-v name:/p`), {} from `docker volume create`. */
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
  Scope: 'local';
  /** RFC 3339 in seconds, as moby formats it. */
  CreatedAt: string;
  /** Created without a name (image VOLUME, `-v /path`, `--mount type=volume` without source). */
  anonymous: boolean;
}

/** The volume's own directory in the guest (moby's /var/lib/docker/volumes/NAME). */
export const volumeDir = (name: string): string => `${VOLUMES_ROOT}/${name}`;
/** Its data directory: what Docker shows as Mountpoint and mount Source, and what crun binds. */
export const volumeMountpoint = (name: string): string => `${volumeDir(name)}/_data`;
/**
 * SavedTrees key under which earlier versions stored the volume's contents (moved onto the
 * disk at the first boot that finds one).
 */
export const legacyVolumeTreeKey = (name: string): string => `volume/${name}`;

/** Go's time.RFC3339 of a millisecond clock in UTC (no fraction). */
export function rfc3339Seconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** API `volume.Volume` as `docker volume inspect` prints it (field order of the Go struct). */
export function volumeInspect(v: VolumeRecord): Record<string, unknown> {
  return {
    CreatedAt: v.CreatedAt,
    Driver: v.Driver,
    Labels: sortedKeys(v.Labels),
    Mountpoint: volumeMountpoint(v.Name),
    Name: v.Name,
    Options: sortedKeys(v.Options),
    Scope: v.Scope,
  };
}

/** Go marshals maps with their keys sorted. */
function sortedKeys(map: Record<string, string> | null): Record<string, string> | null {
  return map && Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Counted by `docker system df` (moby LocalVolumesSize): local volumes without driver options. */
export function isMeasuredLocally(v: VolumeRecord): boolean {
  return v.Driver === LOCAL_DRIVER && !Object.keys(v.Options ?? {}).length;
}

/** Mounted as a tmpfs rather than bound from the share (`-o type=tmpfs -o device=tmpfs`). */
export function isTmpfsVolume(v: VolumeRecord): boolean {
  return v.Options?.type === 'tmpfs';
}

const NAME_CHARS = '[a-zA-Z0-9][a-zA-Z0-9_.-]';
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const VALID_OPTIONS = ['type', 'o', 'device', 'size'];
const REQUIRED_OPTIONS: Record<string, string[]> = { device: ['type'], type: ['device'], o: ['device', 'type'] };

/** The local driver's checks of a new volume, with moby's "create NAME: …" wording. */
export function checkNewVolume(name: string, driver: string, options: Record<string, string> | null): void {
  const fail = (why: string) => new DaemonError(`create ${name}: ${why}`, 'invalid-parameter');
  if (driver !== LOCAL_DRIVER) throw fail(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
  if (name.length === 1) throw fail('volume name is too short, names should be at least two alphanumeric characters');
  if (!NAME_PATTERN.test(name)) {
    throw fail(`"${name}" includes invalid characters for a local volume name, only "${NAME_CHARS}" are allowed. If you intended to pass a host directory, use absolute path`);
  }
  const keys = Object.keys(options ?? {}).sort();
  const unknown = keys.find((k) => !VALID_OPTIONS.includes(k));
  if (unknown !== undefined) throw fail(`invalid option: "${unknown}"`);
  // The guest kernel has no project quotas.
  if (options?.size !== undefined && options.size !== '0') throw fail('quota size requested but no quota support');
  for (const key of keys) {
    const missing = REQUIRED_OPTIONS[key]?.find((r) => !(r in options!));
    if (missing) throw fail(`missing required option: "${missing}"`);
  }
}

export function noSuchVolume(name: string): DaemonError {
  return new DaemonError(`get ${name}: no such volume`, 'not-found');
}

export function volumeInUse(name: string, containerIds: readonly string[]): DaemonError {
  return new DaemonError(`remove ${name}: volume is in use - [${containerIds.join(', ')}]`, 'conflict');
}
