// The Docker host's disk: v86's first IDE disk (/dev/sda, ext4 on /var/lib/docker in the guest),
// whose bytes live in the platform's DiskStore in fixed-size chunks.
//
// Writes land in memory and are committed to the store in batches, at most COMMIT_DELAY_MS after
// the first one. A batch holds every chunk written since the last commit, taken at one instant
// between two guest commands: the store always holds the disk as it was at some instant, never a
// mix of two. That is what a power cut leaves on a real disk (without reordering), and ext4's
// journal replays it into a consistent filesystem at the next mount. The guest's fsync therefore
// reaches the store within one commit delay plus the commit itself (`durability_lag_ms`).
//
// Chunks being committed are never modified: a write to one copies it first. When uncommitted
// bytes pile up faster than the store takes them, write completions wait (the guest's I/O slows
// down instead of memory growing). A failed commit (a full quota) keeps its chunks for the next
// one and is reported; nothing the guest wrote is dropped.
import { gunzip } from '../../lib/bytes.ts';
import type { DiskStore } from './platform.ts';

/** Keep in step with kernel-images/disk/build.sh. */
export const DISK_BYTES = 16 * 1024 ** 3;
export const DISK_CHUNK_BYTES = 64 * 1024;

export const DiskTunables = {
  commitDelayMs: 200,
  /** Written but not yet committed: past this, write completions wait for the store. */
  maxPendingBytes: 64 * 1024 * 1024,
  /** Clean chunks kept in memory for reads. */
  cacheBytes: 32 * 1024 * 1024,
  retryDelayMs: 2000,
};

type Callback<T> = (value: T) => void;

export interface DiskOptions {
  store: DiskStore;
  /** A store problem (a failed commit) that the user should hear about; `null`: solved again. */
  onProblem?: (message: string | null) => void;
  /** Timers (tests pass their own). */
  setTimer?: (fn: () => void, ms: number) => unknown;
}

/**
 * v86's disk buffer interface (`byteLength`, `get`, `set`, `get_from_cache`, `get_state`,
 * `set_state`) over the store. The state is empty: a snapshot never carries the disk.
 */
export class BlockDisk {
  readonly byteLength = DISK_BYTES;
  readonly #store: DiskStore;
  readonly #onProblem: (message: string | null) => void;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  /** Written since the last commit began. */
  #dirty = new Map<number, Uint8Array>();
  /** The batch being committed (never modified). */
  #committing: Map<number, Uint8Array> | null = null;
  /** Clean chunks, least recently used first. */
  readonly #clean = new Map<number, Uint8Array>();
  #cleanBytes = 0;
  /** Guest operations run one at a time, in order (the IDE controller issues them so anyway). */
  #queue: Promise<void> = Promise.resolve();
  #busy = 0;
  #timer = false;
  #failed = false;
  /** Resolved when the commit in flight ends. */
  #commitDone: Promise<void> | null = null;
  /** Commits done, for tests and the bench. */
  commits = 0;

  constructor(options: DiskOptions) {
    this.#store = options.store;
    this.#onProblem = options.onProblem ?? (() => {});
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  }

  /**
   * The disk over `store`, formatted from the template (dist/disk-template.gz, written by
   * kernel-images/disk/build.sh) when the store has never held it.
   */
  static async open(options: DiskOptions & { template: () => Promise<Uint8Array> }): Promise<BlockDisk> {
    if ((await options.store.read(0)) === null) await options.store.commit(parseTemplate(await gunzip(await options.template())));
    return new BlockDisk(options);
  }

  // v86's interface.

  get(start: number, length: number, done: Callback<Uint8Array>): void {
    this.#run(() => this.#read(start, length), done);
  }

  set(start: number, data: Uint8Array, done: Callback<void>): void {
    this.#run(() => this.#write(start, data), done);
  }

  /** v86 reads the first sector for a partition table when it guesses the geometry: none. */
  get_from_cache(): undefined {
    return undefined;
  }

  get_state(): [] {
    return [];
  }

  set_state(): void {}

