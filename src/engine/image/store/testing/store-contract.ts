// The invariants every BlobStore/MetaStore backend must keep, run against each backend's factory.
import { expect, it } from 'vitest';
import { BlobIntegrityError, type BlobDigest, type Stores } from '../../../../protocol/store.ts';
import { sha256Hex } from '../../validate.ts';

export async function blobOf(text: string): Promise<{ digest: BlobDigest; bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text);
  return { digest: `sha256:${await sha256Hex(bytes)}`, bytes };
}

/** Registers the shared store tests; `open` returns a fresh, empty store (or reopens `dir`). */
export function storeContract(open: () => Promise<Stores>): void {
  it('stores, lists and deletes blobs by digest', async () => {
    const { blobs } = await open();
    const a = await blobOf('a');
    const b = await blobOf('b');
    expect(await blobs.has(a.digest)).toBe(false);
    expect(await blobs.get(a.digest)).toBeNull();
    await blobs.put(a.digest, a.bytes, 1);
    await blobs.put(b.digest, b.bytes);
    await blobs.put(a.digest, a.bytes);
    expect(await blobs.has(a.digest)).toBe(true);
    expect(new TextDecoder().decode((await blobs.get(a.digest))!)).toBe('a');
    expect(await blobs.list()).toEqual([a.digest, b.digest].sort());
    await blobs.delete(a.digest);
    await blobs.delete(a.digest);
    expect(await blobs.list()).toEqual([b.digest]);
  });

  it('refuses blobs that do not match their digest or size', async () => {
    const { blobs } = await open();
    const a = await blobOf('a');
    const b = await blobOf('b');
    await expect(blobs.put(a.digest, b.bytes)).rejects.toThrow(BlobIntegrityError);
    await expect(blobs.put(a.digest, a.bytes, 2)).rejects.toThrow(`blob ${a.digest} is 1 bytes, expected 2`);
    await expect(blobs.put('sha256:xyz' as BlobDigest, a.bytes)).rejects.toThrow('invalid blob digest "sha256:xyz"');
    expect(await blobs.list()).toEqual([]);
  });

  it('keeps a stored blob independent of the caller’s buffer', async () => {
    const { blobs } = await open();
    const a = await blobOf('a');
    await blobs.put(a.digest, a.bytes);
    a.bytes[0] = 0x7a;
    expect(new TextDecoder().decode((await blobs.get(a.digest))!)).toBe('a');
  });

  it('commits metadata batches: puts, deletes, prefix lists in key order', async () => {
    const { meta } = await open();
    await meta.commit({ put: [['ref/b', { id: 2 }], ['ref/a', { id: 1 }], ['image/x', { n: [1, 'two', null, true] }]] });
    expect(await meta.get('ref/a')).toEqual({ id: 1 });
    expect(await meta.get('missing')).toBeUndefined();
    expect(await meta.list('ref/')).toEqual([['ref/a', { id: 1 }], ['ref/b', { id: 2 }]]);
    expect(await meta.list('')).toHaveLength(3);
    await meta.commit({ delete: ['ref/a', 'nothing'], put: [['ref/c', 'three']] });
    expect(await meta.list('ref/')).toEqual([['ref/b', { id: 2 }], ['ref/c', 'three']]);
    // A key both deleted and put in one batch ends up put.
    await meta.commit({ delete: ['ref/b'], put: [['ref/b', { id: 22 }]] });
    expect(await meta.get('ref/b')).toEqual({ id: 22 });
  });

  it('stores values as plain JSON, not references to the caller’s objects', async () => {
    const { meta } = await open();
    const value = { list: [1] };
    await meta.commit({ put: [['k', value]] });
    value.list.push(2);
    expect(await meta.get('k')).toEqual({ list: [1] });
  });

  it('applies nothing of a batch that cannot be serialised', async () => {
    const { meta } = await open();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(meta.commit({ put: [['a', 1], ['b', cyclic]] })).rejects.toThrow();
    expect(await meta.list('')).toEqual([]);
  });

  it('keeps keys with any characters apart', async () => {
    const { meta } = await open();
    const keys = ['ref/docker.io/library/busybox:latest', 'ref/docker.io/library/busybox@sha256:00', 'ref/localhost:5000/a/b:v1', 'ref/ünï/cödé'];
    await meta.commit({ put: keys.map((k, i): [string, unknown] => [k, i]) });
    expect(await meta.list('ref/')).toEqual(keys.map((k, i) => [k, i]).sort((x, y) => (x[0]! < y[0]! ? -1 : 1)));
  });
}
