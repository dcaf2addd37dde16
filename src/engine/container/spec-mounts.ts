// config.json mounts as moby builds them (oci/defaults.go, withMounts in daemon/oci_linux.go):
// Docker's default filesystems, overridden by user mounts at the same destination, then the user's
// binds and tmpfs mounts ordered by depth, then read-only and privileged adjustments.
import type { OciMount, SpecMountInput } from './spec-types.ts';

export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

function defaultMounts(): OciMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    // crun mounts cgroup2 here on a unified host, scoped by the cgroup namespace.
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777'] },
  ];
}

// Flags that cancel each other share a key (as moby/sys/mount's flag table): the last one wins.
const flagKeys: Record<string, string> = {
  ro: 'rdonly', rw: 'rdonly', suid: 'nosuid', nosuid: 'nosuid', dev: 'nodev', nodev: 'nodev',
  exec: 'noexec', noexec: 'noexec', sync: 'sync', async: 'sync', dirsync: 'dirsync', remount: 'remount',
  mand: 'mand', nomand: 'mand', atime: 'noatime', noatime: 'noatime', diratime: 'nodiratime',
  nodiratime: 'nodiratime', relatime: 'relatime', norelatime: 'relatime', strictatime: 'strictatime',
  nostrictatime: 'strictatime',
};
const propagation = new Set(['bind', 'rbind', 'unbindable', 'runbindable', 'private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);
const tmpfsData = new Set(['', 'size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

/** moby's MergeTmpfsOptions: later options win, each kept once, in the order of their last use. */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const option of [...options].reverse()) {
    if (option === 'defaults') continue;
    const flag = propagation.has(option) ? 'propagation' : flagKeys[option];
    const eq = option.indexOf('=');
    if (flag === undefined && (eq < 0 || !tmpfsData.has(option.slice(0, eq)))) {
      const parts = eq < 0 ? [option] : [option.slice(0, eq), option.slice(eq + 1)];
      throw new Error(`invalid tmpfs option [${parts.map((p) => JSON.stringify(p)).join(' ')}]`);
    }
    const key = flag ?? `data:${option.slice(0, eq)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.unshift(option);
  }
  return merged;
}

const depth = (path: string) => path.split('/').filter(Boolean).length;

function userMount(m: SpecMountInput): OciMount {
  if (m.type === 'tmpfs') {
    const options = ['noexec', 'nosuid', 'nodev', 'rprivate', ...(m.options ? m.options.split(',') : [])];
    return { destination: m.destination, type: 'tmpfs', source: 'tmpfs', options: mergeTmpfsOptions(options) };
  }
  const options = [m.nonRecursive ? 'bind' : 'rbind'];
  // Plain `ro`: crun 1.8.1 fails `rro` on a file bind ("open mount target: Not a directory").
  if (m.readonly) options.push('ro');
  if (m.propagation) options.push(m.propagation);
  return { destination: m.destination, type: 'bind', source: m.source, options };
}

export interface MountSettings {
  mounts?: readonly SpecMountInput[];
  shmSize?: number;
  readonlyRootfs?: boolean;
  privileged?: boolean;
  /** --security-opt writable-cgroups; privileged containers have them writable unless told. */
  writableCgroups?: boolean;
}

export function containerMounts(settings: MountSettings): OciMount[] {
  const { mounts = [], shmSize = DEFAULT_SHM_SIZE, readonlyRootfs = false, privileged = false } = settings;
  const writableCgroups = settings.writableCgroups ?? privileged;
  // Shallow destinations first, so a mount never hides one inside it (moby's sortMounts).
  const user = [...mounts].sort((a, b) => depth(a.destination) - depth(b.destination));
  const userDestinations = new Set(user.map((m) => m.destination));
  const ownDev = userDestinations.has('/dev');
  const defaults = defaultMounts()
    .filter((m) => !userDestinations.has(m.destination) && !(ownDev && m.destination.startsWith('/dev/')))
    .map((m) => (m.destination === '/dev/shm' ? { ...m, options: [...(m.options ?? []), `size=${shmSize}`] } : m));
  const writable = new Set(['/proc', '/dev/pts', '/dev/shm', '/dev/mqueue', '/dev']);
  return [
    ...defaults.map((m) => {
      let options = m.options ?? [];
      if (readonlyRootfs && !writable.has(m.destination) && !options.includes('ro')) options = [...options, 'ro'];
      // Privileged containers get /sys writable.
      if ((privileged && m.destination === '/sys') || (writableCgroups && m.type === 'cgroup')) options = options.filter((o) => o !== 'ro');
      return { ...m, options };
    }),
    ...user.map(userMount),
  ];
}
