// The container log as a stream: chunks in the store, an index in memory, --tail and --since
// reading only what they need, and the format before the index still read.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import { openNodeStore } from '../../platform/store-node.ts';
import type { MetaStore } from '../../protocol/store.ts';
import { ContainerLog, LOG_CHUNK_BYTES, linesIn, type LogEntry } from './logs.ts';

const text = (entries: LogEntry[]) => entries.map((e) => new TextDecoder().decode(e.data)).join('');

async function readAll(log: ContainerLog, from = 0): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const [, e] of log.read(from)) out.push(e);
  return out;
}

/** A MetaStore that counts the chunks read. */
function counting(meta: MetaStore) {
  const gets: string[] = [];
  return { gets, meta: { ...meta, get: <T>(key: string) => (gets.push(key), meta.get<T>(key)), list: meta.list.bind(meta), commit: meta.commit.bind(meta) } as MetaStore };
}

describe('ContainerLog', () => {
  it('counts lines as docker logs does: newlines and a final partial line', () => {
    expect([linesIn(new TextEncoder().encode('a\nb\n')), linesIn(new TextEncoder().encode('a\nb')), linesIn(new Uint8Array())]).toEqual([2, 2, 0]);
  });

  it('stores in chunks, reloads from its index, and reads from any entry', async () => {
    const { meta } = memoryStores();
    const log = new ContainerLog('c1', meta);
    for (let i = 0; i < 5; i++) log.append(i % 2 ? 'stderr' : 'stdout', new TextEncoder().encode(`line ${i}\n`), 1000 + i);
    await log.flush();
    log.append('stdout', new TextEncoder().encode('pending\n'), 2000);
    expect(text(await readAll(log))).toBe('line 0\nline 1\nline 2\nline 3\nline 4\npending\n');
    await log.flush();
    const again = await ContainerLog.load('c1', meta);
    expect(again.length).toBe(6);
    const entries = await readAll(again, 3);
    expect(text(entries)).toBe('line 3\nline 4\npending\n');
    expect(entries.map((e) => e.stream)).toEqual(['stderr', 'stdout', 'stdout']);
    expect(again.startFor(1)).toEqual({ from: 5, skipLines: 0 });
    expect(again.startFor(3)).toEqual({ from: 0, skipLines: 3 });
    expect(again.startFor(0)).toEqual({ from: 6, skipLines: 0 });
    expect(again.startFor(Infinity, 1500)).toEqual({ from: 5, skipLines: 0 });
    await again.remove();
    expect(await meta.list('logs')).toEqual([]);
  });

  it('reads the format stored before the index, and indexes it once', async () => {
    const { meta } = memoryStores();
    await meta.commit({ put: [['logs/old/00000000', { entries: [{ s: 0, t: 1, d: btoa('a\n') }, { s: 1, t: 2, d: btoa('b\n') }] }]] });
    const log = await ContainerLog.load('old', meta);
    expect(text(await readAll(log))).toBe('a\nb\n');
    expect(await meta.get('logindex/old')).toBeDefined();
  });

  it('reads the last line of a 100 MB log from one chunk, in bounded memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-logs-'));
    try {
      const stores = await openNodeStore(dir);
      const writer = new ContainerLog('big', stores.meta);
      const line = new TextEncoder().encode('x'.repeat(99) + '\n');
      const block = new Uint8Array(LOG_CHUNK_BYTES);
      for (let i = 0; i < block.length; i += line.length) block.set(line.subarray(0, Math.min(line.length, block.length - i)), i);
      block[block.length - 1] = 0x0a;
      for (let i = 0; i < (100 << 20) / LOG_CHUNK_BYTES; i++) {
        writer.append('stdout', block, i);
        await writer.flush();
      }
      writer.append('stdout', new TextEncoder().encode('the end\n'), 1e9);
      await writer.flush();

      const { gets, meta } = counting(stores.meta);
      const before = process.memoryUsage();
      const log = await ContainerLog.load('big', meta);
      const { from, skipLines } = log.startFor(1);
      const tail = await readAll(log, from);
      const after = process.memoryUsage();
      expect(skipLines).toBe(0);
      expect(text(tail)).toBe('the end\n');
      expect(gets.filter((k) => k.startsWith('logs/'))).toHaveLength(1);
      expect(after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)).toBeLessThan(16 << 20);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe('rotation (max-size × max-file)', () => {
    const line = (i: number) => new TextEncoder().encode(`line ${String(i).padStart(4, '0')}\n`); // 10 bytes

    it('drops the oldest chunks beyond maxBytes, keeps reading from what is left, and stays within bounds', async () => {
      const { meta } = memoryStores();
      // json-file max-size=30 max-file=2: chunks of 30 bytes, at most 60 bytes kept.
      const log = new ContainerLog('rot', meta, { maxBytes: 60, chunkBytes: 30 });
      for (let i = 0; i < 20; i++) log.append('stdout', line(i), i);
      await log.flush();
      expect(log.length).toBe(20);
      // Chunks of three entries (30 bytes) and the last two: 20 + 30 bytes are kept, 80 would be too many.
      expect(text(await readAll(log))).toBe([15, 16, 17, 18, 19].map((i) => `line ${String(i).padStart(4, '0')}\n`).join(''));
      expect((await meta.list('logs/rot/')).length).toBe(2);
      // Readers positioned in dropped chunks resume at the oldest kept entry; --tail still counts lines.
      expect(text(await readAll(log, 3))).toBe(text(await readAll(log, 15)));
      expect(log.startFor(4)).toEqual({ from: 15, skipLines: 1 });

      const again = await ContainerLog.load('rot', meta, { maxBytes: 60, chunkBytes: 30 });
      expect(again.length).toBe(20);
      expect(text(await readAll(again))).toBe(text(await readAll(log)));
      await again.remove();
      expect(await meta.list('log')).toEqual([]);
    });

    it('keeps the newest chunk even when it alone is larger than maxBytes (max-file=1 truncates)', async () => {
      const { meta } = memoryStores();
      const log = new ContainerLog('one', meta, { maxBytes: 15, chunkBytes: 15 });
      for (let i = 0; i < 3; i++) log.append('stdout', line(i), i);
      await log.flush();
      expect(text(await readAll(log))).toBe('line 0002\n');
      log.append('stderr', new TextEncoder().encode('x'.repeat(29) + '\n'), 3);
      await log.flush();
      expect(text(await readAll(log))).toBe('x'.repeat(29) + '\n');
      expect((await meta.list('logs/one/')).length).toBe(1);
    });

    it('keeps everything without a retention, as before', async () => {
      const { meta } = memoryStores();
      const log = new ContainerLog('all', meta);
      for (let i = 0; i < 20; i++) {
        log.append('stdout', line(i), i);
        await log.flush();
      }
      expect((await readAll(log)).length).toBe(20);
    });
  });
});
