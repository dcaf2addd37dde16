import { describe, expect, it } from 'vitest';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import type { BlobDigest } from '../../protocol/store.ts';
import { blobIsIntact, CorruptBlobError, verifiedBlobs } from './verified-blobs.ts';

async function digestOf(bytes: Uint8Array): Promise<BlobDigest> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return `sha256:${Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

describe('verifiedBlobs', () => {
  it('hands good blobs back, and reports, removes and refuses a corrupt one', async () => {
    const { blobs } = memoryStores();
    const good = new TextEncoder().encode('layer bytes');
    const digest = await digestOf(good);
    await blobs.put(digest, good);
    const heard: string[] = [];
    const verified = verifiedBlobs(blobs, (e) => heard.push(e.digest));
    expect(await verified.get(digest)).toEqual(good);
    // A flipped byte in the backend (the memory fake hands out its own buffer).
    const stored = (await blobs.get(digest))!;
    stored[0] = stored[0]! ^ 1;
    await expect(verified.get(digest)).rejects.toBeInstanceOf(CorruptBlobError);
    expect(heard).toEqual([digest]);
    expect(await blobs.has(digest)).toBe(false);
    expect(await blobIsIntact(verified, digest)).toBe(false);
  });
});
