// Trees of the 9p share as tar archives and back: how the workspace, volumes and container diffs
// are stored, and what a workspace download is. The writer emits ustar headers, with a pax
// record for what ustar cannot hold (long or non-ASCII names, big ids or sizes).
import { concatBytes } from '../../lib/bytes.ts';
import type { TreeEntry } from '../../protocol/guest/port.ts';
import { normaliseTarPath, readTar } from '../image/tar.ts';
import { toTreeEntry } from '../container/rootfs.ts';

const BLOCK = 512;
const encoder = new TextEncoder();

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
    const pax = paxRecords({ path: name, linkpath: linkname, size: data.length, uid: entry.uid, gid: entry.gid });
    if (pax.length) {
      parts.push(header({ name: 'PaxHeader', flag: 'x', size: pax.length, mode: 0o644, uid: 0, gid: 0, mtime: entry.mtime }));
      pushData(parts, pax);
    }
    parts.push(
      header({
        name,
        flag: TYPE_FLAGS[entry.type],
        size: data.length,
        mode: entry.mode,
        uid: entry.uid,
        gid: entry.gid,
        mtime: entry.mtime,
        linkname,
        major: entry.major ?? 0,
        minor: entry.minor ?? 0,
      }),
    );
    pushData(parts, data);
  }
  parts.push(new Uint8Array(2 * BLOCK));
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

interface Header {
  name: string;
  flag: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  linkname?: string;
  major?: number;
  minor?: number;
}

function header(h: Header): Uint8Array {
  const block = new Uint8Array(BLOCK);
  field(block, 0, 100, h.name);
  field(block, 100, 8, octal(h.mode & 0o7777, 8));
  field(block, 108, 8, octal(fits(h.uid, 8) ? h.uid : 0, 8));
  field(block, 116, 8, octal(fits(h.gid, 8) ? h.gid : 0, 8));
  field(block, 124, 12, octal(fits(h.size, 12) ? h.size : 0, 12));
  field(block, 136, 12, octal(Math.max(0, Math.floor(h.mtime)), 12));
  field(block, 156, 1, h.flag);
  field(block, 157, 100, h.linkname ?? '');
  field(block, 257, 6, 'ustar\0');
  field(block, 263, 2, '00');
  field(block, 329, 8, octal(h.major ?? 0, 8));
  field(block, 337, 8, octal(h.minor ?? 0, 8));
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  field(block, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

/** Pax records for the values a ustar header would truncate; empty when none is needed. */
function paxRecords(values: { path: string; linkpath: string; size: number; uid: number; gid: number }): Uint8Array {
  const records: string[] = [];
  if (!fitsName(values.path)) records.push(record('path', values.path));
  if (!fitsName(values.linkpath)) records.push(record('linkpath', values.linkpath));
  if (!fits(values.size, 12)) records.push(record('size', String(values.size)));
  if (!fits(values.uid, 8)) records.push(record('uid', String(values.uid)));
  if (!fits(values.gid, 8)) records.push(record('gid', String(values.gid)));
  return encoder.encode(records.join(''));
}

/** "LEN key=value\n", where LEN counts its own digits. */
function record(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = encoder.encode(body).length;
  let length = bodyLength + String(bodyLength).length;
  if (String(length).length !== String(bodyLength).length) length += 1;
  return `${length}${body}`;
}

function fitsName(name: string): boolean {
  return name.length <= 100 && /^[\x20-\x7e]*$/.test(name);
}

function fits(value: number, length: number): boolean {
  return value >= 0 && value < 8 ** (length - 1);
}

function field(block: Uint8Array, offset: number, length: number, text: string): void {
  block.set(encoder.encode(text).subarray(0, length), offset);
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

function pushData(parts: Uint8Array[], data: Uint8Array): void {
  if (!data.length) return;
  parts.push(data);
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
  if (pad) parts.push(new Uint8Array(pad));
}
