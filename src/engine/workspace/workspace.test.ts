import { describe, expect, it, vi } from 'vitest';
import { MemoryFiles, shareOnlyGuest, type FakeProcessRun } from '../../../test/fakes/memory-files.ts';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import type { Stores } from '../../protocol/store.ts';
import { SavedTrees } from '../share/saved-trees.ts';
import { Workspace, WORKSPACE_SHARE_ROOT, WorkspaceTunables, type WorkspaceEntry } from './workspace.ts';

const fakeGuest = shareOnlyGuest;
const text = (s: string) => new TextEncoder().encode(s);

async function open(options: { quotaBytes?: number; run?: FakeProcessRun } = {}) {
  const files = new MemoryFiles();
  await files.writeTree(WORKSPACE_SHARE_ROOT, [{ path: '', type: 'dir', mode: 0o700, uid: 0, gid: 0, mtime: 0 }]);
  const stores = memoryStores(options);
  const guest = fakeGuest(files, options.run);
  const saved = new SavedTrees(guest, stores);
  return { files, stores, saved, guest, workspace: await Workspace.open(guest, saved) };
}

/** What a fresh guest restores from `stores`: path → text. */
async function storedFiles(stores: Stores): Promise<Record<string, string>> {
  const next = new MemoryFiles();
  await new SavedTrees(fakeGuest(next), stores).restore('workspace', WORKSPACE_SHARE_ROOT);
  const out: Record<string, string> = {};
  for (const e of next.readTree(WORKSPACE_SHARE_ROOT) ?? []) if (e.type === 'file') out[e.path] = new TextDecoder().decode(e.data);
  return out;
}

/**
 * The guest side of the page's writes: `cat > /root/x` lands in the share's /workspace/x, and
 * `sync` waits for the test to let it through (`syncs` holds the waiting ones).
 */
