import { describe, expect, it } from 'vitest';
import type { TreeEntry } from '../../protocol/guest/port.ts';
import { readTar } from '../../lib/tar.ts';
import { tarToTree, treeToTar } from './tree-tar.ts';

const text = (s: string) => new TextEncoder().encode(s);
const base = { mode: 0o755, uid: 0, gid: 0, mtime: 1_700_000_000 };

describe('treeToTar', () => {
  it('round-trips every entry type through the tar reader', () => {
    const long = `${'d'.repeat(60)}/${'f'.repeat(60)}.txt`;
    const tree: TreeEntry[] = [
      { ...base, path: '', type: 'dir' },
      { ...base, path: 'app', type: 'dir', uid: 1000, gid: 1000 },
      { ...base, path: 'app/main.py', type: 'file', mode: 0o644, data: text('print("hi")\n') },
      { ...base, path: 'app/link', type: 'symlink', target: 'main.py' },
      { ...base, path: 'gone', type: 'char', major: 0, minor: 0 },
      { ...base, path: 'fifo', type: 'fifo', mode: 0o600 },
      { ...base, path: 'd'.repeat(60), type: 'dir' },
      { ...base, path: long, type: 'file', mode: 0o600, data: new Uint8Array(513).fill(7) },
      { ...base, path: 'файл', type: 'file', mode: 0o644, data: text('да') },
      { ...base, path: 'app/again', type: 'hardlink', target: 'app/main.py' },
    ];
    const tar = treeToTar(tree);
    expect(tar.length % 512).toBe(0);
    expect([...readTar(tar)].map((e) => [e.path, e.type, e.mode, e.uid, e.size, e.linkname])).toEqual([
      ['./', 'directory', 0o755, 0, 0, ''],
      ['app/', 'directory', 0o755, 1000, 0, ''],
      ['app/main.py', 'file', 0o644, 0, 12, ''],
      ['app/link', 'symlink', 0o755, 0, 0, 'main.py'],
      ['gone', 'char', 0o755, 0, 0, ''],
      ['fifo', 'fifo', 0o600, 0, 0, ''],
      [`${'d'.repeat(60)}/`, 'directory', 0o755, 0, 0, ''],
      [long, 'file', 0o600, 0, 513, ''],
      ['файл', 'file', 0o644, 0, 4, ''],
      ['app/again', 'hardlink', 0o755, 0, 0, 'app/main.py'],
    ]);
    const back = [...tarToTree(tar)];
    expect(back.map((e) => e.path)).toEqual(tree.map((e) => e.path));
    expect(new TextDecoder().decode(back.find((e) => e.path === 'файл')?.data)).toBe('да');
    expect(back.find((e) => e.path === long)?.data).toEqual(new Uint8Array(513).fill(7));
  });

  it('writes an empty tree as the two end blocks only', () => {
    expect(treeToTar([])).toEqual(new Uint8Array(1024));
  });

  it('drops entries that climb out of the tree when reading', () => {
    const tar = treeToTar([{ ...base, path: '../etc/passwd', type: 'file', data: text('x') }, { ...base, path: 'ok', type: 'file' }]);
    expect([...tarToTree(tar)].map((e) => e.path)).toEqual(['ok']);
  });
});
