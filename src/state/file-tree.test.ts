import { describe, expect, it } from 'vitest';
import type { WorkspaceEntry } from '../protocol/ui.ts';
import { buildTree, languageOf, type TreeNode } from './file-tree.ts';

const e = (path: string, type: WorkspaceEntry['type'] = 'file'): WorkspaceEntry => ({ path, type, size: 0, mtime: 0 });
const shape = (nodes: TreeNode[]): unknown[] => nodes.map((n) => (n.children.length ? { [n.name]: shape(n.children) } : n.name));

describe('buildTree', () => {
  it('nests by path, folders before files, names sorted', () => {
    const tree = buildTree([e('b.txt'), e('app', 'dir'), e('app/main.py'), e('app/lib', 'dir'), e('app/lib/x.py'), e('a.txt'), e('Dockerfile')]);
    expect(shape(tree)).toEqual([{ app: [{ lib: ['x.py'] }, 'main.py'] }, 'Dockerfile', 'a.txt', 'b.txt']);
  });

  it('keeps an orphan at the root rather than losing it', () => {
    const [orphan] = buildTree([e('gone/child')]);
    expect([orphan?.name, orphan?.path]).toEqual(['child', 'gone/child']);
  });
});

describe('languageOf', () => {
  it.each([
    ['Dockerfile', 'dockerfile'],
    ['app/Dockerfile.dev', 'dockerfile'],
    ['web.dockerfile', 'dockerfile'],
    ['compose.yaml', 'yaml'],
    ['docker-compose.yml', 'yaml'],
    ['app.py', 'python'],
    ['run.sh', 'shell'],
    ['.bashrc', 'shell'],
    ['package.json', 'json'],
    ['README', 'plain'],
    ['notes.txt', 'plain'],
  ])('%s → %s', (path, language) => {
    expect(languageOf(path)).toBe(language);
  });
});
