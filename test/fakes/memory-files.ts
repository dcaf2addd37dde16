// An in-memory 9p share (GuestFiles) for unit tests: a map of absolute share paths to entries.
// `touch()` stands in for a guest write, so watchers fire as they would for the real share.
import type { Disposable, GuestFiles, GuestPort, GuestProcess, TreeEntry } from '../../src/protocol/guest/port.ts';

export class MemoryFiles implements GuestFiles {
  /** Share path ('/a/b') → entry (its `path` is the share path without the leading slash). */
  readonly entries = new Map<string, TreeEntry>();
  readonly #watchers = new Set<() => void>();
  #barrier: (() => Promise<void>) | null = null;
  changes = 0;

  async write(path: string, data: Uint8Array): Promise<void> {
    this.#mkdirs(parentOf(path));
    this.entries.set(path, { path: path.slice(1), type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data });
    this.touch();
  }

  async read(path: string): Promise<Uint8Array | null> {
    const entry = this.entries.get(path);
    return entry?.type === 'file' ? (entry.data ?? new Uint8Array(0)) : null;
  }

  async writeTree(root: string, entries: Iterable<TreeEntry>): Promise<void> {
    if (this.exists(root) && (this.entries.get(root)?.type !== 'dir' || (this.readTree(root)?.length ?? 0) > 1)) throw new Error(`writeTree: ${root} already exists`);
    this.#mkdirs(root);
    for (const entry of entries) {
      const path = entry.path ? `${root}/${entry.path}` : root;
      this.entries.set(path, { ...entry, path: path.slice(1) });
    }
  }

  exists(path: string): boolean {
    return this.entries.has(path);
  }

  remove(path: string): void {
    for (const key of [...this.entries.keys()]) if (key === path || key.startsWith(`${path}/`)) this.entries.delete(key);
    this.touch();
  }

  readTree(root: string): TreeEntry[] | null {
    if (this.entries.get(root)?.type !== 'dir') return null;
    return [...this.entries.entries()]
      .filter(([key]) => key === root || key.startsWith(`${root}/`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => ({ ...entry, path: key.slice(root.length + 1) }));
  }

  watch(listener: () => void): Disposable {
    this.#watchers.add(listener);
    return { dispose: () => void this.#watchers.delete(listener) };
  }

  holdFsyncs(barrier: () => Promise<void>): Disposable {
    this.#barrier = barrier;
    return { dispose: () => void (this.#barrier = null) };
  }

  /** A guest fsync on the share: resolves when the holder lets its answer go. */
  async fsync(): Promise<void> {
    await this.#barrier?.().catch(() => undefined);
  }

  /** A change made by the guest: watchers hear of it. */
  touch(): void {
    this.changes++;
    for (const listener of [...this.#watchers]) listener();
  }

  #mkdirs(path: string): void {
    let at = '';
    for (const part of path.split('/').filter(Boolean)) {
      at += `/${part}`;
      if (!this.entries.has(at)) this.entries.set(at, { path: at.slice(1), type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 });
    }
  }
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

/** What a process of shareOnlyGuest does once its stdin ended; returns its exit code. */
export type FakeProcessRun = (argv: readonly string[], stdin: Uint8Array) => Promise<number>;

/**
 * A guest that is only its share: every process it spawns (sync, cat > file …) exits 0 at once
 * with no output, unless `run` does more; `spawned` records their argv.
 */
export function shareOnlyGuest(files: MemoryFiles, run?: FakeProcessRun): GuestPort & { spawned: string[][] } {
  const spawned: string[][] = [];
  const empty = { read: async () => null, [Symbol.asyncIterator]: async function* () {} };
  const spawn = async ({ argv }: { argv: readonly string[] }) => {
    spawned.push([...argv]);
    const input: Uint8Array[] = [];
    let ended: (bytes: Uint8Array) => void = () => undefined;
    const exited = run
      ? new Promise<Uint8Array>((resolve) => (ended = resolve)).then((bytes) => run(argv, bytes)).then((code) => ({ code, signal: 0 }))
      : Promise.resolve({ code: 0, signal: 0 });
    const stdin = {
      end: () => ended(new Uint8Array(input.flatMap((chunk) => [...chunk]))),
      write: async (chunk: Uint8Array | string) => void input.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk),
    };
    return { stdin, stdout: empty, stderr: empty, exited } as unknown as GuestProcess;
  };
  return Object.assign({ files, spawn } as unknown as GuestPort, { spawned });
}
