// The two kinds of layer a build makes. COPY and ADD: built here from the context (or another
// stage's files) without the guest. RUN: the temporary container's writable layer on the Docker
// host's disk, tarred in the guest and turned into an OCI layer (overlayfs whiteouts, char devices
// 0:0, become `.wh.NAME` files; opaque directories get `.wh..wh..opq`).
import type { TreeEntry } from '../../protocol/guest/port.ts';
import { gunzip } from '../../lib/bytes.ts';
import { normaliseTarPath, readTar } from '../../lib/tar.ts';
import type { ImageRootfs } from '../container/launch.ts';
import { toTreeEntry } from '../container/rootfs.ts';
import { resolveUser } from '../container/user.ts';
import { mergeLayers } from '../image/merge.ts';
import { treeToTar } from '../share/tree-tar.ts';
import { ancestors, cleanRelative, type ContextEntry } from './context.ts';
import { BuildError } from './instructions.ts';

/** Where COPY takes files from: the build context, or a stage's (or an image's) files. */
export interface CopySource {
  get(path: string): ContextEntry | undefined;
  under(dir: string): ContextEntry[];
  glob(pattern: string): string[];
}

/** An image's merged files as a COPY --from source. */
export function imageSource(layerTars: Uint8Array[]): CopySource {
  const tree = mergeLayers(layerTars);
  const byPath = new Map<string, ContextEntry>();
  for (const e of tree.entries) {
    if (e.type !== 'file' && e.type !== 'directory' && e.type !== 'symlink') continue;
    byPath.set(e.path, { path: e.path, type: e.type === 'directory' ? 'dir' : e.type, mode: e.mode & 0o7777, uid: e.uid, gid: e.gid, mtime: e.mtime, data: e.data, linkname: e.linkname });
  }
  const clean = cleanRelative;
  return {
    get: (path) => (clean(path) === '' ? { path: '', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0, data: new Uint8Array(0), linkname: '' } : byPath.get(clean(path))),
    under: (dir) => [...byPath.values()].filter((e) => !clean(dir) || e.path.startsWith(`${clean(dir)}/`)),
    glob: (pattern) => (byPath.has(clean(pattern)) || clean(pattern) === '' ? [clean(pattern)] : []),
  };
}

export interface CopyRequest {
  instruction: 'COPY' | 'ADD';
  sources: string[];
  dest: string;
  workdir: string;
  from: CopySource;
  /** The image the files are copied into (null: scratch). */
  rootfs: ImageRootfs | null;
  chown?: string;
  chmod?: string;
}

