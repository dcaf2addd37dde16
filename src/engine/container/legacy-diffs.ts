// A container's filesystem changes outlive the guest: when it stops (and before the host goes
// away) its overlay upper dir is tarred in the guest, streamed to the host and stored as a blob.
// After a reboot those diffs come back as read-only 9p trees stacked above the image, whiteouts
// (0:0 char devices) included, and a fresh upper dir collects what happens next.
// Within one boot the upper dir is cumulative, so its checkpoint replaces this boot's last diff.
import { processOutput } from '../../lib/streams.ts';
import type { GuestFiles, GuestPort, TreeEntry } from '../../protocol/guest/port.ts';
import { GUEST_SHARE_PATH } from '../../protocol/guest/port.ts';
import type { BlobDigest, BlobStore } from '../../protocol/store.ts';
import { readTar } from '../../lib/tar.ts';
import { tarToTree } from '../share/tree-tar.ts';
import { sha256Hex } from '../../lib/digest.ts';
import type { ContainerRecord } from './record.ts';
import { GuestPaths } from './runtime.ts';

/** An upper dir with nothing but its root is "no changes". */
const EMPTY_TAR_ENTRIES = 1;

export class Checkpoints {
  readonly #guest: GuestPort;
  readonly #blobs: BlobStore;
  /** The diff taken from each container's upper dir in this boot (replaced, not appended). */
  readonly #bootDiff = new Map<string, string>();
  readonly #pending = new Map<string, Promise<void>>();
  readonly #trees = new Map<string, Promise<string>>();

  constructor(guest: GuestPort, blobs: BlobStore) {
    this.#guest = guest;
    this.#blobs = blobs;
  }

  /** Waits for a checkpoint of this container still in flight. */
  settled(id: string): Promise<void> {
    return this.#pending.get(id) ?? Promise.resolve();
  }

  /** Captures the upper dir into record.diffs (the caller persists the record). */
  take(record: ContainerRecord): Promise<void> {
    const run = this.settled(record.Id).then(() => this.#take(record));
    const tracked = run.catch(() => undefined).finally(() => {
      if (this.#pending.get(record.Id) === tracked) this.#pending.delete(record.Id);
    });
    this.#pending.set(record.Id, tracked);
    return run;
  }

  async #take(record: ContainerRecord): Promise<void> {
    const upper = `${GuestPaths.bundle(record.Id)}/upper`;
    const proc = await this.#guest.spawn({
      argv: ['/bin/sh', '-c', 'cd "$1" 2>/dev/null || exit 3; exec tar -cf - .', 'slipway-checkpoint', upper],
      env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'],
      cwd: '/',
    });
    proc.stdin.end();
    const { stdout: tar, status } = await processOutput(proc);
    if (status.code === 3) return; // never started in this boot: nothing new
    if (status.code !== 0) throw new Error(`checkpoint of ${record.Id}: tar exited ${status.code}`);
    const replace = this.#bootDiff.get(record.Id);
    const diffs = (record.diffs ?? []).filter((d) => d !== replace);
    let entries = 0;
    for (const _ of readTar(tar)) if (++entries > EMPTY_TAR_ENTRIES) break;
    this.#bootDiff.delete(record.Id);
    if (entries > EMPTY_TAR_ENTRIES) {
      const digest = `sha256:${await sha256Hex(tar)}` as BlobDigest;
      await this.#blobs.put(digest, tar);
      diffs.push(digest);
      this.#bootDiff.set(record.Id, digest);
    }
    record.diffs = diffs;
    if (replace && !diffs.includes(replace)) await this.#blobs.delete(replace as BlobDigest).catch(() => undefined);
  }

  /** Guest paths of the stored diffs as overlay lower dirs, topmost first. */
  async lowerDirs(record: ContainerRecord, files: GuestFiles): Promise<string[]> {
    // This boot's upper dir already holds the newest diff: only earlier boots' diffs are layers.
    const stored = this.#earlierBoots(record);
    const dirs = await Promise.all(stored.map((digest) => this.#tree(digest, files)));
    return dirs.reverse();
  }

  /** Diffs of earlier boots: this boot's changes are still in the upper dir. */
  #earlierBoots(record: ContainerRecord): string[] {
    const current = this.#bootDiff.get(record.Id);
    return (record.diffs ?? []).filter((d) => d !== current);
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
  async storedChanges(record: ContainerRecord): Promise<{ path: string; deleted: boolean }[]> {
    const out: { path: string; deleted: boolean }[] = [];
    for (const digest of this.#earlierBoots(record)) {
      const tar = await this.#blobs.get(digest as BlobDigest);
      if (!tar) continue;
      for (const e of tarToTree(tar)) {
        if (e.path) out.push({ path: `/${e.path}`, deleted: e.type === 'char' && !e.major && !e.minor });
      }
    }
    return out;
  }

  async forget(record: ContainerRecord): Promise<void> {
    await this.settled(record.Id);
    this.#bootDiff.delete(record.Id);
    for (const digest of record.diffs ?? []) await this.#blobs.delete(digest as BlobDigest).catch(() => undefined);
  }
}
