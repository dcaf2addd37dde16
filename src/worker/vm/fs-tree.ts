// Host-side writes into v86's in-JS 9p filesystem (the guest's /mnt/host). Image trees are built
// inode by inode with the layer bytes shared, not copied: loading python:3.11-slim this way takes
// milliseconds, against seconds for an untar in the guest (ARCHITECTURE.md "Layers over 9p").
// Uses v86 internals (lib/filesystem.js of the pinned v86 version).
import type { GuestFiles, TreeEntry } from '../../protocol/guest/port.ts';

interface Inode {
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  atime: number;
  ctime: number;
  size: number;
  symlink: string;
  major: number;
  minor: number;
  nlinks: number;
  qid: { type: number };
  direntries: Map<string, number>;
}

/** The parts of v86's FS class this module relies on. */
export interface V86Filesystem {
  inodes: Inode[];
  inodedata: Record<number, Uint8Array>;
  CreateInode(): Inode;
  PushInode(inode: Inode, parentId: number, name: string): void;
  link_under_dir(parentId: number, id: number, name: string): void;
  unlink_from_dir(parentId: number, name: string): void;
  SearchPath(path: string): { id: number; parentid: number; name: string };
  CreateDirectory(name: string, parentId: number): number;
  /** v86's (empty) change hook, called on guest creates, writes, renames and deletes. */
  NotifyListeners(id: number, action: string, info?: unknown): void;
}

const S_IFMT = 0o170000;
const TYPE_BITS: Record<Exclude<TreeEntry['type'], 'hardlink'>, number> = {
  dir: 0o040000,
  file: 0o100000,
  symlink: 0o120000,
  char: 0o020000,
  block: 0o060000,
  fifo: 0o010000,
};

const TYPE_OF_BITS = new Map(Object.entries(TYPE_BITS).map(([type, bits]) => [bits, type as keyof typeof TYPE_BITS]));

export class Fs9pFiles implements Omit<GuestFiles, 'read' | 'holdFsyncs'> {
  readonly #fs: V86Filesystem;
  /** watch(): listeners of v86's change hook, debounced by one timer. */
  readonly #watchers = new Set<() => void>();
  #delay = Infinity;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #changes = 0;

  constructor(fs: V86Filesystem) {
    this.#fs = fs;
    const original = fs.NotifyListeners.bind(fs);
    fs.NotifyListeners = (id, action, info) => {
      original(id, action, info);
      this.#changes++;
      this.#changed();
    };
  }

  /** Guest changes to the share so far, counted as v86's change hook sees them. */
  get changes(): number {
    return this.#changes;
  }

  exists(path: string): boolean {
    return this.#fs.SearchPath(normalise(path)).id !== -1;
  }

  async writeTree(root: string, entries: Iterable<TreeEntry>): Promise<void> {
    const fs = this.#fs;
    const path = normalise(root);
    const existing = fs.SearchPath(path).id;
    if (existing !== -1 && (fs.inodes[existing]!.mode & S_IFMT) !== TYPE_BITS.dir) throw new Error(`writeTree: ${root} is not a directory`);
    if (existing !== -1 && [...fs.inodes[existing]!.direntries.keys()].some((n) => n !== '.' && n !== '..')) {
      throw new Error(`writeTree: ${root} already exists`);
    }
    const rootId = this.#mkdirs(path);
    const ids = new Map<string, number>([['', rootId]]);
    for (const entry of entries) {
      const slash = entry.path.lastIndexOf('/');
      const name = entry.path.slice(slash + 1);
      const parentId = ids.get(slash < 0 ? '' : entry.path.slice(0, slash));
      if (parentId === undefined) throw new Error(`writeTree: parent of ${entry.path} not written before it`);
      if (entry.path === '') {
        setAttributes(fs.inodes[rootId]!, entry, TYPE_BITS.dir);
        continue;
      }
      if (fs.inodes[parentId]!.direntries.has(name)) this.#removeChild(parentId, name);
      if (entry.type === 'hardlink') {
        const target = ids.get(entry.target ?? '');
        if (target === undefined) throw new Error(`writeTree: hard link ${entry.path} to unknown ${entry.target}`);
        fs.link_under_dir(parentId, target, name);
        continue;
      }
      const inode = fs.CreateInode();
      setAttributes(inode, entry, TYPE_BITS[entry.type]);
      if (entry.type === 'symlink') inode.symlink = entry.target ?? '';
      if (entry.type === 'char' || entry.type === 'block') {
        inode.major = entry.major ?? 0;
        inode.minor = entry.minor ?? 0;
      }
      fs.PushInode(inode, parentId, name);
      const id = fs.inodes.length - 1;
      if (entry.type === 'file') {
        const data = entry.data ?? new Uint8Array(0);
        inode.size = data.length;
        if (data.length) fs.inodedata[id] = data;
      }
      ids.set(entry.path, id);
    }
  }

