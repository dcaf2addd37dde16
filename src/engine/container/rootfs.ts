// Image trees in the 9p share: each image's layers merged once per boot into a read-only tree
// the guest mounts as the overlay lower dir. File bytes stay views into the layer tars.
import type { GuestFiles, TreeEntry } from '../../protocol/guest/port.ts';
import type { ImageRootfs } from './launch.ts';
import { GUEST_SHARE_PATH } from '../../protocol/guest/port.ts';
import { GuestPaths } from './runtime.ts';
import { mergeLayers, type MergedEntry } from '../image/merge.ts';

export type MergeLayers = (layerTars: Uint8Array[]) => Iterable<TreeEntry>;

export class ImageTrees {
  readonly #files: GuestFiles;
  readonly #layers: (imageId: string) => Promise<Uint8Array[]>;
  readonly #merge: MergeLayers;
  readonly #trees = new Map<string, Promise<ImageRootfs>>();

  constructor(files: GuestFiles, layers: (imageId: string) => Promise<Uint8Array[]>, merge: MergeLayers) {
    this.#files = files;
    this.#layers = layers;
    this.#merge = merge;
  }

  get(imageId: string): Promise<ImageRootfs> {
    let tree = this.#trees.get(imageId);
    if (!tree) {
      tree = this.#materialise(imageId);
      this.#trees.set(imageId, tree);
      tree.catch(() => this.#trees.delete(imageId));
    }
    return tree;
  }

  async #materialise(imageId: string): Promise<ImageRootfs> {
    const entries = [...this.#merge(await this.#layers(imageId))];
    const byPath = new Map<string, TreeEntry>(entries.map((e) => [`/${e.path}`, e]));
    const root = GuestPaths.image(imageId);
    this.#files.remove(root);
    await this.#files.writeTree(root, entries);
    return {
      lowerDir: `${GUEST_SHARE_PATH}${root}`,
      lookup: (path) => (path === '/' || path === '' ? (byPath.get('/') ?? { path: '', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 }) : byPath.get(path)),
    };
  }
}

/** An image's layers merged (image/merge.ts) as tree entries for GuestFiles.writeTree. */
export function* mergeLayerTree(layerTars: Uint8Array[]): Iterable<TreeEntry> {
  const tree = mergeLayers(layerTars);
  if (tree.root) yield toTreeEntry({ ...tree.root, path: '' });
  for (const entry of tree.entries) yield toTreeEntry(entry);
}

/** A tar or merged entry as a tree entry (hard link targets already normalised). */
export function toTreeEntry(e: Pick<MergedEntry, 'path' | 'type' | 'mode' | 'uid' | 'gid' | 'mtime' | 'data' | 'linkname' | 'devmajor' | 'devminor'>): TreeEntry {
  const type = e.type === 'directory' ? 'dir' : e.type;
  return {
    path: e.path,
    type,
    mode: e.mode,
    uid: e.uid,
    gid: e.gid,
    mtime: e.mtime,
    ...(type === 'file' ? { data: e.data } : {}),
    ...(type === 'symlink' || type === 'hardlink' ? { target: e.linkname } : {}),
    ...(type === 'char' || type === 'block' ? { major: e.devmajor, minor: e.devminor } : {}),
  };
}
