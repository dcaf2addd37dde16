// What the VM needs from its host environment. Node (runner, tests) and the browser worker each
// provide one; nothing else in src/worker/vm/ touches fs, fetch or IndexedDB.
import type { Hello } from '../../protocol/guest/messages.ts';

export type GuestAsset = 'v86.wasm' | 'bios.bin' | 'vgabios-stdvga.bin' | 'bzImage' | 'initrd.cpio' | 'disk-template.gz' | 'MANIFEST';

export interface SnapshotCache {
  get(key: string): Promise<ArrayBuffer | null>;
  /** The HELLO the agent sent before the snapshot (a restored agent does not say it again). */
  getHello(key: string): Promise<Hello | null>;
  put(key: string, state: ArrayBuffer, hello: Hello): Promise<void>;
}

/**
 * The Docker host's disk as the store keeps it: fixed-size chunks (vm/disk.ts), written in atomic
 * batches. A batch is the disk at one instant, so after a crash the store holds the disk as it
 * was at the end of some commit, and ext4's journal makes that a consistent filesystem.
 */
export interface DiskStore {
  /** A chunk as last committed, or null when it was never written or is zeros. */
  read(index: number): Promise<Uint8Array | null>;
  /** Stores every chunk of the batch, all or none (null: the chunk is zeros again). */
  commit(chunks: ReadonlyMap<number, Uint8Array | null>): Promise<void>;
}

export interface Platform {
  /** Where the guest's disk lives ($SLIPWAY_HOME/disk in Node, IndexedDB in the browser). */
  disk: DiskStore;
  loadAsset(name: GuestAsset): Promise<Uint8Array>;
  /** Identifies a snapshot's inputs: guest MANIFEST, v86 version, memory size, cmdline. */
  snapshotKey(): Promise<string>;
  snapshots: SnapshotCache;
  /** Run `fn` soon, after pending I/O (setImmediate in Node, a MessageChannel in a worker). */
  schedule(fn: () => void): void;
}