  /** Resolves once everything written so far is in the store. */
  async flush(): Promise<void> {
    await this.#queue;
    while (this.#dirty.size || this.#committing) {
      if (!this.#committing) void this.#commit();
      await this.#commitDone;
      if (this.#failed) throw new Error('the disk could not be saved to the store');
    }
  }

  /** Bytes written by the guest and not yet in the store. */
  get pendingBytes(): number {
    return (this.#dirty.size + (this.#committing?.size ?? 0)) * DISK_CHUNK_BYTES;
  }

  /** Runs an operation after the ones before it; synchronous ones answer at once when idle. */
  #run<T>(op: () => T | Promise<T>, done: Callback<T>): void {
    if (this.#busy === 0) {
      const result = op();
      if (!(result instanceof Promise)) {
        done(result);
        return;
      }
      this.#track(result, done);
      return;
    }
    this.#track(this.#queue.then(op), done);
  }

  #track<T>(work: Promise<T>, done: Callback<T>): void {
    this.#busy++;
    const finished = work.then(done, (error: unknown) => {
      // v86 has no way to fail a disk command; the guest sees the command hang, the user the reason.
      this.#onProblem(`the disk could not be read from the store: ${(error as Error).message}`);
    });
    this.#queue = finished.finally(() => this.#busy--);
  }

  /** The chunk as the guest sees it, if it is in memory. */
  #current(index: number): Uint8Array | undefined {
    const chunk = this.#dirty.get(index) ?? this.#committing?.get(index);
    if (chunk) return chunk;
    const clean = this.#clean.get(index);
    if (clean) {
      this.#clean.delete(index);
      this.#clean.set(index, clean);
    }
    return clean;
  }

