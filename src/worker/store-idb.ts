// The image store's browser backend: two IndexedDB object stores through idb-keyval (one database
// each, as idb-keyval creates one store per database). The store logic is written against
// `KeyValueTable`, so tests can run it over a Map; `idbTable` is the thin IndexedDB binding, where a
// metadata batch is one readwrite transaction (IndexedDB makes it all-or-nothing).
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import { sha256Hex } from '../lib/digest.ts';
import {
  StoreQuotaError,
  checkBlob,
  isBlobDigest,
  type BlobDigest,
  type BlobStore,
  type MetaBatch,
  type MetaStore,
  type Stores,
} from '../protocol/store.ts';

/** The few operations the backend needs from an object store. */
export interface KeyValueTable {
  get(key: string): Promise<unknown>;
  has(key: string): Promise<boolean>;
  /** Entries whose key starts with `prefix`, in ascending key order. */
  entries(prefix: string): Promise<[string, unknown][]>;
  keys(): Promise<string[]>;
  /** Deletes then puts, in one transaction: all or nothing. */
  write(puts: [string, unknown][], deletes: string[]): Promise<void>;
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'QuotaExceededError';
}

async function typed<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw isQuotaError(error) ? new StoreQuotaError(undefined, { cause: error }) : error;
  }
}

/** `prefix` up to the highest string sharing it: IDBKeyRange bounds for a prefix scan. */
function prefixRange(prefix: string): IDBKeyRange | undefined {
  return prefix === '' ? undefined : IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

export function idbTable(dbName: string, storeName: string): KeyValueTable {
  const use: UseStore = createStore(dbName, storeName);
  return {
    get: (key) => use('readonly', (s) => promisifyRequest(s.get(key))),
    has: (key) => use('readonly', (s) => promisifyRequest(s.count(key))).then((n) => n > 0),
    keys: () => use('readonly', (s) => promisifyRequest(s.getAllKeys())).then((ks) => ks.map(String)),
    entries: (prefix) =>
      use('readonly', async (s) => {
        const range = prefixRange(prefix);
        const [keys, values] = await Promise.all([promisifyRequest(s.getAllKeys(range)), promisifyRequest(s.getAll(range))]);
        return keys.map((k, i): [string, unknown] => [String(k), values[i]]);
      }),
    write: (puts, deletes) =>
      use('readwrite', (s) => {
        for (const key of deletes) s.delete(key);
        for (const [key, value] of puts) s.put(value, key);
        // Resolves on the transaction's complete event, rejects (QuotaExceededError) on abort.
        return promisifyRequest(s.transaction);
      }),
  };
}

export class TableBlobStore implements BlobStore {
  readonly #table: KeyValueTable;

  constructor(table: KeyValueTable) {
    this.#table = table;
  }

  has(digest: BlobDigest): Promise<boolean> {
    return this.#table.has(digest);
  }

  async get(digest: BlobDigest): Promise<Uint8Array | null> {
    const value = await this.#table.get(digest);
    return value instanceof Uint8Array ? value : null;
  }

  async put(digest: BlobDigest, bytes: Uint8Array, size?: number): Promise<void> {
    checkBlob(digest, bytes, await sha256Hex(bytes), size);
    if (await this.#table.has(digest)) return;
    await typed(this.#table.write([[digest, bytes]], []));
  }

  delete(digest: BlobDigest): Promise<void> {
    return typed(this.#table.write([], [digest]));
  }

  async list(): Promise<BlobDigest[]> {
    return (await this.#table.keys()).filter(isBlobDigest).sort();
  }
}

export class TableMetaStore implements MetaStore {
  readonly #table: KeyValueTable;

  constructor(table: KeyValueTable) {
    this.#table = table;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.#table.get(key)) as T | undefined;
  }

  async list<T>(prefix: string): Promise<[string, T][]> {
    return (await this.#table.entries(prefix)) as [string, T][];
  }

  async commit(batch: MetaBatch): Promise<void> {
    // A JSON round trip keeps stored values plain data, as the other backends do.
    const puts = (batch.put ?? []).map(([k, v]): [string, unknown] => [k, JSON.parse(JSON.stringify(v))]);
    await typed(this.#table.write(puts, batch.delete ?? []));
  }
}

export function tableStores(blobs: KeyValueTable, meta: KeyValueTable): Stores {
  return { blobs: new TableBlobStore(blobs), meta: new TableMetaStore(meta) };
}

/** The browser's image store: databases `<prefix>-blobs` and `<prefix>-meta`. */
export function openIdbStores(prefix = 'slipway-images'): Stores {
  return tableStores(idbTable(`${prefix}-blobs`, 'blobs'), idbTable(`${prefix}-meta`, 'meta'));
}
