// The store is not trusted: a blob is content-addressed, so every read is checked against its
// digest. A blob whose bytes no longer hash to its name (a flipped bit, a truncated file) is
// reported by name, taken out of the store so that `docker pull` (or the next save) can put the
// right bytes back, and never handed to its reader as if it were good.
import { sha256Hex } from '../../lib/digest.ts';
import type { BlobDigest, BlobStore } from '../../protocol/store.ts';

export class CorruptBlobError extends Error {
  override name = 'CorruptBlobError';
  constructor(
    readonly digest: BlobDigest,
    actual: string,
  ) {
    super(`blob ${digest} is corrupt in the store (its content hashes to sha256:${actual}); it was removed, and docker pull puts an image layer back`);
  }
}

/** `blobs` with every get verified; `onCorrupt` hears each corrupt blob once it is removed. */
export function verifiedBlobs(blobs: BlobStore, onCorrupt: (error: CorruptBlobError) => void = () => {}): BlobStore {
  return {
    has: (digest) => blobs.has(digest),
    put: (digest, bytes, size) => blobs.put(digest, bytes, size),
    delete: (digest) => blobs.delete(digest),
    list: () => blobs.list(),
    async get(digest) {
      const bytes = await blobs.get(digest);
      if (!bytes) return null;
      const actual = await sha256Hex(bytes);
      if (`sha256:${actual}` === digest) return bytes;
      await blobs.delete(digest);
      const error = new CorruptBlobError(digest, actual);
      onCorrupt(error);
      throw error;
    },
  };
}

/** True when the blob is stored with the right content (a corrupt one is removed). */
export async function blobIsIntact(blobs: BlobStore, digest: BlobDigest): Promise<boolean> {
  try {
    return (await blobs.get(digest)) !== null;
  } catch (e) {
    if (e instanceof CorruptBlobError) return false;
    throw e;
  }
}
