// The store is not trusted: a blob is content-addressed, so every read is checked against its
// digest. A blob whose bytes no longer hash to its name (a flipped bit, a truncated file) is
// reported by name, taken out of the store so that `docker pull` (or the next save) can put the
// right bytes back, and never handed to its reader as if it were good.
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

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
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
