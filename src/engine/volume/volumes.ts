// The volume store (moby volume/service): local volumes by name, persisted as records in the
// metadata store, their data in /var/lib/docker/volumes/NAME/_data on the Docker host's disk,
// referenced by the containers whose mount points name them. Emits Docker's volume events:
// create, mount, unmount, destroy, prune. The engine reaches the data through guest commands.
import type { MetaStore } from '../../protocol/store.ts';
import type { ContainerRecord } from '../container/record.ts';
import type { ImageRootfs } from '../container/launch.ts';
import type { EventBus } from '../events.ts';
import type { SavedTrees } from '../share/saved-trees.ts';
import { imageDirectory } from './copy-up.ts';
import { listPredicate, prunePredicate, type FilterArgs } from './filters.ts';
import { volumeNamesOf, type MountPoint } from './mount-points.ts';
import {
  ANONYMOUS_LABEL,
  checkNewVolume,
  isMeasuredLocally,
  isTmpfsVolume,
  legacyVolumeTreeKey,
  LOCAL_DRIVER,
  noSuchVolume,
  rfc3339Seconds,
  volumeDir,
  volumeInUse,
  volumeMountpoint,
  type VolumeRecord,
} from './records.ts';

const KEY = (name: string) => `volumes/${name}`;
/** Where a legacy saved tree is unpacked in the share before it is copied onto the disk. */
const LEGACY_SHARE_ROOT = '/legacy-volume';

export interface GuestRunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface VolumeServiceDeps {
  meta: MetaStore;
  events: EventBus;
  now(): number;
  random(): number;
  /** Every container: a volume is in use while a container (in any state) names it. */
  containers(): readonly ContainerRecord[];
  /** Runs a guest command (the data lives in the guest). */
  guestRun(argv: string[]): Promise<GuestRunResult>;
  /** Contents stored by earlier versions, moved onto the disk by open(); absent in tests. */
  legacy?: Pick<SavedTrees, 'restore' | 'forget'> & { shareInGuest(root: string): string };
}

export interface CreateVolumeRequest {
  /** '' or absent: an anonymous volume with a random 64-hex name. */
  name?: string;
  driver?: string;
  labels?: Record<string, string> | null;
  options?: Record<string, string> | null;
}

/** What the page's volumes panel shows per volume. */
export interface VolumeUsage {
  name: string;
  driver: string;
  /** Bytes of the files in the volume (hard links counted once). */
  size: number;
  /** IDs of the containers using it, oldest first. */
  containers: string[];
}

export class VolumeService {
  readonly #d: VolumeServiceDeps;
  readonly #byName = new Map<string, VolumeRecord>();

  constructor(deps: VolumeServiceDeps) {
    this.#d = deps;
  }

