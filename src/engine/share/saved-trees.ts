// Directories of the 9p share that outlive the guest (the workspace, volumes): each is stored as
// one tar blob named by a metadata record, and written back into the share after a reboot.
// A save replaces the blob only after the new one is stored and its record committed, so a full
// quota or a crash leaves the previous save intact.
import { GUEST_SHARE_PATH, type Disposable, type GuestFiles, type GuestPort } from '../../protocol/guest/port.ts';
import type { BlobDigest, Stores } from '../../protocol/store.ts';
import { sha256Hex } from '../../lib/digest.ts';
import { tarToTree, treeToTar } from './tree-tar.ts';

const PREFIX = 'tree/';
const DAMAGED_PREFIX = 'tree-damaged/';

interface SavedTreeRecord {
  digest: BlobDigest;
  size: number;
  savedAt: number;
}

export class SavedTrees {
  readonly #guest: GuestPort;
  readonly #stores: Stores;
  /** Saves run one at a time: two interleaved saves of one key could delete each other's blob. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #failureListeners = new Set<(key: string, error: Error) => void>();

  readonly #onProblem: (message: string) => void;

  constructor(guest: GuestPort, stores: Stores, onProblem: (message: string) => void = () => {}) {
    this.#guest = guest;
    this.#stores = stores;
    this.#onProblem = onProblem;
  }

  get files(): GuestFiles {
    return this.#guest.files;
  }

  /**
   * Writes the tree stored under `key` into the share at `root`, replacing what is there. An
   * existing `root` directory is emptied, not replaced: the guest may have it mounted.
   */
  async restore(key: string, root: string): Promise<boolean> {
    const record = await this.#stores.meta.get<SavedTreeRecord>(PREFIX + key);
    let tar: Uint8Array | null = null;
    if (record) {
      tar = await this.#stores.blobs.get(record.digest).catch(() => null);
      // Missing or corrupt: the record is set aside (never overwritten by the next save of an
      // empty tree) and named, and the tree starts empty.
      if (!tar) await this.#setAside(key, record);
    }
    const present = this.files.readTree(root);
    if (present) {
      for (const e of present) if (e.path && !e.path.includes('/')) this.files.remove(`${root}/${e.path}`);
    } else {
      this.files.remove(root);
    }
    if (!tar) return false;
    await this.files.writeTree(root, tarToTree(tar));
    return true;
  }

  async #setAside(key: string, record: SavedTreeRecord): Promise<void> {
    const aside = `${DAMAGED_PREFIX}${key}/${record.savedAt}`;
    await this.#stores.meta.commit({ put: [[aside, record]], delete: [PREFIX + key] });
    this.#onProblem(`saved tree ${key}: its content (${record.digest}) is missing or corrupt in the store; it starts empty, and its record is kept as ${aside}`);
  }

  /**
   * Hears every failed save (a full quota), whoever asked for it: background saves have no
   * caller to tell, and the page should say that the stored copy is the previous one.
   */
  onSaveFailed(listener: (key: string, error: Error) => void): Disposable {
    this.#failureListeners.add(listener);
    return { dispose: () => void this.#failureListeners.delete(listener) };
  }

  /**
   * Flushes the guest's cached writes, then stores the share tree at `root` under `key`.
   * `flush: false`: the tree as the host has it now (the guest's flusher writes the share back
   * every few hundred ms), for background saves that must not wait for a guest process.
   */
  save(key: string, root: string, options: { flush?: boolean } = {}): Promise<void> {
    return this.saveAll([{ key, root }], options);
  }

  /** Several trees after one flush (the page is being hidden, the runner exits). */
  async saveAll(trees: readonly { key: string; root: string }[], options: { flush?: boolean } = {}): Promise<void> {
    // The flush comes before the queue: a save queued meanwhile (one that a guest fsync waits
    // for, see Workspace) must never wait for a guest process, which could be waiting for it.
    if (options.flush !== false) await this.flush();
    const run = this.#queue.then(async () => {
      for (const { key, root } of trees) {
        await this.#store(key, root).catch((e: Error) => {
          for (const listener of [...this.#failureListeners]) listener(key, e);
          throw e;
        });
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Deletes what is stored under `key`, after any save still running (which would bring it back). */
  forget(key: string): Promise<void> {
    const run = this.#queue.then(() => this.#forget(key));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #forget(key: string): Promise<void> {
    const record = await this.#stores.meta.get<SavedTreeRecord>(PREFIX + key);
    if (!record) return;
    await this.#stores.meta.commit({ delete: [PREFIX + key] });
    await this.#dropBlob(record.digest);
  }

  async #store(key: string, root: string): Promise<void> {
    const tree = this.files.readTree(root);
    const previous = await this.#stores.meta.get<SavedTreeRecord>(PREFIX + key);
    if (!tree) {
      if (previous) await this.#forget(key);
      return;
    }
    const tar = treeToTar(tree);
    const digest = `sha256:${await sha256Hex(tar)}` as BlobDigest;
    if (previous?.digest === digest) return;
    await this.#stores.blobs.put(digest, tar);
    await this.#stores.meta.commit({ put: [[PREFIX + key, { digest, size: tar.length, savedAt: Date.now() } satisfies SavedTreeRecord]] });
    if (previous) await this.#dropBlob(previous.digest);
  }

  /** Deletes a blob unless another saved tree holds the same bytes. */
  async #dropBlob(digest: BlobDigest): Promise<void> {
    const records = await this.#stores.meta.list<SavedTreeRecord>(PREFIX);
    if (records.some(([, r]) => r.digest === digest)) return;
    await this.#stores.blobs.delete(digest);
  }

  /**
   * Writes back what the guest still caches for the share (cache=loose): before the host reads
   * a tree (a save, a download, a volume's size). Only the share's filesystem (syncfs): every
   * page edit waits for this, and must not wait for the guest's other dirty data (a container
   * writing its disk).
   */
  async flush(): Promise<void> {
    const proc = await this.#guest.spawn({ argv: ['/bin/sync', '-f', GUEST_SHARE_PATH], env: ['PATH=/usr/bin:/bin'], cwd: '/' });
    proc.stdin.end();
    const status = await proc.exited;
    // Saving without the guest's writes would store an old tree as if it were the current one.
    if (status.code !== 0 || status.signal) throw new Error(`cannot write back the guest's cached writes to the share (sync exit ${status.code}, signal ${status.signal})`);
  }
}
