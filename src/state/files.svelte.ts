// The workspace panel's state: the listing of /root pushed by the worker, the file open in the
// editor, and the file operations (each one a guest command, so the guest sees it at once). An
// operation settles once its change is in the store, so the editor shows a file as saved (no
// dirty mark) only when a reload would find it.
import { workspaceCallbacks, type EngineClient } from '../client/engine.ts';
import type { WorkspaceEntry } from '../protocol/ui.ts';
import { buildTree, type TreeNode } from './file-tree.ts';

export interface OpenFile {
  path: string;
  /** What the guest had when the file was opened or last saved. */
  saved: string;
  /** The editor's text. */
  text: string;
  /** Changes each time a file is (re)loaded from the guest: the editor then replaces its text. */
  load: number;
}

/** Files the editor refuses to open: it is a text editor. */
const MAX_EDIT_BYTES = 2 * 1024 * 1024;
/** Uploads written at once: enough to share saves, few enough not to crowd the guest with cats. */
const UPLOAD_WRITERS = 8;

export class FilesState {
  entries = $state.raw<WorkspaceEntry[]>([]);
  tree = $derived<TreeNode[]>(buildTree(this.entries));
  open = $state<OpenFile | null>(null);
  dirty = $derived(this.open !== null && this.open.text !== this.open.saved);
  busy = $state(false);
  /** The guest's answer to the last failed operation, until dismissed. */
  error = $state<string | null>(null);
  /** Why the last save of the workspace or of a volume failed (the previous save is intact). */
  saveError = $state.raw<{ message: string; volume?: string } | null>(null);
  #engine: EngineClient | null = null;
  #loads = 0;
  #subscription: number | null = null;

  async attach(engine: EngineClient): Promise<void> {
    this.#engine = engine;
    this.#subscription = await engine.subscribeWorkspace(
      workspaceCallbacks({
        entries: (entries) => {
          this.entries = entries;
        },
        saveFailed: (message, volume) => {
          this.saveError = { message, volume };
        },
      }),
    );
  }

  async openFile(path: string): Promise<void> {
    const entry = this.entries.find((e) => e.path === path);
    if (entry && entry.size > MAX_EDIT_BYTES) {
      this.error = `${path} is too big for the editor (${entry.size} bytes); use the terminal`;
      return;
    }
    await this.#run(async (engine) => {
      const text = textOf(await engine.readFile(path));
      if (text === null) {
        // Saving a binary file decoded as text would corrupt it.
        this.error = `${path} is not a text file; download it or use the terminal`;
        return;
      }
      this.open = { path, saved: text, text, load: ++this.#loads };
    });
  }

  edit(text: string): void {
    if (this.open) this.open.text = text;
  }

  async save(): Promise<void> {
    const file = this.open;
    if (!file) return;
    const text = file.text;
    await this.#run(async (engine) => {
      await engine.writeFile(file.path, new TextEncoder().encode(text));
      file.saved = text;
    });
  }

  close(): void {
    this.open = null;
  }

  createFile(path: string): Promise<void> {
    return this.#run(async (engine) => {
      await engine.writeFile(path, new Uint8Array(0));
      this.open = { path, saved: '', text: '', load: ++this.#loads };
    });
  }

  createFolder(path: string): Promise<void> {
    return this.#run((engine) => engine.makeDirectory(path));
  }

  rename(from: string, to: string): Promise<void> {
    return this.#run(async (engine) => {
      await engine.renamePath(from, to);
      if (this.open && (this.open.path === from || this.open.path.startsWith(`${from}/`))) {
        this.open = { ...this.open, path: to + this.open.path.slice(from.length) };
      }
    });
  }

  remove(path: string): Promise<void> {
    return this.#run(async (engine) => {
      await engine.removePath(path);
      if (this.open && (this.open.path === path || this.open.path.startsWith(`${path}/`))) this.open = null;
    });
  }

  /**
   * Writes dropped or chosen files into `folder` ('' for /root), keeping their relative paths.
   * A few at a time: each write returns once the workspace is stored, and writes that overlap
   * share one save, where one after another would each wait for a save of their own.
   */
  upload(files: readonly { path: string; bytes: Uint8Array }[], folder = ''): Promise<void> {
    return this.#run(async (engine) => {
      const queue = [...files];
      const writer = async () => {
        for (let file = queue.shift(); file; file = queue.shift()) await engine.writeFile(folder ? `${folder}/${file.path}` : file.path, file.bytes);
      };
      await Promise.all(Array.from({ length: Math.min(UPLOAD_WRITERS, queue.length) }, writer));
    });
  }

  read(path: string): Promise<Uint8Array | null> {
    return this.#engine ? this.#engine.readFile(path) : Promise.resolve(null);
  }

  archive(): Promise<Uint8Array | null> {
    return this.#engine ? this.#engine.archiveWorkspace() : Promise.resolve(null);
  }

  dismissError(): void {
    this.error = null;
    this.saveError = null;
  }

  dispose(): void {
    if (this.#engine && this.#subscription !== null) void this.#engine.unsubscribeWorkspace(this.#subscription);
    this.#subscription = null;
  }

  async #run(operation: (engine: EngineClient) => Promise<void>): Promise<void> {
    if (!this.#engine) return;
    this.busy = true;
    try {
      await operation(this.#engine);
    } catch (e) {
      this.error = (e as Error).message.replace(/^Error: /, '');
    } finally {
      this.busy = false;
    }
  }
}

/** The file's text, or null for bytes that are not UTF-8 text (NUL bytes, invalid sequences). */
export function textOf(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
