// What the VM needs from its host environment. Node (runner, tests) and the browser worker each
// provide one; nothing else in src/worker/vm/ touches fs, fetch or IndexedDB.
import type { Hello } from '../../protocol/guest/messages.ts';

export type GuestAsset = 'v86.wasm' | 'bios.bin' | 'vgabios-stdvga.bin' | 'bzImage' | 'initrd.cpio' | 'MANIFEST';

export interface SnapshotCache {
  get(key: string): Promise<ArrayBuffer | null>;
  /** The HELLO the agent sent before the snapshot (a restored agent does not say it again). */
  getHello(key: string): Promise<Hello | null>;
  put(key: string, state: ArrayBuffer, hello: Hello): Promise<void>;
}

export interface Platform {
  loadAsset(name: GuestAsset): Promise<Uint8Array>;
  /** Identifies a snapshot's inputs: guest MANIFEST, v86 version, memory size, cmdline. */
  snapshotKey(): Promise<string>;
  snapshots: SnapshotCache;
  /** Run `fn` soon, after pending I/O (setImmediate in Node, a MessageChannel in a worker). */
  schedule(fn: () => void): void;
}
