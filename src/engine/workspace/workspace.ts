// The user's home, /root in the guest, is a directory of the 9p share (bind-mounted over /root at
// boot) that the page's file tree and editor show, and that is saved in the store.
// The guest mounts the share with cache=loose, so it does not notice bytes the host changes in
// place: the page's reads and writes go through the guest (a `cat`), which keeps the guest's page
// cache the one truth. The tree itself is read on the host side, where names appear as soon as
// the guest creates them (sizes once the guest writes its cache back: within about a second).
// A change the page makes is stored before the page hears that it is done (a reload right after
// "saved" must find it); what the guest changes on its own is stored within about a second.
import { processOutput } from '../../lib/streams.ts';
import type { Disposable, GuestPort, TreeEntry } from '../../protocol/guest/port.ts';
import { GUEST_SHARE_PATH } from '../../protocol/guest/port.ts';
import type { WorkspaceEntry } from '../../protocol/ui.ts';
import { CoalescedRun } from '../../lib/coalesced-run.ts';
import type { SavedTrees } from '../share/saved-trees.ts';
import { treeToTar } from '../share/tree-tar.ts';

export const WORKSPACE_SHARE_ROOT = '/workspace';
export const WORKSPACE_GUEST_PATH = '/root';
export const WORKSPACE_KEY = 'workspace';
export const WorkspaceTunables = {
  /**
   * The share's change hook calls at most this often; a change is heard up to this late. 100 ms:
   * the listing the page shows follows the guest without a repaint per written block.
   */
  watchDelayMs: 100,
  /**
   * Guest changes are stored once the tree is quiet this long: a `git checkout` or an unpacked
   * archive is one save, not one per file, and a lone change is in the store in ~0.5 s.
   */
  autosaveQuietMs: 250,
  /**
   * …and at the latest this long after the first unsaved change, however busy the guest is: a
   * reload or a crash a second after a change keeps it (plus the guest flusher's 300 ms and the
   * save's own time, see the README). Background saves take the share as the host has it: they
   * never wait for a guest process, which right after a boot takes up to a second to start.
   */
  autosaveMaxMs: 500,
} as const;

/** The page shows these as they are (protocol/ui.ts). */
export type { WorkspaceEntry };

export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
}

export class Workspace {
  readonly #guest: GuestPort;
  readonly #saved: SavedTrees;
  readonly #listeners = new Set<(entries: WorkspaceEntry[]) => void>();
  #last = '';
  #autosave: ReturnType<typeof setTimeout> | null = null;
  /** When the oldest unsaved change happened (0: none pending). */
  #unsavedSince = 0;
  #watch: Disposable | null = null;
  #fsyncs: Disposable | null = null;
  /** The share's change count when the last stored tree was read (every change up to it is stored). */
  #storedChanges = -1;
  /** Every save goes through here: a burst of page writes is one save in flight and one queued. */
  readonly #saving: CoalescedRun;
  /** Saves of guest-side changes, without the guest flush (its flusher has written them back). */
  readonly #autosaving: CoalescedRun;

  private constructor(guest: GuestPort, saved: SavedTrees) {
    this.#guest = guest;
    this.#saved = saved;
    this.#saving = new CoalescedRun(() => this.#store(true));
    this.#autosaving = new CoalescedRun(() => this.#store(false));
  }

  /**
   * Puts the saved workspace into the share directory the guest's init bound over /root before
   * the boot snapshot (filled in place: no guest process on the way to the first prompt).
   */
  static async open(guest: GuestPort, saved: SavedTrees): Promise<Workspace> {
    const workspace = new Workspace(guest, saved);
    if (!guest.files.exists(WORKSPACE_SHARE_ROOT)) throw new WorkspaceError(`the guest did not mount ${GUEST_SHARE_PATH}${WORKSPACE_SHARE_ROOT} on /root`);
    await saved.restore(WORKSPACE_KEY, WORKSPACE_SHARE_ROOT);
    workspace.#last = JSON.stringify(workspace.list());
    workspace.#watch = guest.files.watch(() => workspace.#changed(), WorkspaceTunables.watchDelayMs);
    workspace.#fsyncs = guest.files.holdFsyncs(() => workspace.#durable());
    return workspace;
  }

  /** Every entry under /root, parents first, names sorted. */
  list(): WorkspaceEntry[] {
    const tree = this.#guest.files.readTree(WORKSPACE_SHARE_ROOT) ?? [];
    return tree.filter((e) => e.path !== '').map(toEntry);
  }

