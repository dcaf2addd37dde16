// Where a path inside a container lives on the Docker host (the guest), for `docker cp`: inside a
// mount point it is the mount's source (a bind source, a volume's data, or the hostname, hosts and
// resolv.conf files the daemon bind-mounts), elsewhere the container's rootfs. A running
// container's mounts are only in its own mount namespace, so reading the rootfs there would find
// the empty mount-point files instead of their content.
import type { ContainerRecord } from './record.ts';
import { GuestPaths } from './runtime.ts';

export interface GuestPathDeps {
  /** Guest path of a volume's data directory. */
  volumeSource(name: string): Promise<string>;
}

/** path.Clean of an absolute container path. */
function clean(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

const within = (path: string, dir: string) => path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);

export async function guestPathOf(record: ContainerRecord, containerPath: string, deps: GuestPathDeps): Promise<string> {
  const path = clean(containerPath);
  const shared = GuestPaths.sharedInGuest(record.Id);
  const files: Record<string, string> = { '/etc/hostname': `${shared}/hostname`, '/etc/hosts': `${shared}/hosts`, '/etc/resolv.conf': `${shared}/resolv.conf` };
  if (files[path]) return files[path];
  // The deepest mount point holding the path wins, as the kernel's mount stacking does.
  const mount = (record.mountPoints ?? [])
    .filter((m) => m.Type !== 'tmpfs' && within(path, clean(m.Destination)))
    .sort((a, b) => b.Destination.length - a.Destination.length)[0];
  if (mount) {
    const source = mount.Type === 'volume' ? await deps.volumeSource(mount.Name!) : mount.Source;
    return source.replace(/\/+$/, '') + path.slice(clean(mount.Destination).length);
  }
  return `${GuestPaths.bundle(record.Id)}/rootfs${path === '/' ? '' : path}`;
}
