// The workspace listing (flat, parents first) as the nested tree the file panel draws: folders
// first, then files, each group by name; a child whose parent is missing hangs from the root.
import type { WorkspaceEntry } from '../protocol/ui.ts';

export interface TreeNode {
  name: string;
  path: string;
  entry: WorkspaceEntry;
  children: TreeNode[];
}

export function buildTree(entries: readonly WorkspaceEntry[]): TreeNode[] {
  const roots: TreeNode[] = [];
  const byPath = new Map<string, TreeNode>();
  for (const entry of entries) {
    const slash = entry.path.lastIndexOf('/');
    const node: TreeNode = { name: entry.path.slice(slash + 1), path: entry.path, entry, children: [] };
    byPath.set(entry.path, node);
    const parent = slash < 0 ? undefined : byPath.get(entry.path.slice(0, slash));
    (parent?.children ?? roots).push(node);
  }
  sortNodes(roots);
  return roots;
}

function sortNodes(nodes: TreeNode[]): void {
  nodes.sort((a, b) => {
    const dirs = Number(b.entry.type === 'dir') - Number(a.entry.type === 'dir');
    return dirs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
  for (const node of nodes) sortNodes(node.children);
}

/** The editor language for a file name (CodeMirror modes loaded by the editor). */
export type EditorLanguage = 'dockerfile' | 'yaml' | 'python' | 'shell' | 'json' | 'plain';

export function languageOf(path: string): EditorLanguage {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === 'dockerfile' || name.startsWith('dockerfile.') || name.endsWith('.dockerfile') || name === 'containerfile') return 'dockerfile';
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
  if (ext === 'yml' || ext === 'yaml') return 'yaml';
  if (ext === 'py') return 'python';
  if (ext === 'sh' || ext === 'bash' || name === '.bashrc' || name === '.profile' || name === '.bash_profile') return 'shell';
  if (ext === 'json') return 'json';
  return 'plain';
}
