// Trees of the 9p share as tar archives and back: how the workspace, volumes and container diffs
// are stored, and what a workspace download is (the tar format itself is src/lib/tar.ts).
import { concatBytes } from '../../lib/bytes.ts';
import type { TreeEntry } from '../../protocol/guest/port.ts';
import { endTar, normaliseTarPath, readTar, writeTarEntry } from '../../lib/tar.ts';
import { toTreeEntry } from '../container/rootfs.ts';

const TYPE_FLAGS: Record<TreeEntry['type'], string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
};

/** A tar archive of `entries` (paths relative to the tree's root; '' is the root itself, './'). */
export function treeToTar(entries: Iterable<TreeEntry>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const name = entry.path === '' ? './' : entry.type === 'dir' ? `${entry.path}/` : entry.path;
    const data = entry.type === 'file' ? (entry.data ?? new Uint8Array(0)) : new Uint8Array(0);
    const linkname = entry.type === 'symlink' || entry.type === 'hardlink' ? (entry.target ?? '') : '';
    writeTarEntry(parts, {
      name,
      flag: TYPE_FLAGS[entry.type],
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      mtime: entry.mtime,
      linkname,
      major: entry.major ?? 0,
      minor: entry.minor ?? 0,
      data,
    });
  }
  endTar(parts);
  return concatBytes(parts);
}

/**
 * A tar as tree entries for GuestFiles.writeTree: parents before children, hard links last (their
 * targets must exist), whiteouts kept as the 0:0 char devices overlayfs reads.
 */
export function* tarToTree(tar: Uint8Array): Iterable<TreeEntry> {
  const hardlinks: TreeEntry[] = [];
  for (const e of readTar(tar)) {
    if (e.path.split('/').includes('..')) continue;
    const linkname = e.type === 'hardlink' ? normaliseTarPath(e.linkname) : e.linkname;
    const entry = toTreeEntry({ ...e, path: normaliseTarPath(e.path), linkname });
    if (entry.type === 'hardlink') hardlinks.push(entry);
    else yield entry;
  }
  yield* hardlinks;
}

