// Container output as `docker logs` sees it: every chunk of output with its stream and arrival
// time, persisted in the metadata store in chunks of about LOG_CHUNK_BYTES, so logs survive exit
// and reboot. Memory stays bounded whatever the log's size: only the chunks' index and the output
// not yet stored are held; readers stream the log one stored chunk at a time from a position
// (an entry's sequence number), which also serves `--tail` (line counts per chunk) and `-f`.
//
// A log with a size limit (json-file or local `max-size` × `max-file`, log-config.ts) is rotated
// by whole chunks: it stores chunks of at most `chunkBytes` (max-size when smaller than
// LOG_CHUNK_BYTES) and, after each stored chunk, drops the oldest ones while the stored output
// exceeds `maxBytes`, the newest chunk always kept. So `docker logs` shows at most
// max-size × max-file bytes and at least that less one chunk (Docker's json-file keeps between
// (max-file − 1) × max-size and max-file × max-size). A chunk holds at least one entry (one read
// of the container's output, ≤ 64 KiB), so a max-size below that can be exceeded by one entry.
// Sizes count the output's bytes, not the JSON lines Docker wraps them in.
import type { Disposable } from '../../protocol/guest/port.ts';
import type { MetaStore } from '../../protocol/store.ts';
import type { LogRetention } from './log-config.ts';

export type LogStream = 'stdout' | 'stderr';

export interface LogEntry {
  stream: LogStream;
  /** Milliseconds since the epoch (with sub-millisecond precision when the clock has it). */
  time: number;
  data: Uint8Array;
}

/** A stored chunk: one character per entry (0 stdout, 1 stderr), times, lengths, the bytes. */
interface StoredChunk {
  s: string;
  t: number[];
  n: number[];
  d: string;
}

/** What the index keeps of a stored chunk. */
interface ChunkInfo {
  key: string;
  /** Sequence number of its first entry. */
  first: number;
  count: number;
  lines: number;
  lastTime: number;
  /** Output bytes; absent in indexes written before rotation existed (counted as 0). */
  bytes?: number;
}

interface LogIndex {
  chunks: ChunkInfo[];
}

/** Persist at most this often, and at once when a container stops. */
const FLUSH_DELAY_MS = 500;
/** Output is stored once this much is pending: a chunk is what a reader holds at a time. */
export const LOG_CHUNK_BYTES = 256 * 1024;

/** Lines as `docker logs` counts them in an entry: each newline, and a final partial line. */
export function linesIn(data: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 0x0a) n++;
  return data.length && data[data.length - 1] !== 0x0a ? n + 1 : n;
}

