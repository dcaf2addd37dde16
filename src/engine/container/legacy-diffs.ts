// Filesystem changes that earlier versions stored as tar blobs (record.diffs): they took a
// container's upper dir when it stopped. Writable layers now live on the Docker host's disk
// (host-disk.ts) and are never tarred; stores written before keep their diffs, which come back as
// read-only 9p trees stacked above the image, whiteouts (0:0 char devices) included, below the
// layer on the disk.
import type { GuestFiles } from '../../protocol/guest/port.ts';
import { GUEST_SHARE_PATH } from '../../protocol/guest/port.ts';
import type { BlobDigest, BlobStore } from '../../protocol/store.ts';
import { tarToTree } from '../share/tree-tar.ts';
import type { ContainerRecord } from './record.ts';

export class LegacyDiffs {
  readonly #blobs: BlobStore;
  readonly #trees = new Map<string, Promise<string>>();

  constructor(blobs: BlobStore) {
    this.#blobs = blobs;
  }

  /** Guest paths of the stored diffs as overlay lower dirs, topmost first. */
  async lowerDirs(record: ContainerRecord, files: GuestFiles): Promise<string[]> {
    const dirs = await Promise.all((record.diffs ?? []).map((digest) => this.#tree(digest, files)));
    return dirs.reverse();
  }

  #tree(digest: string, files: GuestFiles): Promise<string> {
    let tree = this.#trees.get(digest);
    if (!tree) {
      tree = (async () => {
        const tar = await this.#blobs.get(digest as BlobDigest);
        if (!tar) throw new Error(`container diff ${digest} is missing from the store`);
        const root = `/diffs/${digest.slice(7, 39)}`;
        files.remove(root);
        await files.writeTree(root, tarToTree(tar));
        return `${GUEST_SHARE_PATH}${root}`;
      })();
      this.#trees.set(digest, tree);
      tree.catch(() => this.#trees.delete(digest));
    }
    return tree;
  }

  /** Paths changed in the stored diffs (for `docker diff`), whiteouts marked. */
  async changes(record: ContainerRecord): Promise<{ path: string; deleted: boolean }[]> {
    const out: { path: string; deleted: boolean }[] = [];
    for (const digest of record.diffs ?? []) {
      const tar = await this.#blobs.get(digest as BlobDigest);
      if (!tar) continue;
      for (const e of tarToTree(tar)) {
        if (e.path) out.push({ path: `/${e.path}`, deleted: e.type === 'char' && !e.major && !e.minor });
      }
    }
    return out;
  }

  async forget(record: ContainerRecord): Promise<void> {
    for (const digest of record.diffs ?? []) await this.#blobs.delete(digest as BlobDigest).catch(() => undefined);
  }
}
