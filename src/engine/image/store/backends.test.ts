// The three store backends against one contract, plus each backend's own failure handling:
// the directory's crash recovery and the quota errors of every backend.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStores } from '../../../../test/fakes/memory-store.ts';
import { openNodeStore } from '../../../platform/store-node.ts';
import { StoreQuotaError } from '../../../protocol/store.ts';
import { tableStores, type KeyValueTable } from '../../../worker/store-idb.ts';
import { blobOf, storeContract } from './testing/store-contract.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** idb-keyval-like table over a Map: structured clone on write, a transaction is all or nothing. */
function mapTable(options: { quotaBytes?: number } = {}): KeyValueTable & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const bytes = () => [...data.values()].reduce((n: number, v) => n + (v instanceof Uint8Array ? v.length : 0), 0);
  return {
    data,
    get: async (key) => structuredClone(data.get(key)),
    has: async (key) => data.has(key),
    keys: async () => [...data.keys()].sort(),
    entries: async (prefix) =>
      [...data.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort()
        .map((k): [string, unknown] => [k, structuredClone(data.get(k))]),
    write: async (puts, deletes) => {
      const added = puts.reduce((n, [, v]) => n + (v instanceof Uint8Array ? v.length : 0), 0);
      if (bytes() + added > (options.quotaBytes ?? Infinity)) throw new DOMException('quota', 'QuotaExceededError');
      for (const key of deletes) data.delete(key);
      for (const [key, value] of puts) data.set(key, structuredClone(value));
    },
  };
}

describe('memory store (test fake)', () => {
  storeContract(async () => memoryStores());

  it('fails past its quota with StoreQuotaError and stores nothing', async () => {
    const { blobs } = memoryStores({ quotaBytes: 1 });
    const ab = await blobOf('ab');
    await expect(blobs.put(ab.digest, ab.bytes)).rejects.toThrow(StoreQuotaError);
    expect(await blobs.list()).toEqual([]);
  });
});

describe('IndexedDB store logic (over a Map table)', () => {
  storeContract(async () => tableStores(mapTable(), mapTable()));

  it('turns QuotaExceededError into StoreQuotaError', async () => {
    const stores = tableStores(mapTable({ quotaBytes: 1 }), mapTable());
    const ab = await blobOf('ab');
    await expect(stores.blobs.put(ab.digest, ab.bytes)).rejects.toThrow(StoreQuotaError);
    expect(await stores.blobs.list()).toEqual([]);
  });
});

describe('directory store (Node)', () => {
  storeContract(async () => openNodeStore(await tempDir()));

  it('keeps blobs and metadata across reopening', async () => {
    const dir = await tempDir();
    const first = await openNodeStore(dir);
    const a = await blobOf('a');
    await first.blobs.put(a.digest, a.bytes);
    await first.meta.commit({ put: [['image/a', { id: a.digest }]] });
    const second = await openNodeStore(dir);
    expect(await second.blobs.list()).toEqual([a.digest]);
    expect(await second.meta.get('image/a')).toEqual({ id: a.digest });
  });

  it('opens past a truncated record: the rest is there, the record is set aside and named', async () => {
    const dir = await tempDir();
    const first = await openNodeStore(dir);
    await first.meta.commit({ put: [['containers/a', { name: 'a' }], ['containers/b', { name: 'b' }]] });
    const { createHash } = await import('node:crypto');
    const name = `${createHash('sha256').update('containers/b').digest('hex')}.json`;
    await writeFile(join(dir, 'meta', name), '{"key":"containers/b","value":{"name":"');
    const second = await openNodeStore(dir);
    expect(await second.meta.list('containers/')).toEqual([['containers/a', { name: 'a' }]]);
    expect(second.problems).toEqual([expect.stringMatching(new RegExp(`^metadata record containers/b is unreadable \\(.*\\); set aside as meta/quarantine/${name}$`))]);
    expect((await openNodeStore(dir)).problems).toEqual([]);
  });

  it('finishes a batch interrupted after its journal was written', async () => {
    const dir = await tempDir();
    const store = await openNodeStore(dir);
    await store.meta.commit({ put: [['old', 1], ['gone', 2]] });
    const names = (await readdir(join(dir, 'meta'))).sort();
    // Simulate a crash between the commit point and the renames: temp file + journal on disk.
    const { createHash } = await import('node:crypto');
    const file = (key: string) => `${createHash('sha256').update(key).digest('hex')}.json`;
    await writeFile(join(dir, 'meta', `${file('new')}.tmp-1`), '{"key":"new","value":3}');
    await writeFile(join(dir, 'meta', 'journal.json'), JSON.stringify({ renames: [[`${file('new')}.tmp-1`, file('new')]], deletes: [file('gone')] }));
    const reopened = await openNodeStore(dir);
    expect(await reopened.meta.list('')).toEqual([['new', 3], ['old', 1]]);
    expect(names).toHaveLength(2);
    expect((await readdir(join(dir, 'meta'))).sort()).toEqual([file('new'), file('old')].sort());
  });

  it('rolls back a batch interrupted before its journal: stray temp files are removed', async () => {
    const dir = await tempDir();
    await openNodeStore(dir);
    await writeFile(join(dir, 'meta', 'abc.json.tmp-2'), '{"key":"half","value":1}');
    await writeFile(join(dir, 'blobs', 'sha256', 'def.tmp-3'), 'partial');
    const reopened = await openNodeStore(dir);
    expect(await reopened.meta.list('')).toEqual([]);
    expect(await reopened.blobs.list()).toEqual([]);
    expect(await readdir(join(dir, 'meta'))).toEqual([]);
    expect(await readdir(join(dir, 'blobs', 'sha256'))).toEqual([]);
  });

  it('leaves nothing behind when a blob write fails', async () => {
    // ENOSPC itself cannot be provoked without a full filesystem; this checks the same cleanup path.
    const dir = await tempDir();
    const store = await openNodeStore(dir);
    const a = await blobOf('a');
    await rm(join(dir, 'blobs', 'sha256'), { recursive: true });
    await expect(store.blobs.put(a.digest, a.bytes)).rejects.toThrow(/ENOENT/);
    expect(await readdir(join(dir, 'blobs'))).toEqual([]);
  });
});
