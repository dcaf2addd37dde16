// Container output as `docker logs` sees it: every chunk with its stream and arrival time, kept
// in memory and persisted in the metadata store in chunks, so logs survive exit and reboot.
import type { Disposable } from '../../protocol/guest/port.ts';
import type { MetaStore } from '../../protocol/store.ts';

export type LogStream = 'stdout' | 'stderr';

export interface LogEntry {
  stream: LogStream;
  /** Milliseconds since the epoch (with sub-millisecond precision when the clock has it). */
  time: number;
  data: Uint8Array;
}

interface StoredChunk {
  entries: { s: 0 | 1; t: number; d: string }[];
}

/** Persist at most this often, and at once when a container stops. */
const FLUSH_DELAY_MS = 500;

export class ContainerLog {
  readonly entries: LogEntry[] = [];
  readonly #listeners = new Set<(entry: LogEntry | null) => void>();
  #unsaved: LogEntry[] = [];
  #chunk = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #ended = false;

  constructor(
    readonly id: string,
    readonly meta: MetaStore,
  ) {}

  static async load(id: string, meta: MetaStore): Promise<ContainerLog> {
    const log = new ContainerLog(id, meta);
    for (const [key, chunk] of await meta.list<StoredChunk>(`logs/${id}/`)) {
      log.#chunk = Math.max(log.#chunk, Number(key.slice(key.lastIndexOf('/') + 1)) + 1);
      for (const e of chunk.entries) log.entries.push({ stream: e.s ? 'stderr' : 'stdout', time: e.t, data: fromBase64(e.d) });
    }
    log.#ended = true;
    return log;
  }

  append(stream: LogStream, data: Uint8Array, time: number): void {
    const entry = { stream, time, data };
    this.entries.push(entry);
    this.#unsaved.push(entry);
    this.#ended = false;
    for (const l of [...this.#listeners]) l(entry);
    this.#timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Tells followers (`logs -f`) that the container stopped. */
  end(): void {
    this.#ended = true;
    for (const l of [...this.#listeners]) l(null);
  }

  get ended(): boolean {
    return this.#ended;
  }

  follow(listener: (entry: LogEntry | null) => void): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#unsaved.length) return;
    const entries = this.#unsaved.map((e) => ({ s: e.stream === 'stderr' ? (1 as const) : (0 as const), t: e.time, d: toBase64(e.data) }));
    this.#unsaved = [];
    const key = `logs/${this.id}/${String(this.#chunk++).padStart(8, '0')}`;
    await this.meta.commit({ put: [[key, { entries } satisfies StoredChunk]] });
  }

  async remove(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#unsaved = [];
    const keys = (await this.meta.list(`logs/${this.id}/`)).map(([k]) => k);
    if (keys.length) await this.meta.commit({ delete: keys });
  }
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