function guestWithGatedSync() {
  const syncs: (() => void)[] = [];
  let files: MemoryFiles | null = null;
  const run: FakeProcessRun = async (argv, stdin) => {
    if (argv[0] === '/bin/sync') await new Promise<void>((resolve) => syncs.push(resolve));
    if (argv.includes('slipway-write')) await files!.write(argv.at(-1)!.replace(/^\/root\//, `${WORKSPACE_SHARE_ROOT}/`), stdin);
    return 0;
  };
  return { run, syncs, attach: (f: MemoryFiles) => void (files = f) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Workspace', () => {
  it('lists the share tree and tells listeners when the guest changed it', async () => {
    const { files, workspace } = await open();
    const seen: WorkspaceEntry[][] = [];
    workspace.onChange((entries) => seen.push(entries));
    await files.write('/workspace/app/main.py', new TextEncoder().encode('print(1)\n'));
    expect(seen.at(-1)).toEqual([
      { path: 'app', type: 'dir', size: 0, mtime: 0 },
      { path: 'app/main.py', type: 'file', size: 9, mtime: 0 },
    ]);
    workspace.dispose();
  });

  it('write() resolves once the store holds the new bytes', async () => {
    const { files, stores, workspace } = await open({ run: async (argv, stdin) => {
      if (argv.includes('slipway-write')) await files.write(`${WORKSPACE_SHARE_ROOT}/app/main.py`, stdin);
      return 0;
    } });
    await workspace.write('app/main.py', text('print(1)\n'));
    expect(await storedFiles(stores)).toEqual({ 'app/main.py': 'print(1)\n' });
    await workspace.write('app/main.py', text('print(2)\n'));
    expect(await storedFiles(stores)).toEqual({ 'app/main.py': 'print(2)\n' });
    workspace.dispose();
  });

  it('a burst of writes is one save in flight and one queued, and stores the last bytes', async () => {
    const gate = guestWithGatedSync();
    const { files, stores, guest, workspace } = await open({ run: gate.run });
    gate.attach(files);
    const settled: number[] = [];
    const first = workspace.write('notes.txt', text('v0')).then(() => settled.push(0));
    while (!gate.syncs.length) await tick();
    // Written while the first save's sync runs: that save may miss them.
    const burst = Array.from({ length: 10 }, (_, i) => workspace.write('notes.txt', text(`v${i + 1}`)).then(() => settled.push(i + 1)));
    while (guest.spawned.filter((argv) => argv.includes('slipway-write')).length < 11) await tick();
    await tick();
    gate.syncs.shift()!();
    await first;
    expect(settled).toEqual([0]);
    while (!gate.syncs.length) await tick();
    gate.syncs.shift()!();
    await Promise.all(burst);
    expect(guest.spawned.filter((argv) => argv[0] === '/bin/sync')).toHaveLength(2);
    expect(await storedFiles(stores)).toEqual({ 'notes.txt': 'v10' });
    workspace.dispose();
  });

  it('stores a lone guest change after the quiet window, and constant changes within the max, without a guest sync', async () => {
    const synced: number[] = [];
    const { files, workspace, stores } = await open({ run: async (argv) => {
      if (argv[0] === '/bin/sync') synced.push(Date.now());
      return 0;
    } });
    // A background save is seen as a new stored record (the guest's flusher wrote the share back).
    // Only a save that holds the change counts (one already on its way when the change came does not).
    const savedAfter = async (since: number, path: string, content?: string) => {
      for (;;) {
        const record = await stores.meta.get<{ savedAt: number }>('tree/workspace');
        if (record && record.savedAt >= since) {
          const stored = await storedFiles(stores);
          if (path in stored && (content === undefined || stored[path] === content)) return Date.now();
        }
        await tick();
      }
    };
    // Nothing from opening may still be on its way: a late save would count as this change's.
    await new Promise((resolve) => setTimeout(resolve, WorkspaceTunables.watchDelayMs * 2));
    await workspace.save();
    // Its record carries the time it was stored: start counting after that millisecond.
    await new Promise((resolve) => setTimeout(resolve, 5));
    synced.length = 0; // that explicit save synced the guest; the autosaves below must not
    let start = Date.now();
    await files.write('/workspace/one.txt', text('1'));
    let at = await savedAfter(start, 'one.txt');
    expect(at - start).toBeGreaterThanOrEqual(WorkspaceTunables.autosaveQuietMs - WorkspaceTunables.watchDelayMs - 5);
    expect(at - start).toBeLessThan(WorkspaceTunables.autosaveMaxMs + 200);

    start = Date.now();
    const writer = setInterval(() => void files.write('/workspace/busy.txt', text(String(Date.now()))), 50);
    at = await savedAfter(start, 'busy.txt');
    clearInterval(writer);
    // Never quiet for the window: saved by the maximum, counted from the change the hook heard late.
    expect(at - start).toBeGreaterThanOrEqual(WorkspaceTunables.autosaveMaxMs - WorkspaceTunables.watchDelayMs - 5);
    expect(at - start).toBeLessThan(WorkspaceTunables.autosaveMaxMs + 250);
    expect(synced).toEqual([]);
    workspace.dispose();
  });

  it('saves after a change and restores into a new guest', async () => {
    const { files, stores, workspace } = await open();
    await files.write('/workspace/notes.txt', new TextEncoder().encode('hi'));
    await new Promise((r) => setTimeout(r, WorkspaceTunables.autosaveQuietMs + 250));
    workspace.dispose();
    const next = new MemoryFiles();
    await next.writeTree(WORKSPACE_SHARE_ROOT, [{ path: '', type: 'dir', mode: 0o700, uid: 0, gid: 0, mtime: 0 }]);
    const guest = fakeGuest(next);
    const restored = await Workspace.open(guest, new SavedTrees(guest, stores));
    expect(restored.list().map((e) => e.path)).toEqual(['notes.txt']);
    restored.dispose();
  });

  it('reports a failed automatic save (full quota) and keeps the previous save', async () => {
    const { files, stores, workspace, saved } = await open({ quotaBytes: 16 * 1024 });
    const failures: string[] = [];
    saved.onSaveFailed((key, e) => failures.push(`${key}: ${e.message}`));
    await files.write('/workspace/small.txt', new TextEncoder().encode('kept'));
    await new Promise((r) => setTimeout(r, WorkspaceTunables.autosaveQuietMs + 250));
    await files.write('/workspace/big.bin', new Uint8Array(64 * 1024));
    await new Promise((r) => setTimeout(r, WorkspaceTunables.autosaveQuietMs + 250));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^workspace: .*space/);
    workspace.dispose();
    const next = new MemoryFiles();
    const guest = fakeGuest(next);
    await new SavedTrees(guest, stores).restore('workspace', WORKSPACE_SHARE_ROOT);
    expect(next.exists('/workspace/small.txt')).toBe(true);
    expect(next.exists('/workspace/big.bin')).toBe(false);
  });

  it('answers a guest fsync once the store holds what changed, at once when nothing did', async () => {
    const { files, stores, workspace } = await open();
    await files.write('/workspace/db', text('row 1\n'));
    await files.fsync();
    expect(await storedFiles(stores)).toEqual({ db: 'row 1\n' });
    const reads = vi.spyOn(files, 'readTree');
    await files.fsync();
    expect(reads).not.toHaveBeenCalled();
    workspace.dispose();
  });

  it('a guest fsync waiting behind a page save never waits for that save\'s guest sync', async () => {
    // The page's save syncs the guest, and the guest's sync sends fsyncs: the one held must not
    // wait for the page's save (that sync would never end).
    const gate = guestWithGatedSync();
    const { files, stores, workspace } = await open({ run: gate.run });
    gate.attach(files);
    await files.write('/workspace/a', text('a'));
    const pageSave = workspace.save();
    await tick();
    expect(gate.syncs.length).toBe(1);
    await files.write('/workspace/b', text('b'));
    await files.fsync();
    expect(await storedFiles(stores)).toEqual({ a: 'a', b: 'b' });
    gate.syncs.shift()!();
    await pageSave;
    workspace.dispose();
  }, 5_000);
});
