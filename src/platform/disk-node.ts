// The guest disk's Node backend: $SLIPWAY_HOME/disk/disk.img, a sparse file of the whole disk,
// and disk.wal, the batch being committed. A commit writes the batch to the log and syncs it,
// then writes its chunks into the image, syncs it, and empties the log. Opening replays a log
// whose checksum holds (the crash came after the log was complete) and drops any other (the
// crash came before: the batch never was committed). Either way the image is the disk as of
// one commit's end.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiskStore } from '../worker/vm/platform.ts';

const WAL_MAGIC = 0x4c415753; // "SWAL"
const DIGEST_BYTES = 32;

export async function openNodeDisk(dir: string, chunkBytes: number): Promise<DiskStore> {
  await mkdir(dir, { recursive: true });
  await lock(dir);
  const image = await openOrCreate(join(dir, 'disk.img'));
  const wal = await openOrCreate(join(dir, 'disk.wal'));
  await replay(image, wal, chunkBytes);

  const zeros = new Uint8Array(chunkBytes);
  return {
    async read(index) {
      const chunk = new Uint8Array(chunkBytes);
      const { bytesRead } = await image.read(chunk, 0, chunkBytes, index * chunkBytes);
      if (bytesRead === 0) return null;
      return new Uint32Array(chunk.buffer).every((w) => w === 0) ? null : chunk;
    },
    async commit(chunks) {
      await wal.write(encodeBatch(chunks, chunkBytes), 0, undefined, 0);
      await wal.datasync();
      await applyBatch(image, chunks, chunkBytes, zeros);
      await wal.truncate(0);
    },
  };
}

/**
 * One process at a time: two emulators writing one ext4 would corrupt it. The lock names its
 * process; a lock whose process is gone (killed) is taken over.
 */
async function lock(dir: string): Promise<void> {
  const path = join(dir, 'disk.lock');
  const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (holder && holder !== process.pid && processAlive(holder)) {
    throw new Error(`the Docker host's disk in ${dir} is in use by process ${holder}`);
  }
  await writeFile(path, `${process.pid}\n`);
}

/** Whether a process of this pid exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openOrCreate(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return open(path, 'w+');
  }
}

/** magic u32, count u32, then per chunk: index u32, present u32 (0: zeros), bytes; sha256 of it all. */
function encodeBatch(chunks: ReadonlyMap<number, Uint8Array | null>, chunkBytes: number): Uint8Array {
  let size = 8 + DIGEST_BYTES;
  for (const chunk of chunks.values()) size += 8 + (chunk ? chunkBytes : 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, WAL_MAGIC, true);
  view.setUint32(4, chunks.size, true);
  let at = 8;
  for (const [index, chunk] of chunks) {
    view.setUint32(at, index, true);
    view.setUint32(at + 4, chunk ? 1 : 0, true);
    at += 8;
    if (chunk) {
      out.set(chunk, at);
      at += chunkBytes;
    }
  }
  out.set(createHash('sha256').update(out.subarray(0, at)).digest(), at);
  return out;
}

/** The log bytes of a batch (tests build torn and complete logs with it). */
export const encodeForTest = encodeBatch;

function decodeBatch(bytes: Uint8Array, chunkBytes: number): Map<number, Uint8Array | null> | null {
  if (bytes.length < 8 + DIGEST_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== WAL_MAGIC) return null;
  const count = view.getUint32(4, true);
  const chunks = new Map<number, Uint8Array | null>();
  let at = 8;
  for (let i = 0; i < count; i++) {
    if (at + 8 > bytes.length) return null;
    const index = view.getUint32(at, true);
    const present = view.getUint32(at + 4, true) === 1;
    at += 8;
    if (present && at + chunkBytes > bytes.length) return null;
    chunks.set(index, present ? bytes.subarray(at, at + chunkBytes) : null);
    if (present) at += chunkBytes;
  }
  if (at + DIGEST_BYTES > bytes.length) return null;
  const digest = createHash('sha256').update(bytes.subarray(0, at)).digest();
  return Buffer.compare(digest, bytes.subarray(at, at + DIGEST_BYTES)) === 0 ? chunks : null;
}

async function applyBatch(image: FileHandle, chunks: ReadonlyMap<number, Uint8Array | null>, chunkBytes: number, zeros: Uint8Array): Promise<void> {
  for (const [index, chunk] of chunks) await image.write(chunk ?? zeros, 0, chunkBytes, index * chunkBytes);
  await image.datasync();
}

async function replay(image: FileHandle, wal: FileHandle, chunkBytes: number): Promise<void> {
  const { size } = await wal.stat();
  if (size === 0) return;
  const bytes = new Uint8Array(size);
  await wal.read(bytes, 0, size, 0);
  const batch = decodeBatch(bytes, chunkBytes);
  if (batch) await applyBatch(image, batch, chunkBytes, new Uint8Array(chunkBytes));
  await wal.truncate(0);
  await wal.datasync();
}