  /** Loads the records (boot); contents saved by earlier versions move onto the disk. */
  async open(): Promise<void> {
    for (const [, record] of await this.#d.meta.list<VolumeRecord>('volumes/')) this.#byName.set(record.Name, record);
    for (const v of this.#byName.values()) await this.#migrate(v);
  }

  /** Every volume, by name. */
  all(): VolumeRecord[] {
    return [...this.#byName.values()].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  }

  find(name: string): VolumeRecord | undefined {
    return this.#byName.get(name);
  }

  get(name: string): VolumeRecord {
    const v = this.#byName.get(name);
    if (!v) throw noSuchVolume(name);
    return v;
  }

  /** IDs of the containers referencing the volume, oldest first. */
  references(name: string, except?: string): string[] {
    return this.#d
      .containers()
      .filter((c) => c.Id !== except && volumeNamesOf(c).includes(name))
      .sort((a, b) => (a.Created < b.Created ? -1 : a.Created > b.Created ? 1 : 0))
      .map((c) => c.Id);
  }

  list(filters: FilterArgs = new Map()): VolumeRecord[] {
    const keep = listPredicate(filters);
    return this.all().filter((v) => keep(v, this.references(v.Name).length > 0));
  }

  /** Creates the volume, or returns the existing one of that name (as moby does, no event then). */
  async create(req: CreateVolumeRequest = {}): Promise<VolumeRecord> {
    const driver = req.driver || LOCAL_DRIVER;
    const anonymous = !req.name;
    const name = req.name || this.#randomName();
    const existing = this.#byName.get(name);
    if (existing) return existing;
    const options = req.options ?? null;
    checkNewVolume(name, driver, options);
    const record: VolumeRecord = {
      Name: name,
      Driver: driver,
      Labels: anonymous ? { ...(req.labels ?? {}), [ANONYMOUS_LABEL]: '' } : (req.labels ?? null),
      Options: options,
      Scope: 'local',
      CreatedAt: rfc3339Seconds(this.#d.now()),
      anonymous,
    };
    // moby creates the data directory with the volume: the guest shell can use it at once.
    if (!isTmpfsVolume(record)) await this.#sh('mkdir -p "$1"', volumeMountpoint(name));
    this.#byName.set(name, record);
    await this.#d.meta.commit({ put: [[KEY(name), record]] });
    this.#d.events.emit('volume', 'create', name, { driver });
    return record;
  }

  /**
   * `docker volume rm`: refused while a container references the volume; `force` only makes a
   * missing volume fine. `except` is a container being removed (its reference goes first).
   */
  async remove(name: string, options: { force?: boolean; except?: string } = {}): Promise<void> {
    const v = this.#byName.get(name);
    if (!v) {
      if (options.force) return;
      throw noSuchVolume(name);
    }
    const refs = this.references(name, options.except);
    if (refs.length) throw volumeInUse(name, refs);
    this.#byName.delete(name);
    await this.#d.meta.commit({ delete: [KEY(name)] });
    await this.#sh('rm -rf "$1"', volumeDir(name)).catch(() => undefined);
    this.#d.events.emit('volume', 'destroy', name, { driver: v.Driver });
  }

  /** `docker volume prune`: unused volumes (anonymous ones unless the filter says all=true). */
  async prune(filters: FilterArgs = new Map()): Promise<{ deleted: string[]; reclaimed: number }> {
    const keep = prunePredicate(filters);
    const deleted: string[] = [];
    let reclaimed = 0;
    const candidates = this.all().filter((v) => keep(v, this.references(v.Name).length > 0));
    const sizes = await this.sizes(candidates.map((v) => v.Name));
    for (const v of candidates) {
      const size = sizes.get(v.Name) ?? 0;
      try {
        await this.remove(v.Name);
      } catch {
        continue; // taken into use meanwhile: moby skips it too
      }
      reclaimed += size;
      deleted.push(v.Name);
    }
    this.#d.events.emit('volume', 'prune', '', { reclaimed: String(reclaimed) });
    return { deleted, reclaimed };
  }

  /**
   * Bytes of the files in each volume as the guest has them now (moby's directory.Size: regular
   * files, each inode once), in one guest command.
   */
  async sizes(names: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>(names.map((n) => [n, 0]));
    const measured = names.filter((n) => {
      const v = this.#byName.get(n);
      return v && !isTmpfsVolume(v);
    });
    if (!measured.length) return out;
    const r = await this.#d.guestRun(['/bin/sh', '-c', SIZES_SCRIPT, 'slipway-volume-sizes', ...measured.map(volumeMountpoint)]);
    const seen = new Set<string>();
    let current = '';
    for (const line of r.stdout.split('\n')) {
      if (line.startsWith('>')) {
        current = measured[Number(line.slice(1))] ?? '';
        seen.clear();
        continue;
      }
      const [inode, size] = line.split(' ');
      if (!current || !size || seen.has(inode!)) continue;
      seen.add(inode!);
      out.set(current, (out.get(current) ?? 0) + Number(size));
    }
    return out;
  }

  async usage(): Promise<VolumeUsage[]> {
    const all = this.all();
    const sizes = await this.sizes(all.map((v) => v.Name));
    return all.map((v) => ({ name: v.Name, driver: v.Driver, size: sizes.get(v.Name) ?? 0, containers: this.references(v.Name) }));
  }

  /**
   * `docker system df`'s Local Volumes line (moby LocalVolumesSize): volumes with driver options
   * hold no local data and are left out; reclaimable = unused volumes' bytes.
   */
  async diskUsage(): Promise<{ count: number; active: number; size: number; reclaimable: number }> {
    const out = { count: 0, active: 0, size: 0, reclaimable: 0 };
    const local = this.all().filter(isMeasuredLocally);
    const sizes = await this.sizes(local.map((v) => v.Name));
    for (const v of local) {
      const size = sizes.get(v.Name) ?? 0;
      const used = this.references(v.Name).length > 0;
      out.count++;
      out.size += size;
      if (used) out.active++;
      else out.reclaimable += size;
    }
    return out;
  }

  /** A container started with the volume mounted (moby's "mount" event). */
  mounted(containerId: string, mount: MountPoint): void {
    if (!mount.Name) return;
    this.#d.events.emit('volume', 'mount', mount.Name, {
      driver: mount.Driver ?? LOCAL_DRIVER,
      container: containerId,
      destination: mount.Destination,
      'read/write': String(mount.RW),
      propagation: mount.Propagation,
    });
  }

  /**
   * Docker's copy-up at container create: the image's directory at `destination` (symlinks
   * resolved inside the image), owner and mode included, goes into the volume if the volume is
   * empty. Copied in the guest, from the image's tree in the share onto the disk.
   */
  async populate(name: string, rootfs: ImageRootfs, destination: string): Promise<void> {
    const v = this.get(name);
    const entry = imageDirectory(rootfs, destination);
    if (isTmpfsVolume(v) || !entry) return;
    const source = entry.path ? `${rootfs.lowerDir}/${entry.path}` : rootfs.lowerDir;
    await this.#sh(COPY_UP_SCRIPT, source, volumeMountpoint(name));
  }

  /** A container using the volumes stopped: moby's "unmount" events. */
  unmounted(containerId: string, mounts: readonly MountPoint[]): void {
    for (const m of mounts) {
      if (m.Type !== 'volume' || !m.Name) continue;
      this.#d.events.emit('volume', 'unmount', m.Name, { driver: m.Driver ?? LOCAL_DRIVER, container: containerId });
    }
  }

  /** The guest path to bind for a mount of the volume (its data directory made again if gone). */
  async mountSource(name: string): Promise<string> {
    const path = volumeMountpoint(name);
    await this.#sh('[ -d "$1" ] || mkdir -p "$1"', path);
    return path;
  }

  /** Moves contents stored by an earlier version (a saved tree) onto the disk, then forgets them. */
  async #migrate(v: VolumeRecord): Promise<void> {
    const legacy = this.#d.legacy;
    if (!legacy || isTmpfsVolume(v)) return;
    const root = `${LEGACY_SHARE_ROOT}/${v.Name}`;
    if (!(await legacy.restore(legacyVolumeTreeKey(v.Name), root))) return;
    await this.#sh('mkdir -p "$2" && cp -a "$1/." "$2/"', legacy.shareInGuest(root), volumeMountpoint(v.Name));
    await legacy.forget(legacyVolumeTreeKey(v.Name));
  }

  async #sh(script: string, ...args: string[]): Promise<void> {
    const r = await this.#d.guestRun(['/bin/sh', '-c', script, 'slipway-volume', ...args]);
    if (r.code !== 0) throw new Error(r.stderr.trim() || `volume command exited ${r.code}`);
  }

  #randomName(): string {
    let s = '';
    while (s.length < 64) s += Math.floor(this.#d.random() * 16).toString(16);
    return s;
  }
}

/** Per volume ("$1", "$2", …): a ">N" line, then "INODE SIZE" per regular file. */
const SIZES_SCRIPT = `i=0; for d in "$@"; do echo ">$i"; i=$((i+1)); [ -d "$d" ] && find "$d" -type f -exec stat -c '%i %s' {} + ; done; true`;

/**
 * Copy-up: only into an empty data directory (moby: "the volume is empty"), with the source
 * directory's owner and mode.
 */
const COPY_UP_SCRIPT = `[ -d "$1" ] || exit 0
mkdir -p "$2"
[ -z "$(ls -A "$2")" ] || exit 0
cp -a "$1/." "$2/" && chown "$(stat -c %u:%g "$1")" "$2" && chmod "$(stat -c %a "$1")" "$2"`;
