// Flattens an image's layers into one tree, as overlayfs would show them, so the host can write a
// container's lower dir into the guest's 9p filesystem in one pass (v86's 9p has no xattrs, so
// opaque directories cannot be left for the kernel to apply). OCI rules: entries of later layers
// replace earlier ones; `.wh.NAME` hides NAME from lower layers; `.wh..wh..opq` hides everything
// lower layers put in its directory. File data stays a view into the layer tar: nothing is copied.
import { normaliseTarPath, readTar, type TarEntry, type TarEntryType } from '../../lib/tar.ts';

export interface MergedEntry {
  /** Relative, no `./`, no trailing slash (`usr/bin/env`). */
  path: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  size: number;
  /** A subarray of the layer tar (empty unless a regular file). */
  data: Uint8Array;
  linkname: string;
  devmajor: number;
  devminor: number;
}

export interface MergedTree {
  /** The root directory's own entry (`./` in a layer), when a layer has one. */
  root: MergedEntry | undefined;
  /** Every entry, each directory before what it contains; hard links after everything else. */
  entries: MergedEntry[];
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

interface Node {
  entry: MergedEntry | undefined;
  /** Index of the layer that last wrote this node. */
  layer: number;
  children: Map<string, Node> | undefined;
}

function toMerged(path: string, entry: TarEntry): MergedEntry {
  return {
    path,
    type: entry.type,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    mtime: entry.mtime,
    size: entry.size,
    data: entry.data,
    linkname: entry.type === 'hardlink' ? normaliseTarPath(entry.linkname) : entry.linkname,
    devmajor: entry.devmajor,
    devminor: entry.devminor,
  };
}

/** A directory a layer implies without listing it (tars may omit parents). */
function impliedDirectory(path: string): MergedEntry {
  return { path, type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 0, data: new Uint8Array(0), linkname: '', devmajor: 0, devminor: 0 };
}

/** Removes what lower layers put under `node`, keeping what layer `layer` itself wrote. */
function makeOpaque(node: Node, layer: number): void {
  for (const [name, child] of node.children ?? []) {
    if (child.layer !== layer) node.children!.delete(name);
    else makeOpaque(child, layer);
  }
}

export function mergeLayers(layerTars: readonly Uint8Array[]): MergedTree {
  const root: Node = { entry: undefined, layer: -1, children: new Map() };

  /** The directory node for `parts`; with `create`, made (as implied directories) where missing. */
  const directory = (parts: readonly string[], layer: number, create: boolean): Node | undefined => {
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      let child = node.children!.get(parts[i]!);
      if (!child || child.entry?.type !== 'directory') {
        if (!create) return undefined;
        // A non-directory in the way is replaced, as a later layer's directory would replace it.
        child = { entry: impliedDirectory(parts.slice(0, i + 1).join('/')), layer, children: new Map() };
        node.children!.set(parts[i]!, child);
      }
      node = child;
    }
    return node;
  };

  layerTars.forEach((tar, layer) => {
    for (const entry of readTar(tar)) {
      const path = normaliseTarPath(entry.path);
      if (path === '' || path === '.') {
        if (entry.type === 'directory') root.entry = toMerged('', entry);
        continue;
      }
      const parts = path.split('/');
      const name = parts.pop()!;
      if (name.startsWith(WHITEOUT_PREFIX) && name !== OPAQUE_MARKER) {
        const parent = directory(parts, layer, false);
        const hidden = parent?.children!.get(name.slice(WHITEOUT_PREFIX.length));
        // A whiteout hides lower layers only; its own layer's entries stay.
        if (hidden && hidden.layer !== layer) parent!.children!.delete(name.slice(WHITEOUT_PREFIX.length));
        continue;
      }
      const parent = directory(parts, layer, true)!;
      if (name === OPAQUE_MARKER) {
        makeOpaque(parent, layer);
      } else {
        const existing = parent.children!.get(name);
        const merged = toMerged(path, entry);
        if (entry.type === 'directory' && existing?.entry?.type === 'directory') {
          // A directory over a directory updates its metadata and keeps what is inside.
          existing.entry = merged;
          existing.layer = layer;
        } else {
          // Delete-then-insert moves the entry to the end, after its (possibly new) parent.
          parent.children!.delete(name);
          parent.children!.set(name, { entry: merged, layer, children: entry.type === 'directory' ? new Map() : undefined });
        }
      }
    }
  });

  const entries: MergedEntry[] = [];
  const hardlinks: MergedEntry[] = [];
  const walk = (node: Node) => {
    for (const child of node.children?.values() ?? []) {
      if (child.entry?.type === 'hardlink') hardlinks.push(child.entry);
      else if (child.entry) entries.push(child.entry);
      walk(child);
    }
  };
  walk(root);
  // Hard links last, so whatever they link to has been written before them.
  return { root: root.entry, entries: entries.concat(hardlinks) };
}
