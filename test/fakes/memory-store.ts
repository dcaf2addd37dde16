// An in-memory BlobStore + MetaStore for unit tests. It records every call (typed) and can be given
// a byte quota, so tests can check what the engine does when storage runs out.
import { sha256Hex } from '../../src/engine/image/validate.ts';
import {
  StoreQuotaError,
  checkBlob,
  type BlobDigest,
  type BlobStore,
  type MetaBatch,
  type MetaStore,
  type Stores,
} from '../../src/protocol/store.ts';

export type StoreCall =
  | { op: 'blob.put'; digest: BlobDigest }
  | { op: 'blob.delete'; digest: BlobDigest }
  | { op: 'meta.commit'; batch: MetaBatch };

export interface MemoryStoreOptions {
  /** Total blob bytes allowed; a put beyond it fails with StoreQuotaError. */
  quotaBytes?: number;
}

export class MemoryBlobStore implements BlobStore {
  readonly blobs = new Map<BlobDigest, Uint8Array>();
  readonly calls: StoreCall[];
  quotaBytes: number;

  constructor(calls: StoreCall[] = [], options: MemoryStoreOptions = {}) {
    this.calls = calls;
    this.quotaBytes = options.quotaBytes ?? Infinity;
  }

  get usedBytes(): number {
    let n = 0;
    for (const b of this.blobs.values()) n += b.length;
    return n;
  }

  async has(digest: BlobDigest): Promise<boolean> {
    return this.blobs.has(digest);
  }

  async get(digest: BlobDigest): Promise<Uint8Array | null> {
    return this.blobs.get(digest) ?? null;
  }

  async put(digest: BlobDigest, bytes: Uint8Array, size?: number): Promise<void> {
    this.calls.push({ op: 'blob.put', digest });
    checkBlob(digest, bytes, await sha256Hex(bytes), size);
    if (this.blobs.has(digest)) return;
    if (this.usedBytes + bytes.length > this.quotaBytes) throw new StoreQuotaError();
    // A copy: the caller may reuse its buffer, as with a real backend.
    this.blobs.set(digest, bytes.slice());
  }

  async delete(digest: BlobDigest): Promise<void> {
    this.calls.push({ op: 'blob.delete', digest });
    this.blobs.delete(digest);
  }

  async list(): Promise<BlobDigest[]> {
    return [...this.blobs.keys()].sort();
  }
}

export class MemoryMetaStore implements MetaStore {
  readonly entries = new Map<string, string>();
  readonly calls: StoreCall[];

  constructor(calls: StoreCall[] = []) {
    this.calls = calls;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = this.entries.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async list<T>(prefix: string): Promise<[string, T][]> {
    return [...this.entries.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .map((k) => [k, JSON.parse(this.entries.get(k)!) as T]);
  }

  async commit(batch: MetaBatch): Promise<void> {
    this.calls.push({ op: 'meta.commit', batch: structuredClone(batch) });
    // Serialise everything before touching the map, so a bad value changes nothing.
    const puts = (batch.put ?? []).map(([k, v]) => [k, JSON.stringify(v)] as const);
    for (const key of batch.delete ?? []) this.entries.delete(key);
    for (const [k, v] of puts) this.entries.set(k, v);
  }
}

export function memoryStores(options: MemoryStoreOptions = {}): Stores & { calls: StoreCall[]; blobs: MemoryBlobStore; meta: MemoryMetaStore } {
  const calls: StoreCall[] = [];
  return { calls, blobs: new MemoryBlobStore(calls, options), meta: new MemoryMetaStore(calls) };
}
