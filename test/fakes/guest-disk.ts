// A temporary directory standing in for the guest's filesystem (/var/lib/docker, /mnt/host), with
// `guestRun` running guest commands on it by the host's shell (see host-guest-run.ts). Made inside
// a test, and removed when that test finishes.
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { TreeEntry } from '../../src/protocol/guest/port.ts';
import { hostGuestRun } from './host-guest-run.ts';

export interface GuestDisk {
  /** The host directory standing for the guest's /. */
  root: string;
  /** Every guest command run, in order. */
  runs: string[][];
  guestRun: ReturnType<typeof hostGuestRun>;
  /** The host path of a guest path. */
  host(path: string): string;
  /** Writes a file at a guest path (parents made). */
  put(path: string, bytes: string | Uint8Array): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Writes an image-style tree (owners, modes, symlinks) at a guest path, e.g. /mnt/host/images/x. */
  writeTree(path: string, entries: Iterable<TreeEntry>): Promise<void>;
  /** What is under a guest directory ('' for itself), sorted by path. */
  readTree(path: string): Promise<{ path: string; type: 'dir' | 'file' | 'symlink'; uid: number; gid: number; mode: number }[]>;
}

export async function guestDisk(): Promise<GuestDisk> {
  const root = await mkdtemp(join(tmpdir(), 'slipway-guest-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  const runs: string[][] = [];
  const host = (path: string) => join(root, path);
  const put = async (path: string, bytes: string | Uint8Array) => {
    await mkdir(dirname(host(path)), { recursive: true });
    await writeFile(host(path), bytes);
  };
  const exists = (path: string) => stat(host(path)).then(() => true, () => false);
  const writeTree = async (path: string, entries: Iterable<TreeEntry>) => {
    const list = [...entries];
    await mkdir(host(path), { recursive: true });
    for (const e of list) {
      const at = join(host(path), e.path);
      if (e.type === 'dir') await mkdir(at, { recursive: true });
      else if (e.type === 'symlink') await symlink(e.target ?? '', at);
      else if (e.type === 'file') await writeFile(at, e.data ?? new Uint8Array(0));
      else throw new Error(`guestDisk.writeTree: ${e.type} entries are not supported (${e.path})`);
    }
    // Owners and modes last (deepest first), so a directory's mode never stands in the way.
    for (const e of [...list].reverse()) {
      if (e.type === 'symlink') continue;
      const at = join(host(path), e.path);
      await chown(at, e.uid, e.gid);
      await chmod(at, e.mode & 0o7777);
    }
  };
  const readTree = async (path: string) => {
    const out: Awaited<ReturnType<GuestDisk['readTree']>> = [];
    const walk = async (rel: string) => {
      const st = await lstat(join(host(path), rel));
      const type: 'dir' | 'file' | 'symlink' = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'file';
      out.push({ path: rel, type, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 });
      if (type === 'dir') for (const name of (await readdir(join(host(path), rel))).sort()) await walk(rel ? `${rel}/${name}` : name);
    };
    await walk('');
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  };
  return { root, runs, guestRun: hostGuestRun(root, runs), host, put, exists, writeTree, readTree };
}
