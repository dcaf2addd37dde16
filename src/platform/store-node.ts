// The image store's Node backend: a directory. Blobs live in blobs/sha256/<hex>, written to a temp
// name and renamed. Metadata is one JSON file per key (named by the key's sha256, the key stored
// inside), held in memory after open. A batch is applied in three steps: every new value is written
// to a temp file (running out of disk here leaves nothing behind), then a journal naming the renames
// and deletions is written atomically (the commit point), then they are applied and the journal
// removed. Opening a store finishes a journal left by a crash and removes stray temp files.
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

const QUOTA_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

function isQuotaError(error: unknown): boolean {
  return QUOTA_CODES.has((error as NodeJS.ErrnoException)?.code ?? '');
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function tempSuffix(): string {
  return `.tmp-${randomBytes(6).toString('hex')}`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Writes via a temp file and a rename; on failure the temp file is removed and quota errors typed. */
async function writeAtomically(path: string, bytes: Uint8Array | string): Promise<void> {
  const temp = path + tempSuffix();
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw isQuotaError(error) ? new StoreQuotaError(undefined, { cause: error }) : error;
  }
}

class DirectoryBlobStore implements BlobStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  #path(digest: BlobDigest): string {
    if (!isBlobDigest(digest)) throw new Error(`invalid blob digest ${JSON.stringify(digest)}`);
    return join(this.#dir, digest.slice(7));
  }

  async has(digest: BlobDigest): Promise<boolean> {
    return exists(this.#path(digest));
  }

  async get(digest: BlobDigest): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.#path(digest)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async put(digest: BlobDigest, bytes: Uint8Array, size?: number): Promise<void> {
    checkBlob(digest, bytes, sha256(bytes), size);
    if (await this.has(digest)) return;
    await writeAtomically(this.#path(digest), bytes);
  }

  async delete(digest: BlobDigest): Promise<void> {
    await rm(this.#path(digest), { force: true });
  }

  async list(): Promise<BlobDigest[]> {
    const names = await readdir(this.#dir);
    return names
      .map((name): BlobDigest => `sha256:${name}`)
      .filter(isBlobDigest)
      .sort();
  }
}

interface MetaFile {
  key: string;
  value: unknown;
}

interface Journal {
  /** [temp file name, final file name] pairs, relative to the meta directory. */
  renames: [string, string][];
  deletes: string[];
}

const JOURNAL = 'journal.json';
/**
 * Records larger than this (log chunks, saved-tree indexes) are read from their file when asked
 * for, not kept in memory: a long log must not cost the runner its size in heap.
 */
const CACHED_RECORD_BYTES = 16 * 1024;
const QUARANTINE = 'quarantine';

class DirectoryMetaStore implements MetaStore {
  readonly #dir: string;
  /** Every key, with its JSON text when small enough to keep (null: read the file). */
  readonly #values = new Map<string, string | null>();
  readonly problems: string[] = [];
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.#dir = dir;
  }

  static fileName(key: string): string {
    return `${sha256(key)}.json`;
  }

  async open(): Promise<void> {
    const journal = await readFile(join(this.#dir, JOURNAL), 'utf8').catch(() => null);
    if (journal !== null) await this.#apply(JSON.parse(journal) as Journal);
    for (const name of await readdir(this.#dir)) {
      if (name.includes('.tmp-')) {
        await rm(join(this.#dir, name), { force: true });
      } else if (name.endsWith('.json') && name !== JOURNAL) {
        const text = await readFile(join(this.#dir, name), 'utf8');
        try {
          const file = JSON.parse(text) as MetaFile;
          if (typeof file?.key !== 'string' || !('value' in file)) throw new Error('not a metadata record');
          this.#remember(file.key, JSON.stringify(file.value));
        } catch (error) {
          // One unreadable record must not keep the host from starting: it is set aside, named,
          // and everything else opens as usual.
          await mkdir(join(this.#dir, QUARANTINE), { recursive: true });
          await rename(join(this.#dir, name), join(this.#dir, QUARANTINE, name));
          const key = /^\{"key":("(?:[^"\\]|\\.)*")/.exec(text)?.[1];
          this.problems.push(`metadata record ${key ? JSON.parse(key) : name} is unreadable (${(error as Error).message}); set aside as meta/${QUARANTINE}/${name}`);
        }
      }
    }
  }

  #remember(key: string, text: string): void {
    this.#values.set(key, text.length <= CACHED_RECORD_BYTES ? text : null);
  }

  async #read<T>(key: string): Promise<T | undefined> {
    const text = this.#values.get(key);
    if (text === undefined) return undefined;
    if (text !== null) return JSON.parse(text) as T;
    // Files are replaced by rename: a read sees the old record or the new one, never half of one.
    const file = await readFile(join(this.#dir, DirectoryMetaStore.fileName(key)), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null; // deleted by a commit finishing now
      throw error;
    });
    return file === null ? undefined : ((JSON.parse(file) as MetaFile).value as T);
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.#read<T>(key);
  }

  async list<T>(prefix: string): Promise<[string, T][]> {
    const keys = [...this.#values.keys()].filter((k) => k.startsWith(prefix)).sort();
    const out: [string, T][] = [];
    for (const k of keys) {
      const value = await this.#read<T>(k);
      if (value !== undefined) out.push([k, value]);
    }
    return out;
  }

  commit(batch: MetaBatch): Promise<void> {
    // Batches apply one at a time, in call order, whatever each one's outcome.
    const run = this.#queue.then(() => this.#commit(batch));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #commit(batch: MetaBatch): Promise<void> {
    const puts = (batch.put ?? []).map(([key, value]) => ({ key, text: JSON.stringify(value) }));
    const journal: Journal = { renames: [], deletes: [] };
    try {
      for (const { key, text } of puts) {
        const name = DirectoryMetaStore.fileName(key);
        const temp = name + tempSuffix();
        journal.renames.push([temp, name]);
        await writeFile(join(this.#dir, temp), `{"key":${JSON.stringify(key)},"value":${text}}`);
      }
      journal.deletes = (batch.delete ?? []).map((key) => DirectoryMetaStore.fileName(key));
      await writeAtomically(join(this.#dir, JOURNAL), JSON.stringify(journal));
    } catch (error) {
      await Promise.all(journal.renames.map(([temp]) => rm(join(this.#dir, temp), { force: true })));
      throw isQuotaError(error) ? new StoreQuotaError(undefined, { cause: error }) : error;
    }
    await this.#apply(journal);
    for (const key of batch.delete ?? []) this.#values.delete(key);
    for (const { key, text } of puts) this.#remember(key, text);
  }

  /** Idempotent, so a journal found at open can be applied again however far it got. */
  async #apply(journal: Journal): Promise<void> {
    const renamed = new Set(journal.renames.map(([, name]) => name));
    for (const name of journal.deletes) {
      // Deletions come first, as in every backend: a key both deleted and put ends up put.
      if (!renamed.has(name)) await rm(join(this.#dir, name), { force: true });
    }
    for (const [temp, name] of journal.renames) {
      try {
        await rename(join(this.#dir, temp), join(this.#dir, name));
      } catch (error) {
        // Already renamed by an earlier, interrupted application of this journal.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    await unlink(join(this.#dir, JOURNAL)).catch((error: NodeJS.ErrnoException) => {
      // Applied and removed already (by the application this one repeats).
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/** Opens (creating if needed) an image store in `dir`, finishing any batch a crash interrupted. */
export async function openNodeStore(dir: string): Promise<Stores> {
  const blobDir = join(dir, 'blobs', 'sha256');
  const metaDir = join(dir, 'meta');
  await mkdir(blobDir, { recursive: true });
  await mkdir(metaDir, { recursive: true });
  // Temp blobs from an interrupted put are garbage: the put never returned.
  for (const name of await readdir(blobDir)) if (name.includes('.tmp-')) await rm(join(blobDir, name), { force: true });
  const meta = new DirectoryMetaStore(metaDir);
  await meta.open();
  return { blobs: new DirectoryBlobStore(blobDir), meta, problems: meta.problems };
}
