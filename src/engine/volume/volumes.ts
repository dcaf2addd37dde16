// The volume store (moby volume/service): local volumes by name, persisted as records in the
// metadata store and as saved trees of their data (SavedTrees), referenced by the containers whose
// mount points name them. Emits Docker's volume events: create, mount, unmount, destroy, prune.
import { GUEST_SHARE_PATH, type GuestFiles, type TreeEntry } from '../../protocol/guest/port.ts';
import type { MetaStore } from '../../protocol/store.ts';
import type { ContainerRecord } from '../container/record.ts';
import type { ImageRootfs } from '../container/launch.ts';
import type { EventBus } from '../events.ts';
import type { SavedTrees } from '../share/saved-trees.ts';
import { copyImageContent, imageDirectory, isEmptyTree } from './copy-up.ts';
import { listPredicate, prunePredicate, type FilterArgs } from './filters.ts';
import { volumeNamesOf, type MountPoint } from './mount-points.ts';
import {
  ANONYMOUS_LABEL,
  checkNewVolume,
  isMeasuredLocally,
  isTmpfsVolume,
  LOCAL_DRIVER,
  noSuchVolume,
  rfc3339Seconds,
  volumeDataRoot,
  volumeGuestPath,
  volumeInUse,
  volumeShareDir,
  volumeTreeKey,
  type VolumeRecord,
} from './records.ts';

const KEY = (name: string) => `volumes/${name}`;

export interface VolumeServiceDeps {
  meta: MetaStore;
  files: GuestFiles;
  events: EventBus;
  /** Where volume contents outlive the guest; absent in tests that do not care. */
  saved?: Pick<SavedTrees, 'restore' | 'save' | 'saveAll' | 'forget'>;
  now(): number;
  random(): number;
  /** Every container: a volume is in use while a container (in any state) names it. */
  containers(): readonly ContainerRecord[];
  /**
   * Runs a guest command. Directories the guest has looked at are deleted in the guest: with
   * cache=loose it keeps its cached entries of a directory the host deleted (a volume created
   * again under the same name would show the old files).
   */
  guestRun?(argv: string[]): Promise<{ code: number }>;
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
  /** In-flight saves by volume: removal waits for them, so no save outlives its volume. */
  /** Volumes the guest may have written in this boot (only these need saving). */
  readonly #touched = new Set<string>();

  constructor(deps: VolumeServiceDeps) {
    this.#d = deps;
  }