export class ContainerLog {
  readonly #listeners = new Set<(entry: LogEntry | null) => void>();
  readonly #index: ChunkInfo[] = [];
  /** Entries not stored yet; they start at sequence number #stored. */
  #pending: LogEntry[] = [];
  #pendingBytes = 0;
  #stored = 0;
  #chunkNumber = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly meta: MetaStore,
    /** Null: the log keeps everything. */
    readonly retention: LogRetention | null = null,
  ) {}

  static async load(id: string, meta: MetaStore, retention: LogRetention | null = null): Promise<ContainerLog> {
    const log = new ContainerLog(id, meta, retention);
    const index = (await meta.get<LogIndex>(indexKey(id))) ?? (await indexOldChunks(id, meta));
    log.#index.push(...index.chunks);
    const last = log.#index.at(-1);
    log.#stored = last ? last.first + last.count : 0;
    log.#chunkNumber = log.#index.length ? chunkNumberOf(last!.key) + 1 : 0;
    return log;
  }

  /** Entries so far (stored and pending). */
  get length(): number {
    return this.#stored + this.#pending.length;
  }

  append(stream: LogStream, data: Uint8Array, time: number): void {
    const entry = { stream, time, data };
    this.#pending.push(entry);
    this.#pendingBytes += data.length;
    for (const l of [...this.#listeners]) l(entry);
    if (this.#pendingBytes >= (this.retention?.chunkBytes ?? LOG_CHUNK_BYTES)) void this.flush().catch(() => undefined);
    else this.#timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_DELAY_MS);
  }

  /** Tells followers (`logs -f`) that the container stopped. */
  end(): void {
    for (const l of [...this.#listeners]) l(null);
  }

  /** Calls `listener` with each new entry, and with null when the container stops. */
  follow(listener: (entry: LogEntry | null) => void): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /**
   * The sequence number to read from for the last `lines` lines (0 for all), and how many lines
   * to skip from there; `since` (ms) skips stored chunks that end before it.
   */
  startFor(lines: number, since = -Infinity): { from: number; skipLines: number } {
    // Whole stored chunks that end before `since` are not read at all.
    let from = 0;
    for (const c of this.#index) {
      if (c.lastTime >= since) break;
      from = c.first + c.count;
    }
    if (!Number.isFinite(lines)) return { from, skipLines: 0 };
    // Back from the end, chunk by chunk, until `lines` lines are covered.
    let counted = this.#pending.reduce((n, e) => n + linesIn(e.data), 0);
    let start = this.#stored;
    for (let i = this.#index.length - 1; i >= 0 && counted < lines; i--) {
      const c = this.#index[i]!;
      if (c.first < from) break;
      counted += c.lines;
      start = c.first;
    }
    return { from: start, skipLines: Math.max(0, counted - lines) };
  }

  /**
   * Entries from sequence number `from` to the current end, with their sequence numbers, one
   * stored chunk in memory at a time.
   */
  async *read(from = 0): AsyncGenerator<[seq: number, entry: LogEntry]> {
    let next = from;
    while (next < this.length) {
      if (next >= this.#stored) {
        yield [next, this.#pending[next - this.#stored]!];
        next++;
        continue;
      }
      const info = this.#index.find((c) => next < c.first + c.count)!;
      if (next < info.first) next = info.first;
      const chunk = await this.meta.get<StoredChunk | OldChunk>(info.key);
      const entries = chunk ? decodeChunk(chunk) : [];
      for (let i = next - info.first; i < entries.length; i++) yield [info.first + i, entries[i]!];
      // A chunk missing from the store is skipped, not read forever.
      next = info.first + info.count;
    }
  }

  /** Stores the pending entries as one chunk (flushes are serialised). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    // A failed store (full quota) leaves its entries pending for the next flush to retry.
    this.#flushing = this.#flushing.catch(() => undefined).then(() => this.#storePending());
    return this.#flushing;
  }

  /** Stores what is pending now, in chunks of at most the chunk size (at least one entry each). */
  async #storePending(): Promise<void> {
    let left = this.#pending.length;
    const chunkBytes = this.retention?.chunkBytes ?? LOG_CHUNK_BYTES;
    while (left > 0) {
      let count = 0;
      let bytes = 0;
      while (count < left && (count === 0 || bytes + this.#pending[count]!.data.length <= chunkBytes)) bytes += this.#pending[count++]!.data.length;
      await this.#storeChunk(this.#pending.slice(0, count), bytes);
      left -= count;
    }
  }

  async #storeChunk(batch: LogEntry[], bytes: number): Promise<void> {
    const info: ChunkInfo = {
      key: `logs/${this.id}/${String(this.#chunkNumber++).padStart(8, '0')}`,
      first: this.#stored,
      count: batch.length,
      lines: batch.reduce((n, e) => n + linesIn(e.data), 0),
      lastTime: batch[batch.length - 1]!.time,
      bytes,
    };
    const chunks = [...this.#index, info];
    const dropped = this.#rotate(chunks);
    await this.meta.commit({ put: [[info.key, encodeChunk(batch)], [indexKey(this.id), { chunks } satisfies LogIndex]], delete: dropped.map((c) => c.key) });
    this.#index.splice(0, this.#index.length, ...chunks);
    this.#stored += batch.length;
    this.#pending = this.#pending.slice(batch.length);
    this.#pendingBytes -= bytes;
  }

  /** Takes the oldest chunks beyond the retention's size out of `chunks` (the newest stays); returns them. */
  #rotate(chunks: ChunkInfo[]): ChunkInfo[] {
    if (!this.retention) return [];
    let total = chunks.reduce((n, c) => n + (c.bytes ?? 0), 0);
    let drop = 0;
    while (drop < chunks.length - 1 && total > this.retention.maxBytes) total -= chunks[drop++]!.bytes ?? 0;
    return chunks.splice(0, drop);
  }

  async remove(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#flushing.catch(() => undefined);
    this.#pending = [];
    this.#pendingBytes = 0;
    const keys = [...this.#index.map((c) => c.key), indexKey(this.id)];
    this.#index.length = 0;
    this.#stored = 0;
    await this.meta.commit({ delete: keys });
  }
}

const indexKey = (id: string) => `logindex/${id}`;

/** Logs stored before the index existed (one JSON entry per write): indexed once, in place. */
async function indexOldChunks(id: string, meta: MetaStore): Promise<LogIndex> {
  const chunks: ChunkInfo[] = [];
  let first = 0;
  for (const [key, chunk] of await meta.list<StoredChunk | OldChunk>(`logs/${id}/`)) {
    const entries = decodeChunk(chunk);
    if (!entries.length) continue;
    chunks.push({ key, first, count: entries.length, lines: entries.reduce((n, e) => n + linesIn(e.data), 0), lastTime: entries[entries.length - 1]!.time });
    first += entries.length;
  }
  const index = { chunks };
  if (chunks.length) await meta.commit({ put: [[indexKey(id), index]] });
  return index;
}

/** The format before LogIndex: base64 per entry. */
interface OldChunk {
  entries: { s: 0 | 1; t: number; d: string }[];
}

function chunkNumberOf(key: string): number {
  return Number(key.slice(key.lastIndexOf('/') + 1));
}

function encodeChunk(entries: readonly LogEntry[]): StoredChunk {
  const total = entries.reduce((n, e) => n + e.data.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    bytes.set(e.data, at);
    at += e.data.length;
  }
  return { s: entries.map((e) => (e.stream === 'stderr' ? '1' : '0')).join(''), t: entries.map((e) => e.time), n: entries.map((e) => e.data.length), d: toBase64(bytes) };
}

function decodeChunk(chunk: StoredChunk | OldChunk): LogEntry[] {
  if ('entries' in chunk) return chunk.entries.map((e) => ({ stream: e.s ? 'stderr' : 'stdout', time: e.t, data: fromBase64(e.d) }));
  const bytes = fromBase64(chunk.d);
  const out: LogEntry[] = [];
  let at = 0;
  for (let i = 0; i < chunk.n.length; i++) {
    const n = chunk.n[i]!;
    out.push({ stream: chunk.s[i] === '1' ? 'stderr' : 'stdout', time: chunk.t[i]!, data: bytes.subarray(at, at + n) });
    at += n;
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