  #read(start: number, length: number): Uint8Array | Promise<Uint8Array> {
    const missing = this.#missing(start, length);
    if (missing.length) return this.#load(missing).then(() => this.#assemble(start, length));
    return this.#assemble(start, length);
  }

  #assemble(start: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    forChunks(start, length, (index, offset, at, count) => {
      const chunk = this.#current(index);
      if (chunk) out.set(chunk.subarray(offset, offset + count), at);
    });
    return out;
  }

  #write(start: number, data: Uint8Array): void | Promise<void> {
    // A partly written chunk needs its other bytes first.
    const partial: number[] = [];
    forChunks(start, data.length, (index, _offset, _at, count) => {
      if (count < DISK_CHUNK_BYTES && !this.#current(index)) partial.push(index);
    });
    const apply = (): void | Promise<void> => {
      forChunks(start, data.length, (index, offset, at, count) => this.#writable(index, count === DISK_CHUNK_BYTES).set(data.subarray(at, at + count), offset));
      this.#schedule();
      if (this.pendingBytes > DiskTunables.maxPendingBytes) return this.#drain();
    };
    if (partial.length) {
      return this.#load(partial).then(apply);
    }
    return apply();
  }

  /** The dirty copy of a chunk, made from what the guest sees (`whole`: about to be overwritten). */
  #writable(index: number, whole: boolean): Uint8Array {
    let chunk = this.#dirty.get(index);
    if (chunk) return chunk;
    const committing = this.#committing?.get(index);
    const clean = this.#clean.get(index);
    if (clean) {
      // Taken over: a clean chunk belongs to nobody else.
      this.#clean.delete(index);
      this.#cleanBytes -= clean.length;
      chunk = clean;
    } else {
      chunk = new Uint8Array(DISK_CHUNK_BYTES);
      if (committing && !whole) chunk.set(committing);
    }
    this.#dirty.set(index, chunk);
    return chunk;
  }

  #missing(start: number, length: number): number[] {
    const missing: number[] = [];
    forChunks(start, length, (index) => {
      if (!this.#current(index)) missing.push(index);
    });
    return missing;
  }

  async #load(indexes: number[]): Promise<void> {
    const chunks = await Promise.all(indexes.map((i) => this.#store.read(i)));
    indexes.forEach((index, i) => {
      if (this.#current(index)) return;
      const chunk = chunks[i] ?? new Uint8Array(DISK_CHUNK_BYTES);
      this.#remember(index, chunk.length === DISK_CHUNK_BYTES ? chunk : padded(chunk));
    });
  }

  #remember(index: number, chunk: Uint8Array): void {
    const old = this.#clean.get(index);
    if (old) this.#cleanBytes -= old.length;
    this.#clean.delete(index);
    this.#clean.set(index, chunk);
    this.#cleanBytes += chunk.length;
    for (const [i, c] of this.#clean) {
      if (this.#cleanBytes <= DiskTunables.cacheBytes) break;
      this.#clean.delete(i);
      this.#cleanBytes -= c.length;
    }
  }

  #schedule(): void {
    if (this.#timer || this.#committing) return;
    this.#timer = true;
    this.#setTimer(() => {
      this.#timer = false;
      void this.#commit();
    }, this.#failed ? DiskTunables.retryDelayMs : DiskTunables.commitDelayMs);
  }

  /** Waits until the uncommitted bytes are back under the bound. */
  async #drain(): Promise<void> {
    while (this.pendingBytes > DiskTunables.maxPendingBytes) {
      if (!this.#committing) void this.#commit();
      await this.#commitDone;
      if (this.#failed) break;
    }
  }

  #commit(): Promise<void> {
    if (this.#committing) return this.#commitDone!;
    if (!this.#dirty.size) return Promise.resolve();
    const batch = this.#dirty;
    this.#dirty = new Map();
    this.#committing = batch;
    const payload = new Map<number, Uint8Array | null>();
    for (const [index, chunk] of batch) payload.set(index, isZero(chunk) ? null : chunk);
    this.#commitDone = this.#store.commit(payload).then(
      () => {
        this.commits++;
        for (const [index, chunk] of batch) if (!this.#dirty.has(index)) this.#remember(index, chunk);
        if (this.#failed) this.#onProblem(null);
        this.#failed = false;
      },
      (error: unknown) => {
        // Kept for the next commit, under anything written since.
        for (const [index, chunk] of batch) if (!this.#dirty.has(index)) this.#dirty.set(index, chunk);
        this.#failed = true;
        this.#onProblem(`the Docker host's disk could not be saved (${(error as Error).message}); the last ${Math.ceil(this.pendingBytes / 1024 ** 2)} MB written are only in memory until a save succeeds`);
      },
    ).finally(() => {
      this.#committing = null;
      if (this.#dirty.size) this.#schedule();
    });
    return this.#commitDone;
  }
}

/** Calls `fn` for each chunk a byte range touches: chunk index, offset in it, offset in the range, count. */
function forChunks(start: number, length: number, fn: (index: number, offset: number, at: number, count: number) => void): void {
  let at = 0;
  while (at < length) {
    const pos = start + at;
    const index = Math.floor(pos / DISK_CHUNK_BYTES);
    const offset = pos - index * DISK_CHUNK_BYTES;
    const count = Math.min(DISK_CHUNK_BYTES - offset, length - at);
    fn(index, offset, at, count);
    at += count;
  }
}

function isZero(chunk: Uint8Array): boolean {
  const words = new Uint32Array(chunk.buffer, chunk.byteOffset, chunk.byteLength >> 2);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
  return true;
}

function padded(chunk: Uint8Array): Uint8Array {
  const out = new Uint8Array(DISK_CHUNK_BYTES);
  out.set(chunk.subarray(0, DISK_CHUNK_BYTES));
  return out;
}

/** The template's chunks: a header line, then (u32 LE index, chunk bytes) records. */
export function parseTemplate(bytes: Uint8Array): Map<number, Uint8Array> {
  const newline = bytes.indexOf(10);
  const header = new TextDecoder().decode(bytes.subarray(0, newline)).split(' ');
  if (header[0] !== 'slipway-disk' || header[1] !== '1' || Number(header[2]) !== DISK_BYTES || Number(header[3]) !== DISK_CHUNK_BYTES) {
    throw new Error(`disk template: unexpected header ${JSON.stringify(header.join(' '))}`);
  }
  const chunks = new Map<number, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = newline + 1; at < bytes.length; at += 4 + DISK_CHUNK_BYTES) {
    if (at + 4 + DISK_CHUNK_BYTES > bytes.length) throw new Error('disk template: truncated');
    chunks.set(view.getUint32(at, true), bytes.slice(at + 4, at + 4 + DISK_CHUNK_BYTES));
  }
  return chunks;
}
