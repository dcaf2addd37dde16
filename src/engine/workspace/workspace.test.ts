import { describe, expect, it } from 'vitest';
import { MemoryFiles, shareOnlyGuest } from '../../../test/fakes/memory-files.ts';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import { SavedTrees } from '../share/saved-trees.ts';
import { Workspace, WORKSPACE_SHARE_ROOT, type WorkspaceEntry } from './workspace.ts';

const fakeGuest = shareOnlyGuest;

async function open(options: { quotaBytes?: number } = {}) {
  const files = new MemoryFiles();
  await files.writeTree(WORKSPACE_SHARE_ROOT, [{ path: '', type: 'dir', mode: 0o700, uid: 0, gid: 0, mtime: 0 }]);
  const stores = memoryStores(options);
  const guest = fakeGuest(files);
  const saved = new SavedTrees(guest, stores);
  return { files, stores, saved, workspace: await Workspace.open(guest, saved) };
}

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

  it('saves after a change and restores into a new guest', async () => {
    const { files, stores, workspace } = await open();
    await files.write('/workspace/notes.txt', new TextEncoder().encode('hi'));
    await new Promise((r) => setTimeout(r, 700));
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
    await new Promise((r) => setTimeout(r, 700));
    await files.write('/workspace/big.bin', new Uint8Array(64 * 1024));
    await new Promise((r) => setTimeout(r, 700));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^workspace: .*space/);
    workspace.dispose();
    const next = new MemoryFiles();
    const guest = fakeGuest(next);
    await new SavedTrees(guest, stores).restore('workspace', WORKSPACE_SHARE_ROOT);
    expect(next.exists('/workspace/small.txt')).toBe(true);
    expect(next.exists('/workspace/big.bin')).toBe(false);
  });
});