  /** Hears the new listing whenever the tree changed (guest or page). */
  onChange(listener: (entries: WorkspaceEntry[]) => void): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => void this.#listeners.delete(listener) };
  }

  async read(path: string): Promise<Uint8Array> {
    const proc = await this.#spawn(['/bin/cat', '--', this.#guestPath(path)]);
    proc.stdin.end();
    const { stdout: bytes, stderr: errors, status } = await processOutput(proc);
    if (status.code !== 0) throw new WorkspaceError(errorText(errors, `cannot read ${path}`));
    return bytes;
  }

  /**
   * Creates or overwrites a file (parent folders included); resolves once the workspace holding
   * it is in the store.
   */
  async write(path: string, bytes: Uint8Array): Promise<void> {
    const proc = await this.#spawn(['/bin/sh', '-c', 'mkdir -p -- "$(dirname -- "$1")" && exec cat > "$1"', 'slipway-write', this.#guestPath(path)]);
    await proc.stdin.write(bytes);
    proc.stdin.end();
    const { stderr: errors, status } = await processOutput(proc);
    if (status.code !== 0) throw new WorkspaceError(errorText(errors, `cannot write ${path}`));
    await this.save();
  }

  /** Each of these resolves once the changed workspace is in the store, as write() does. */
  async mkdir(path: string): Promise<void> {
    await this.#sh('mkdir -p -- "$1"', this.#guestPath(path));
    await this.save();
  }

  async rename(from: string, to: string): Promise<void> {
    await this.#sh('[ ! -e "$2" ] || { echo "$3 already exists" >&2; exit 1; }; mv -- "$1" "$2"', this.#guestPath(from), this.#guestPath(to), to);
    await this.save();
  }

  async remove(path: string): Promise<void> {
    await this.#sh('rm -rf -- "$1"', this.#guestPath(path));
    await this.save();
  }

  /** The whole workspace as a tar (after flushing the guest's writes), for a download. */
  async archive(): Promise<Uint8Array> {
    await this.#saved.flush();
    return treeToTar(this.#guest.files.readTree(WORKSPACE_SHARE_ROOT) ?? []);
  }

  /**
   * Stores the workspace as it is after this call (the guest's cached writes flushed first):
   * page edits, page hidden, runner exiting. Calls during a save share the next one.
   */
  save(): Promise<void> {
    if (this.#autosave) clearTimeout(this.#autosave);
    this.#autosave = null;
    this.#unsavedSince = 0;
    return this.#saving.run();
  }

  dispose(): void {
    this.#watch?.dispose();
    this.#fsyncs?.dispose();
    if (this.#autosave) clearTimeout(this.#autosave);
  }

  /**
   * Something on the share changed: page listeners hear a changed listing, and a save follows.
   * The save is scheduled even when the listing looks the same, because a rewrite of a file to
   * the same size within the same second changes nothing a listing shows (saving an unchanged
   * tree stores nothing).
   */
  #changed(): void {
    const entries = this.list();
    const text = JSON.stringify(entries);
    if (text !== this.#last) {
      this.#last = text;
      for (const listener of [...this.#listeners]) listener(entries);
    }
    const now = Date.now();
    // The hook calls up to watchDelayMs after the change itself.
    this.#unsavedSince ||= now - WorkspaceTunables.watchDelayMs;
    if (this.#autosave) clearTimeout(this.#autosave);
    const wait = Math.min(WorkspaceTunables.autosaveQuietMs, Math.max(0, this.#unsavedSince + WorkspaceTunables.autosaveMaxMs - now));
    // A failure reaches SavedTrees.onSaveFailed's listeners (the page says so).
    this.#autosave = setTimeout(() => {
      this.#autosave = null;
      this.#unsavedSince = 0;
      void this.#autosaving.run().catch(() => undefined);
    }, wait);
  }

  /**
   * A guest fsync on the share (`sync`, an editor's save, a database's commit) is answered once
   * what the guest changed before it is stored: the answer means "durable", as on a disk.
   */
  #durable(): Promise<void> {
    if (this.#guest.files.changes === this.#storedChanges) return Promise.resolve();
    return this.#autosaving.run();
  }

  async #store(flush: boolean): Promise<void> {
    // Counted before the tree is read: every change counted is in what is stored.
    const changes = this.#guest.files.changes;
    await this.#saved.save(WORKSPACE_KEY, WORKSPACE_SHARE_ROOT, { flush });
    this.#storedChanges = changes;
  }

  /** `a/b` → `/root/a/b`; refuses paths that leave the workspace. */
  #guestPath(path: string): string {
    const parts = path.split('/').filter((p) => p && p !== '.');
    if (!parts.length || parts.includes('..')) throw new WorkspaceError(`invalid workspace path: ${JSON.stringify(path)}`);
    return `${WORKSPACE_GUEST_PATH}/${parts.join('/')}`;
  }

  async #sh(script: string, ...args: string[]): Promise<void> {
    const proc = await this.#spawn(['/bin/sh', '-c', script, 'slipway-workspace', ...args]);
    proc.stdin.end();
    const { stderr: errors, status } = await processOutput(proc);
    if (status.code !== 0) throw new WorkspaceError(errorText(errors, `${script.split(' ')[0]} failed`));
  }

  #spawn(argv: string[]) {
    return this.#guest.spawn({ argv, env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root'], cwd: '/' });
  }
}

function toEntry(e: TreeEntry): WorkspaceEntry {
  const type = e.type === 'dir' || e.type === 'file' || e.type === 'symlink' ? e.type : e.type === 'hardlink' ? 'file' : 'other';
  return { path: e.path, type, size: e.data?.length ?? 0, mtime: e.mtime };
}

function errorText(stderr: Uint8Array, fallback: string): string {
  const text = new TextDecoder().decode(stderr).trim();
  // Paths as the page names them: relative to the workspace.
  return text.replace(/^(cat|mv|mkdir|rm|sh): /, '').replaceAll(`${WORKSPACE_GUEST_PATH}/`, '') || fallback;
}