  /** Loads the records and writes every volume's saved contents back into the share (boot). */
  async open(): Promise<void> {
    for (const [, record] of await this.#d.meta.list<VolumeRecord>('volumes/')) this.#byName.set(record.Name, record);
    for (const v of this.#byName.values()) {
      if (!isTmpfsVolume(v)) await this.#d.saved?.restore(volumeTreeKey(v.Name), volumeDataRoot(v.Name));
    }
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
    // The data directory appears at the first mount (or copy-up), so a copy-up never replaces it.
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
    const dir = volumeShareDir(name);
    this.#touched.delete(name);
    if (this.#d.files.exists(dir)) await this.#d.guestRun?.(['rm', '-rf', `${GUEST_SHARE_PATH}${dir}`]).catch(() => undefined);
    this.#d.files.remove(dir);
    await this.#d.saved?.forget(volumeTreeKey(name));
    this.#d.events.emit('volume', 'destroy', name, { driver: v.Driver });
  }

  /** `docker volume prune`: unused volumes (anonymous ones unless the filter says all=true). */
  async prune(filters: FilterArgs = new Map()): Promise<{ deleted: string[]; reclaimed: number }> {
    const keep = prunePredicate(filters);
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const v of this.all()) {
      if (!keep(v, this.references(v.Name).length > 0)) continue;
      const size = this.size(v.Name);
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

  /** Bytes of the files in the volume as the share holds them now. */
  size(name: string): number {
    return treeSize(this.#d.files.readTree(volumeDataRoot(name)));
  }

  usage(): VolumeUsage[] {
    return this.all().map((v) => ({ name: v.Name, driver: v.Driver, size: this.size(v.Name), containers: this.references(v.Name) }));
  }

  /**
   * `docker system df`'s Local Volumes line (moby LocalVolumesSize): volumes with driver options
   * hold no local data and are left out; reclaimable = unused volumes' bytes.
   */
  diskUsage(): { count: number; active: number; size: number; reclaimable: number } {
    const out = { count: 0, active: 0, size: 0, reclaimable: 0 };
    for (const v of this.all()) {
      if (!isMeasuredLocally(v)) continue;
      const size = this.size(v.Name);
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
    this.#touched.add(mount.Name);
    this.#d.events.emit('volume', 'mount', mount.Name, {
      driver: mount.Driver ?? LOCAL_DRIVER,
      container: containerId,
      destination: mount.Destination,
      'read/write': String(mount.RW),
      propagation: mount.Propagation,
    });
  }

  /**
   * Docker's copy-up at container create: the image's directory at `destination` goes into the
   * volume if the volume is empty (and the directory exists in the image).
   */
  async populate(name: string, rootfs: ImageRootfs, destination: string): Promise<void> {
    const v = this.get(name);
    const root = volumeDataRoot(name);
    if (isTmpfsVolume(v) || !isEmptyTree(this.#d.files, root) || !imageDirectory(rootfs, destination)) return;
    // An empty data directory is replaced; the guest deletes it (see guestRun).
    if (this.#d.files.exists(root)) {
      if (this.#d.guestRun) await this.#d.guestRun(['rmdir', volumeGuestPath(name)]).catch(() => undefined);
      else this.#d.files.remove(root);
    }
    if (await copyImageContent(this.#d.files, rootfs, destination, root)) this.#touched.add(name);
  }

  /** A container using the volumes stopped: "unmount" events, then their contents are stored. */
  async unmounted(containerId: string, mounts: readonly MountPoint[]): Promise<void> {
    const names: string[] = [];
    for (const m of mounts) {
      if (m.Type !== 'volume' || !m.Name) continue;
      this.#d.events.emit('volume', 'unmount', m.Name, { driver: m.Driver ?? LOCAL_DRIVER, container: containerId });
      names.push(m.Name);
    }
    await Promise.all(names.map((n) => this.save(n).catch(() => undefined)));
  }

  /** Stores the volume's contents (after a guest sync) so they survive a reboot. */
  async save(name: string): Promise<void> {
    const v = this.#byName.get(name);
    // SavedTrees runs saves and forgets in order: a removal waits for a save still under way.
    if (v && !isTmpfsVolume(v)) await this.#d.saved?.save(volumeTreeKey(name), volumeDataRoot(name));
  }

  /** Before the host goes away: every volume written in this boot, after one guest sync. */
  async saveAll(): Promise<void> {
    const trees = [...this.#touched]
      .map((n) => this.#byName.get(n))
      .filter((v): v is VolumeRecord => !!v && !isTmpfsVolume(v))
      .map((v) => ({ key: volumeTreeKey(v.Name), root: volumeDataRoot(v.Name) }));
    if (trees.length) await this.#d.saved?.saveAll(trees);
  }

  /** The guest path to bind for a mount of the volume (its data directory created if missing). */
  async mountSource(name: string): Promise<string> {
    const root = volumeDataRoot(name);
    if (!this.#d.files.exists(root)) {
      await this.#d.files.writeTree(root, [{ path: '', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: Math.floor(this.#d.now() / 1000) }]);
    }
    return volumeGuestPath(name);
  }

  #randomName(): string {
    let s = '';
    while (s.length < 64) s += Math.floor(this.#d.random() * 16).toString(16);
    return s;
  }
}

/** moby's directory.Size: regular files' bytes, each inode once. */
export function treeSize(tree: readonly TreeEntry[] | null): number {
  let size = 0;
  for (const e of tree ?? []) if (e.type === 'file') size += e.data?.length ?? 0;
  return size;
}
