import { describe, expect, it } from 'vitest';
import { MemoryFiles, shareOnlyGuest } from '../../../test/fakes/memory-files.ts';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import type { GuestPort } from '../../protocol/guest/port.ts';
import { SavedTrees } from './saved-trees.ts';

function setup(options: { quotaBytes?: number } = {}) {
  const files = new MemoryFiles();
  const guest = shareOnlyGuest(files);
  const stores = memoryStores(options);
  return { files, spawned: guest.spawned, stores, trees: new SavedTrees(guest, stores) };
}

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b) : null);

describe('SavedTrees', () => {
  it('saves after a guest sync and restores into a fresh share', async () => {
    const a = setup();
    await a.files.write('/workspace/app/Dockerfile', text('FROM busybox\n'));
    await a.trees.save('workspace', '/workspace');
    expect(a.spawned).toEqual([['/bin/sync', '-f', '/mnt/host']]);

    const b = new SavedTrees({ files: new MemoryFiles() } as unknown as GuestPort, a.stores);
    expect(await b.restore('workspace', '/workspace')).toBe(true);
    expect(decode(await b.files.read('/workspace/app/Dockerfile'))).toBe('FROM busybox\n');
    expect(await b.restore('other', '/other')).toBe(false);
  });

  it('sets a record aside when its blob is gone, so the next save of an empty tree keeps it', async () => {
    const a = setup();
    await a.files.write('/workspace/notes.txt', text('precious'));
    await a.trees.save('workspace', '/workspace');
    for (const digest of await a.stores.blobs.list()) await a.stores.blobs.delete(digest);
    const problems: string[] = [];
    const b = new SavedTrees({ files: new MemoryFiles() } as unknown as GuestPort, a.stores, (m) => problems.push(m));
    expect(await b.restore('workspace', '/workspace')).toBe(false);
    expect(problems).toEqual([expect.stringMatching(/^saved tree workspace: its content \(sha256:[0-9a-f]{64}\) is missing or corrupt in the store; it starts empty, and its record is kept as tree-damaged\/workspace\/\d+$/)]);
    expect(await a.stores.meta.list('tree-damaged/workspace/')).toHaveLength(1);
    expect(await a.stores.meta.get('tree/workspace')).toBeUndefined();
  });

  it('replaces the previous blob, keeping a blob another tree still names', async () => {
    const { files, trees, stores } = setup();
    await files.write('/v1/f', text('same'));
    await files.write('/v2/f', text('same'));
    await trees.save('v1', '/v1');
    await trees.save('v2', '/v2');
    expect(stores.blobs.blobs.size).toBe(1);
    await files.write('/v1/f', text('changed'));
    await trees.save('v1', '/v1');
    expect(stores.blobs.blobs.size).toBe(2);
    await trees.forget('v2');
    expect(stores.blobs.blobs.size).toBe(1);
  });

  it('keeps the previous save when the store is full', async () => {
    const { files, trees, stores } = setup({ quotaBytes: 8 * 1024 });
    await files.write('/w/small', text('v1'));
    await trees.save('w', '/w');
    await files.write('/w/big', new Uint8Array(64 * 1024));
    await expect(trees.save('w', '/w')).rejects.toThrow(/space/);
    const restored = new MemoryFiles();
    await new SavedTrees({ files: restored } as unknown as GuestPort, stores).restore('w', '/w');
    expect(decode(await restored.read('/w/small'))).toBe('v1');
    expect(restored.exists('/w/big')).toBe(false);
  });

  it('forgets a tree whose directory is gone', async () => {
    const { files, trees, stores } = setup();
    await files.write('/w/f', text('x'));
    await trees.save('w', '/w');
    files.remove('/w');
    await trees.save('w', '/w');
    expect(await stores.meta.list('tree/')).toEqual([]);
    expect(stores.blobs.blobs.size).toBe(0);
  });
});