  /** Creates or replaces a file (parent folders included). */
  async write(path: string, data: Uint8Array): Promise<void> {
    const parts = normalise(path).split('/').filter(Boolean);
    const name = parts.pop();
    if (!name) throw new Error(`write: bad path ${path}`);
    const parentId = this.#mkdirs(parts.join('/'));
    if (this.#fs.inodes[parentId]!.direntries.has(name)) this.#removeChild(parentId, name);
    const now = Math.floor(Date.now() / 1000);
    const inode = this.#fs.CreateInode();
    setAttributes(inode, { path: name, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: now }, TYPE_BITS.file);
    this.#fs.PushInode(inode, parentId, name);
    inode.size = data.length;
    if (data.length) this.#fs.inodedata[this.#fs.inodes.length - 1] = data;
  }

  readTree(root: string): TreeEntry[] | null {
    const fs = this.#fs;
    const rootId = fs.SearchPath(normalise(root)).id;
    if (rootId === -1 || (fs.inodes[rootId]!.mode & S_IFMT) !== TYPE_BITS.dir) return null;
    const out: TreeEntry[] = [];
    const seen = new Map<number, string>();
    const visit = (id: number, path: string): void => {
      const inode = fs.inodes[id]!;
      const type = TYPE_OF_BITS.get(inode.mode & S_IFMT);
      if (!type) return; // sockets: nothing to keep
      const base = { path, mode: inode.mode & 0o7777, uid: inode.uid, gid: inode.gid, mtime: inode.mtime };
      const first = type === 'dir' ? undefined : seen.get(id);
      if (first !== undefined) {
        out.push({ ...base, type: 'hardlink', target: first });
        return;
      }
      if (type !== 'dir') seen.set(id, path);
      if (type === 'file') out.push({ ...base, type, data: (fs.inodedata[id] ?? new Uint8Array(0)).subarray(0, inode.size) });
      else if (type === 'symlink') out.push({ ...base, type, target: inode.symlink });
      else if (type === 'char' || type === 'block') out.push({ ...base, type, major: inode.major, minor: inode.minor });
      else out.push({ ...base, type });
      if (type !== 'dir') return;
      const names = [...inode.direntries.keys()].filter((n) => n !== '.' && n !== '..').sort();
      for (const name of names) visit(inode.direntries.get(name)!, path ? `${path}/${name}` : name);
    };
    visit(rootId, '');
    return out;
  }

  watch(listener: () => void, delayMs: number): { dispose(): void } {
    this.#watchers.add(listener);
    this.#delay = Math.min(this.#delay, delayMs);
    return { dispose: () => void this.#watchers.delete(listener) };
  }

  #changed(): void {
    if (this.#timer || !this.#watchers.size) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      for (const listener of [...this.#watchers]) listener();
    }, this.#delay);
  }

  remove(path: string): void {
    const absolute = normalise(path);
    const found = this.#fs.SearchPath(absolute);
    if (found.id === -1 || found.parentid === -1) return;
    // v86's SearchPath leaves `name` undefined when the whole path was found.
    this.#removeChild(found.parentid, absolute.slice(absolute.lastIndexOf('/') + 1));
  }

  #removeChild(parentId: number, name: string): void {
    const fs = this.#fs;
    const id = fs.inodes[parentId]!.direntries.get(name);
    if (id === undefined) return;
    const inode = fs.inodes[id]!;
    if ((inode.mode & S_IFMT) === TYPE_BITS.dir) {
      for (const child of [...inode.direntries.keys()]) if (child !== '.' && child !== '..') this.#removeChild(id, child);
    }
    fs.unlink_from_dir(parentId, name);
    if (inode.nlinks === 0) delete fs.inodedata[id];
  }

  #mkdirs(path: string): number {
    const fs = this.#fs;
    let id = 0;
    for (const part of path.split('/').filter(Boolean)) {
      const next = fs.inodes[id]!.direntries.get(part);
      id = next ?? fs.CreateDirectory(part, id);
    }
    return id;
  }
}

function setAttributes(inode: Inode, entry: TreeEntry, typeBits: number): void {
  inode.mode = typeBits | (entry.mode & 0o7777);
  inode.uid = entry.uid;
  inode.gid = entry.gid;
  inode.mtime = inode.atime = inode.ctime = entry.mtime;
  inode.qid.type = (typeBits & S_IFMT) >> 8;
}

/** v86 paths are relative to the share root, with a leading slash. */
function normalise(path: string): string {
  return '/' + path.split('/').filter(Boolean).join('/');
}
