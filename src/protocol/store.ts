// The persistence boundary of the engine: content-addressed blobs and a small JSON key-value store.
// The engine sees only these interfaces; backends are a directory (Node), IndexedDB (browser
// worker) and memory (tests). Writers put blobs first and commit metadata last, so metadata never
// names a blob that is not there; a crash in between leaves only unreferenced blobs to collect.

/** `sha256:` and 64 lowercase hex digits, the only algorithm the store accepts. */
export type BlobDigest = `sha256:${string}`;

export interface BlobStore {
  has(digest: BlobDigest): Promise<boolean>;
  get(digest: BlobDigest): Promise<Uint8Array | null>;
  /**
   * Stores `bytes` under `digest` after checking that they hash to it (and are `size` bytes when
   * given). Putting a blob that is already stored does nothing.
   */
  put(digest: BlobDigest, bytes: Uint8Array, size?: number): Promise<void>;
  /** Removing a missing blob is not an error. */
  delete(digest: BlobDigest): Promise<void>;
  list(): Promise<BlobDigest[]>;
}

/** One atomic change to the metadata: every put and delete becomes visible together, or none. */
export interface MetaBatch {
  put?: [key: string, value: unknown][];
  delete?: string[];
}

/** Values are plain JSON (objects, arrays, strings, numbers, booleans, null). */
export interface MetaStore {
  get<T>(key: string): Promise<T | undefined>;
  /** Every key starting with `prefix`, in ascending key order. */
  list<T>(prefix: string): Promise<[key: string, value: T][]>;
  commit(batch: MetaBatch): Promise<void>;
}

export interface Stores {
  blobs: BlobStore;
  meta: MetaStore;
  /** Pieces the backend found unreadable when it opened and set aside, each named. */
  problems?: readonly string[];
}

/** The backend ran out of space (disk full, browser quota). Nothing of the failed write is visible. */
export class StoreQuotaError extends Error {
  override name = 'StoreQuotaError';
  constructor(message = 'no space left in the image store', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bytes handed to `BlobStore.put` do not match their digest or size. */
export class BlobIntegrityError extends Error {
  override name = 'BlobIntegrityError';
}

export const BLOB_DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

export function isBlobDigest(value: unknown): value is BlobDigest {
  return typeof value === 'string' && BLOB_DIGEST_PATTERN.test(value);
}

/** The checks every backend makes before storing a blob; `actualHex` is the bytes' sha256. */
export function checkBlob(digest: string, bytes: Uint8Array, actualHex: string, size?: number): void {
  if (!isBlobDigest(digest)) throw new BlobIntegrityError(`invalid blob digest ${JSON.stringify(digest)}`);
  if (size !== undefined && bytes.length !== size) {
    throw new BlobIntegrityError(`blob ${digest} is ${bytes.length} bytes, expected ${size}`);
  }
  if (`sha256:${actualHex}` !== digest) {
    throw new BlobIntegrityError(`blob content hashes to sha256:${actualHex}, expected ${digest}`);
  }
}
