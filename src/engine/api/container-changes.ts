// GET /containers/{id}/changes: what the container changed against its image, from its writable
// layer on the Docker host's disk (and diffs stored by versions before the disk, if any).
import { resolveInTree } from '../container/launch.ts';
import type { ContainerRecord } from '../container/record.ts';
import { GuestPaths } from '../container/runtime.ts';
import type { Engine } from '../engine.ts';
import type { FilesystemChange } from './types.ts';

/** Paths Docker leaves out (set up by the runtime, not by the container). */
const EXCLUDED = ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/.dockerenv', '/dev', '/proc', '/sys'];

const excluded = (p: string) => EXCLUDED.some((x) => p === x || p.startsWith(`${x}/`));

export async function containerChanges(engine: Engine, record: ContainerRecord): Promise<FilesystemChange[]> {
  const rootfs = await engine.trees.get(record.Image);
  const upper = `${GuestPaths.layer(record.Id)}/upper`;
  const r = await engine.runtime.run(['/bin/sh', '-c', 'cd "$1" 2>/dev/null || exit 0; find .; echo ---; find . -type c', 'slipway-diff', upper]);
  const [all = '', whiteouts = ''] = r.stdout.split('---\n');
  const deleted = new Set(whiteouts.split('\n').filter(Boolean).map((p) => p.slice(1)));
  const paths = new Set(all.split('\n').filter(Boolean).map((x) => x.slice(1)));
  // Changes stored by versions before the disk lie below the layer.
  for (const c of await engine.containers.storedChanges(record)) {
    if (paths.has(c.path)) continue;
    paths.add(c.path);
    if (c.deleted) deleted.add(c.path);
  }
  const changes: FilesystemChange[] = [];
  for (const p of [...paths].sort()) {
    if (!p || excluded(p)) continue;
    changes.push({ Path: p, Kind: deleted.has(p) ? 2 : resolveInTree(rootfs, p) ? 0 : 1 });
  }
  // A directory the runtime only touched (mount points of /etc/hosts…) is not a change.
  return changes.filter((c) => c.Kind !== 0 || resolveInTree(rootfs, c.Path)?.type !== 'dir' || changes.some((d) => d.Path.startsWith(`${c.Path}/`)));
}