/** The files a COPY or ADD adds, as a layer tar. */
export function copyLayer(req: CopyRequest): Uint8Array {
  const what = req.instruction;
  let dest = req.dest.startsWith('/') ? req.dest : `${req.workdir.replace(/\/$/, '')}/${req.dest}`;
  const destIsDir = dest.endsWith('/') || dest.endsWith('/.') || req.dest === '.';
  dest = cleanRelative(dest);
  const owner = req.chown ? parseChown(req.chown, req.rootfs) : { uid: 0, gid: 0 };
  let mode: number | undefined;
  if (req.chmod !== undefined) {
    if (!/^[0-7]{3,4}$/.test(req.chmod)) throw new BuildError(`invalid chmod parameter: ${req.chmod}`);
    mode = parseInt(req.chmod, 8);
  }
  const matches: string[] = [];
  for (const source of req.sources) {
    const found = req.from.glob(source);
    if (!found.length) throw new BuildError(`${what} failed: file not found in build context or excluded by .dockerignore: stat ${source}: file does not exist`);
    matches.push(...found);
  }
  if (matches.length > 1 && !destIsDir) throw new BuildError(`When using ${what} with more than one source file, the destination must be a directory and end with a /`);

  const out = new Map<string, TreeEntry>();
  const put = (path: string, e: ContextEntry, data?: Uint8Array) => {
    const type = e.type;
    out.set(path, {
      path,
      type,
      mode: mode ?? e.mode,
      uid: owner.uid,
      gid: owner.gid,
      mtime: e.mtime,
      ...(type === 'file' ? { data: data ?? e.data } : {}),
      ...(type === 'symlink' ? { target: e.linkname } : {}),
    });
  };
  const existingDir = (path: string) => req.rootfs?.lookup(`/${path}`)?.type === 'dir';
  for (const match of matches) {
    const entry = req.from.get(match)!;
    if (entry.type === 'dir') {
      // A directory's contents go into the destination, not the directory itself.
      if (dest) put(dest, { ...entry, path: dest });
      const prefix = entry.path ? `${entry.path}/` : '';
      for (const child of req.from.under(entry.path)) put(join(dest, child.path.slice(prefix.length)), child);
      continue;
    }
    const target = destIsDir || matches.length > 1 || existingDir(dest) ? join(dest, basename(match)) : dest;
    if (!target) throw new BuildError(`${what} failed: cannot copy to the root directory as a file`);
    const archive = what === 'ADD' && entry.type === 'file' ? tarEntries(entry.data) : null;
    if (archive) {
      // ADD unpacks a local archive into the destination directory, with its own owners.
      for (const e of archive) out.set(join(dest, e.path), { ...e, path: join(dest, e.path) });
      continue;
    }
    put(target, entry);
  }
  // Parents the layer needs: as the image has them, or new ones (0755, the COPY's owner).
  for (const path of [...out.keys()]) {
    for (const dir of ancestors(path)) {
      if (out.has(dir)) continue;
      const existing = req.rootfs?.lookup(`/${dir}`);
      out.set(dir, existing?.type === 'dir' ? { ...existing, path: dir } : { path: dir, type: 'dir', mode: 0o755, uid: owner.uid, gid: owner.gid, mtime: 0 });
    }
  }
  return treeToTar([...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
}

/** A local tar (maybe gzipped) ADD unpacks, as tree entries; null when it is not one. */
function tarEntries(data: Uint8Array): TreeEntry[] | null {
  // (A gzipped archive was unpacked by gunzipArchives before: gunzip is asynchronous.)
  if (data.length < 512 || new TextDecoder().decode(data.subarray(257, 262)) !== 'ustar') return null;
  try {
    const out: TreeEntry[] = [];
    for (const e of readTar(data)) {
      const path = normaliseTarPath(e.path);
      if (!path || path.split('/').includes('..')) continue;
      out.push(toTreeEntry({ ...e, path, linkname: e.type === 'hardlink' ? normaliseTarPath(e.linkname) : e.linkname }));
    }
    return out;
  } catch {
    return null;
  }
}

/** ADD's gzipped archives, unpacked before copyLayer sees them (gunzip is asynchronous). */
export async function gunzipArchives(source: CopySource, sources: string[]): Promise<CopySource> {
  const replaced = new Map<string, ContextEntry>();
  for (const pattern of sources) {
    for (const path of source.glob(pattern)) {
      const e = source.get(path);
      if (e?.type !== 'file' || e.data[0] !== 0x1f || e.data[1] !== 0x8b) continue;
      const data = await gunzip(e.data).catch(() => null);
      if (data && data.length >= 512 && new TextDecoder().decode(data.subarray(257, 262)) === 'ustar') replaced.set(path, { ...e, data });
    }
  }
  if (!replaced.size) return source;
  return { get: (p) => replaced.get(p) ?? source.get(p), under: (d) => source.under(d), glob: (p) => source.glob(p) };
}

function parseChown(spec: string, rootfs: ImageRootfs | null): { uid: number; gid: number } {
  const [user = '', group] = spec.split(':', 2);
  const numeric = /^\d+$/;
  if (numeric.test(user) && (group === undefined || numeric.test(group))) return { uid: Number(user), gid: Number(group ?? user) };
  const read = (path: string) => {
    const e = rootfs?.lookup(path);
    return e?.type === 'file' && e.data ? new TextDecoder().decode(e.data) : null;
  };
  try {
    const resolved = resolveUser(group === undefined ? user : `${user}:${group}`, read);
    return { uid: resolved.uid, gid: group === undefined && numeric.test(user) ? resolved.uid : resolved.gid };
  } catch {
    throw new BuildError(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${user}: no such user: ${user}`);
  }
}

/** Paths a build step's container owns through the runtime, never part of its layer. */
const RUNTIME_PATHS = ['etc/hosts', 'etc/hostname', 'etc/resolv.conf', '.dockerenv', 'dev', 'proc', 'sys'];

/**
 * A container's upper dir, as busybox tar wrote it (`tar -cf - .` inside it), plus the opaque
 * directories listed by `slipway-ctr opaque`, as an OCI layer tar.
 */
export function upperToLayer(upperTar: Uint8Array, opaque: readonly string[]): Uint8Array {
  const opaqueDirs = new Set(opaque.map((p) => normaliseTarPath(p)));
  const out: TreeEntry[] = [];
  for (const e of upperTar.length ? readTar(upperTar) : []) {
    const path = normaliseTarPath(e.path);
    if (!path || RUNTIME_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) continue;
    if (e.type === 'char' && e.devmajor === 0 && e.devminor === 0) {
      const slash = path.lastIndexOf('/');
      const whiteout = `${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`;
      out.push({ path: whiteout, type: 'file', mode: 0, uid: 0, gid: 0, mtime: e.mtime, data: new Uint8Array(0) });
      continue;
    }
    out.push(toTreeEntry({ ...e, path, linkname: e.type === 'hardlink' ? normaliseTarPath(e.linkname) : e.linkname }));
    if (e.type === 'directory' && opaqueDirs.has(path)) out.push({ path: `${path}/.wh..wh..opq`, type: 'file', mode: 0, uid: 0, gid: 0, mtime: e.mtime, data: new Uint8Array(0) });
  }
  return treeToTar(out);
}

function join(dir: string, name: string): string {
  return cleanRelative(`${dir}/${name}`);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

