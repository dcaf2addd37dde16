import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeForTest, openNodeDisk } from '../../platform/disk-node.ts';
import { BlockDisk, DISK_CHUNK_BYTES, DiskTunables, parseTemplate, DISK_BYTES } from './disk.ts';
import type { DiskStore } from './platform.ts';

const C = DISK_CHUNK_BYTES;

/** A store in memory; `gate` holds commits until released. */
function memoryStore() {
  const chunks = new Map<number, Uint8Array>();
  let gate: Promise<void> | null = null;
  let fail: Error | null = null;
  const store: DiskStore & { chunks: Map<number, Uint8Array>; hold(): () => void; failWith(e: Error | null): void } = {
    chunks,
    read: async (i) => chunks.get(i)?.slice() ?? null,
    commit: async (batch) => {
      if (gate) await gate;
      if (fail) throw fail;
      for (const [i, c] of batch) {
        if (c) chunks.set(i, c.slice());
        else chunks.delete(i);
      }
    },
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
    failWith(e) {
      fail = e;
    },
  };
  return store;
}

function read(disk: BlockDisk, start: number, length: number): Promise<Uint8Array> {
  return new Promise((resolve) => disk.get(start, length, resolve));
}

function write(disk: BlockDisk, start: number, data: Uint8Array): Promise<void> {
  return new Promise((resolve) => disk.set(start, data, resolve));
}

const filled = (n: number, byte: number) => new Uint8Array(n).fill(byte);
/** Timers fire only when the test says so. */
function manualTimers() {
  const due: (() => void)[] = [];
  return { setTimer: (fn: () => void) => void due.push(fn), fire: () => due.splice(0).forEach((f) => f()) };
}

describe('BlockDisk', () => {
  it('reads zeros where nothing was written, and its own writes across chunk edges', async () => {
    const disk = new BlockDisk({ store: memoryStore(), setTimer: () => undefined });
    expect(await read(disk, C * 3, 1024)).toEqual(filled(1024, 0));
    await write(disk, C - 512, filled(1024, 7));
    expect(await read(disk, C - 1024, 2048)).toEqual(new Uint8Array([...filled(512, 0), ...filled(1024, 7), ...filled(512, 0)]));
  });

  it('commits a batch of the disk at one instant; a write during a commit waits for the next', async () => {
    const store = memoryStore();
    const timers = manualTimers();
    const disk = new BlockDisk({ store, setTimer: timers.setTimer });
    await write(disk, 0, filled(512, 1));
    await write(disk, C, filled(512, 2));
    const release = store.hold();
    timers.fire();
    // Written while the first batch is in flight: neither in that batch nor lost.
    await write(disk, 0, filled(512, 3));
    expect(store.chunks.size).toBe(0);
    release();
    await disk.flush();
    expect(store.chunks.get(0)!.subarray(0, 512)).toEqual(filled(512, 3));
    expect(store.chunks.get(1)!.subarray(0, 512)).toEqual(filled(512, 2));
    expect(disk.commits).toBe(2);
  });

  it('keeps the previous commit intact while the next is in flight (copy on write)', async () => {
    const store = memoryStore();
    const timers = manualTimers();
    const disk = new BlockDisk({ store, setTimer: timers.setTimer });
    await write(disk, 0, filled(C, 1));
    const release = store.hold();
    timers.fire();
    await write(disk, 512, filled(512, 9));
    release();
    await disk.flush();
    const chunk = store.chunks.get(0)!;
    expect(chunk.subarray(0, 512)).toEqual(filled(512, 1));
    expect(chunk.subarray(512, 1024)).toEqual(filled(512, 9));
  });

  it('stores a chunk written back to zeros as absent', async () => {
    const store = memoryStore();
    const disk = new BlockDisk({ store, setTimer: () => undefined });
    await write(disk, 0, filled(512, 5));
    await disk.flush();
    expect(store.chunks.has(0)).toBe(true);
    await write(disk, 0, filled(512, 0));
    await disk.flush();
    expect(store.chunks.has(0)).toBe(false);
  });

  it('keeps the chunks of a failed commit for the next one and says so', async () => {
    const store = memoryStore();
    const problems: (string | null)[] = [];
    const timers = manualTimers();
    const disk = new BlockDisk({ store, setTimer: timers.setTimer, onProblem: (m) => problems.push(m) });
    await write(disk, 0, filled(512, 4));
    store.failWith(new Error('quota'));
    await expect(disk.flush()).rejects.toThrow(/could not be saved/);
    expect(problems[0]).toMatch(/could not be saved \(quota\)/);
    expect(await read(disk, 0, 512)).toEqual(filled(512, 4));
    store.failWith(null);
    await disk.flush();
    expect(store.chunks.get(0)!.subarray(0, 512)).toEqual(filled(512, 4));
    expect(problems.at(-1)).toBeNull();
  });

  it('holds write completions while more than the bound is uncommitted', async () => {
    const store = memoryStore();
    const disk = new BlockDisk({ store, setTimer: () => undefined });
    const release = store.hold();
    const chunks = DiskTunables.maxPendingBytes / C + 1;
    let done = false;
    const writes = (async () => {
      for (let i = 0; i < chunks; i++) await write(disk, i * C, filled(C, 1));
      done = true;
    })();
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    release();
    await writes;
    await disk.flush();
    expect(store.chunks.size).toBe(chunks);
  });

  it('formats an empty store from the template, and only an empty one', async () => {
    const store = memoryStore();
    const header = new TextEncoder().encode(`slipway-disk 1 ${DISK_BYTES} ${C}\n`);
    const record = new Uint8Array(4 + C);
    record.set(filled(C, 8), 4);
    const gz = new Uint8Array(await new Response(new Blob([header, record]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    await BlockDisk.open({ store, template: async () => gz });
    expect(store.chunks.get(0)).toEqual(filled(C, 8));
    store.chunks.set(0, filled(C, 6));
    await BlockDisk.open({ store, template: async () => gz });
    expect(store.chunks.get(0)).toEqual(filled(C, 6));
    expect(() => parseTemplate(new TextEncoder().encode('slipway-disk 1 5 5\n'))).toThrow(/unexpected header/);
  });
});

describe('openNodeDisk', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('commits, reads back, and replays a complete log but drops a torn one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-disk-'));
    const disk = await openNodeDisk(dir, C);
    await disk.commit(new Map([[2, filled(C, 2)]]));
    expect(await disk.read(2)).toEqual(filled(C, 2));
    expect(await disk.read(1)).toBeNull();
    expect((await stat(join(dir, 'disk.wal'))).size).toBe(0);

    // A crash after the log was written, before the image was: the batch is replayed.
    const wal = await open(join(dir, 'disk.wal'), 'r+');
    const log = encodeForTest(new Map([[3, filled(C, 3)], [2, null]]), C);
    await wal.write(log, 0, log.length, 0);
    await wal.close();
    const replayed = await openNodeDisk(dir, C);
    expect(await replayed.read(3)).toEqual(filled(C, 3));
    expect(await replayed.read(2)).toBeNull();

    // A torn log (the crash came while it was written): dropped, the image is unchanged.
    const torn = await open(join(dir, 'disk.wal'), 'r+');
    const log2 = encodeForTest(new Map([[4, filled(C, 4)]]), C);
    await torn.write(log2, 0, log2.length - 10, 0);
    await torn.close();
    const after = await openNodeDisk(dir, C);
    expect(await after.read(4)).toBeNull();
    expect(await after.read(3)).toEqual(filled(C, 3));
  });
});
