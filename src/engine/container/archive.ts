// `docker cp` on the daemon side: copies between a container's filesystem and the Docker host
// (the guest) without ever leaving the container. A container can plant symlinks and `..` to
// point a copy at the host's /etc or at another container (the CVE-2018-15664 class), so paths
// in the container are never resolved on the host: each copy runs in a throwaway mount namespace
// where the container's mounts are laid over its rootfs, the host side is bind-mounted into a
// scratch tmpfs, and the copy itself runs chrooted into that rootfs, where every symlink and `..`
// resolves inside the container as the kernel resolves it for the container's own processes.
import type { ByteSink, ByteSource, GuestPort } from '../../protocol/guest/port.ts';
import { DaemonError } from './state.ts';
import type { ContainerRecord } from './record.ts';
import { GuestPaths } from './runtime.ts';

export interface ArchiveDeps {
  guest: GuestPort;
  /** Guest path of a volume's data directory. */
  volumeSource(name: string): Promise<string>;
  /** Mounts the rootfs of a container that has not run since the boot. */
  mountRootfs(record: ContainerRecord): Promise<void>;
}

/** Where the host side of a copy is: a guest path, or a tar stream of the client's. */
export type HostSide = { path: string } | { tar: ByteSink } | { tarFrom: ByteSource };

export interface CopyResult {
  /** Size of the tar stream Docker would have sent (what "Successfully copied" reports). */
  bytes: number;
  /** What the copy printed (a stat's answer). */
  stdout?: string;
}

/** moby's PathStat (the X-Docker-Container-Path-Stat header): mode is Go's os.FileMode. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** Go's os.FileMode bits for a Unix st_mode. */
export function goFileMode(unixMode: number): number {
  const type = unixMode & 0o170000;
  let mode = unixMode & 0o777;
  if (unixMode & 0o4000) mode |= 1 << 23; // setuid
  if (unixMode & 0o2000) mode |= 1 << 22; // setgid
  if (unixMode & 0o1000) mode |= 1 << 20; // sticky
  if (type === 0o040000) mode |= 2 ** 31; // dir
  else if (type === 0o120000) mode |= 1 << 27; // symlink
  else if (type === 0o010000) mode |= 1 << 25; // named pipe
  else if (type === 0o140000) mode |= 1 << 24; // socket
  else if (type === 0o020000) mode |= (1 << 26) | (1 << 21); // char device
  else if (type === 0o060000) mode |= 1 << 26; // block device
  return mode >>> 0;
}

/** Exit codes of the script, each a failure the caller words as Docker does. */
const Exit = { NO_SOURCE: 3, NOT_MOUNTED: 4, NO_SCRATCH: 5, NO_DEST: 6 } as const;

// $1 mode (out | in | out-tar | in-tar | stat | export), $2 rootfs, $3 container path, $4 host path, $5 "L" to
// follow a symlink source, then DEST SOURCE pairs of the container's mounts, shallow first.
// The scratch tmpfs goes over /proc or /dev, mount points in every running container, hidden
// from the copy only (their content is the kernel's, not the container's files).
// busybox is static: copied onto the scratch tmpfs, it runs inside the chroot whatever the image.
const SCRIPT = String.raw`
mode=$1 root=$2 cpath=$3 hpath=$4 follow=$5; shift 5
[ -e "$root/../.mounted" ] || exit 4
mount --make-rprivate / 2>/dev/null
while [ $# -ge 2 ]; do
  [ -e "$root$1" ] && [ -e "$2" ] && mount --bind "$2" "$root$1" 2>/dev/null
  shift 2
done
scratch=proc; [ -d "$root/proc" ] && [ ! -L "$root/proc" ] || scratch=dev
# A container that never ran may have neither: crun makes /dev at its start anyway.
[ -e "$root/dev" ] || [ -L "$root/dev" ] || mkdir "$root/dev"
[ -d "$root/$scratch" ] && [ ! -L "$root/$scratch" ] || exit 5
mount -t tmpfs -o size=8m,mode=700 slipway-cp "$root/$scratch" || exit 5
cp /usr/bin/busybox "$root/$scratch/busybox"
mkdir "$root/$scratch/io"
in_root() { chroot "$root" "/$scratch/busybox" "$@"; }
case $mode in
out|out-tar)
  in_root test -e "$cpath" -o -L "$cpath" || exit 3
  dir=$(in_root dirname "$cpath") base=$(in_root basename "$cpath")
  if [ "$follow" = L ] && in_root test -L "$cpath"; then
    t=$(in_root readlink -f "$cpath") && dir=$(in_root dirname "$t")
  fi
  [ "$mode" = out-tar ] && exec chroot "$root" "/$scratch/busybox" tar -cf - -C "$dir" "$base"
  in_root tar -cf - -C "$dir" "$base" | wc -c >&2
  if [ -d "$hpath" ] && [ ! -L "$hpath" ]; then
    mount --bind "$hpath" "$root/$scratch/io" && target=/$scratch/io
  else
    case $hpath in */) exit 6 ;; esac
    [ -d "$(dirname "$hpath")" ] || exit 6
    mount --bind "$(dirname "$hpath")" "$root/$scratch/io" && target=/$scratch/io/$(basename "$hpath")
  fi
  in_root cp -a$follow "$cpath" "$target"
  ;;
in)
  [ -e "$hpath" ] || [ -L "$hpath" ] || exit 3
  base=$(basename "$hpath")
  tar -cf - -C "$(dirname "$hpath")" "$base" | wc -c >&2
  mkdir -p "$root/$scratch/io"
  if [ -d "$hpath" ]; then mkdir "$root/$scratch/io/$base"; else : > "$root/$scratch/io/$base"; fi
  mount --bind "$hpath" "$root/$scratch/io/$base"
  parent=$(in_root dirname "$cpath")
  in_root test -d "$parent" || exit 6
  in_root cp -a "/$scratch/io/$base" "$cpath"
  ;;
stat)
  in_root test -e "$cpath" -o -L "$cpath" || exit 3
  in_root stat -c '%s %f %Y' "$cpath"
  in_root test -L "$cpath" && in_root readlink "$cpath"
  exit 0
  ;;
in-tar)
  in_root test -d "$cpath" || exit 6
  exec chroot "$root" "/$scratch/busybox" tar -xf - -C "$cpath"
  ;;
export)
  # The rootfs's top-level names (the scratch mount aside), archived from inside the chroot.
  cd "$root" || exit 4
  for n in .[!.]* ..?* *; do
    [ -e "$n" ] || [ -L "$n" ] || continue
    [ "$n" = "$scratch" ] || set -- "$@" "$n"
  done
  exec chroot "$root" "/$scratch/busybox" tar -cf - -C / "$@"
  ;;
esac
`;

/** The container's mounts as DEST SOURCE pairs, shallow first (as crun stacks them). */
async function mountPairs(record: ContainerRecord, deps: ArchiveDeps): Promise<string[]> {
  const shared = GuestPaths.sharedInGuest(record.Id);
  const mounts: [string, string][] = [
    ['/etc/hostname', `${shared}/hostname`],
    ['/etc/hosts', `${shared}/hosts`],
    ['/etc/resolv.conf', `${shared}/resolv.conf`],
  ];
  for (const m of record.mountPoints ?? []) {
    if (m.Type === 'bind') mounts.push([m.Destination, m.Source]);
    else if (m.Type === 'volume' && m.Name) mounts.push([m.Destination, await deps.volumeSource(m.Name)]);
  }
  mounts.sort((a, b) => a[0].split('/').length - b[0].split('/').length);
  return mounts.flat();
}

function absolute(containerPath: string): string {
  return containerPath.startsWith('/') ? containerPath : `/${containerPath}`;
}

async function runCopy(record: ContainerRecord, mode: string, containerPath: string, host: HostSide, follow: boolean, deps: ArchiveDeps): Promise<CopyResult> {
  const rootfs = `${GuestPaths.bundle(record.Id)}/rootfs`;
  // An export is the container's own filesystem: its volumes and bind mounts are not part of it.
  const pairs = mode === 'export' ? [] : await mountPairs(record, deps);
  const args = [mode, rootfs, absolute(containerPath), 'path' in host ? host.path : '', follow ? 'L' : '', ...pairs];
  let stdout = '';
  const attempt = async () => {
    const proc = await deps.guest.spawn({ argv: ['unshare', '-m', '/bin/sh', '-c', SCRIPT, 'slipway-cp', ...args], env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/' });
    const feeding = 'tarFrom' in host ? pump(host.tarFrom, proc.stdin) : (proc.stdin.end(), Promise.resolve());
    const output = 'tar' in host ? pump(proc.stdout, host.tar, false) : collect(proc.stdout).then((text) => void (stdout = text));
    const [stderr, status] = await Promise.all([collect(proc.stderr), proc.exited, feeding.catch(() => undefined), output]);
    return { code: status.signal ? 128 + status.signal : status.code, stderr };
  };
  let r = await attempt();
  if (r.code === Exit.NOT_MOUNTED) {
    await deps.mountRootfs(record);
    r = await attempt();
  }
  const where = absolute(containerPath);
  const name = record.Name.replace(/^\//, '');
  switch (r.code) {
    case 0:
      return { bytes: Number(/^\s*(\d+)\s*$/m.exec(r.stderr)?.[1] ?? 0), stdout };
    case Exit.NO_SOURCE:
      throw new DaemonError(mode.startsWith('out') || mode === 'stat' ? `Could not find the file ${where} in container ${name}` : `lstat ${'path' in host ? host.path : '-'}: no such file or directory`, 'not-found');
    case Exit.NO_DEST:
      throw new DaemonError(mode.startsWith('in') ? `Could not find the file ${where} in container ${name}` : `destination ${'path' in host ? host.path : ''} does not exist or is not a directory`, 'not-found');
    case Exit.NO_SCRATCH:
      throw new DaemonError(`cannot copy: container ${name} has neither /proc nor /dev to work in`, 'system');
    default:
      throw new DaemonError(r.stderr.replace(/^\s*\d+\s*$/m, '').trim().replace(/^(busybox|cp|tar): /gm, '') || `copy failed (${r.code})`, 'system');
  }
}

/** GET /containers/{id}/archive, written to a guest path (`docker cp c:SRC DEST`) or as a tar. */
export function copyFromContainer(record: ContainerRecord, containerPath: string, host: { path: string } | { tar: ByteSink }, follow: boolean, deps: ArchiveDeps): Promise<CopyResult> {
  return runCopy(record, 'path' in host ? 'out' : 'out-tar', containerPath, host, follow, deps);
}

/** PUT /containers/{id}/archive, from a guest path (`docker cp SRC c:DEST`) or a tar (`-`). */
export function copyToContainer(record: ContainerRecord, host: { path: string } | { tarFrom: ByteSource }, containerPath: string, deps: ArchiveDeps): Promise<CopyResult> {
  return runCopy(record, 'path' in host ? 'in' : 'in-tar', containerPath, host, false, deps);
}

/**
 * GET /containers/{id}/export: the container's filesystem (image and writable layer, without its
 * mounts) as a tar whose names are relative (`bin/sh`), as moby's export writes them.
 */
export async function exportContainer(record: ContainerRecord, tar: ByteSink, deps: ArchiveDeps): Promise<void> {
  await runCopy(record, 'export', '/', { tar }, false, deps);
}

/** HEAD /containers/{id}/archive: the path's stat, resolved inside the container. */
export async function statInContainer(record: ContainerRecord, containerPath: string, deps: ArchiveDeps): Promise<PathStat> {
  const { stdout = '' } = await runCopy(record, 'stat', containerPath, { path: '' }, false, deps);
  const [first = '', linkTarget = ''] = stdout.split('\n');
  const [size = '0', hexMode = '0', mtime = '0'] = first.trim().split(' ');
  const path = absolute(containerPath).replace(/\/+$/, '');
  return {
    name: path.slice(path.lastIndexOf('/') + 1) || '/',
    size: Number(size),
    mode: goFileMode(parseInt(hexMode, 16)),
    mtime: new Date(Number(mtime) * 1000).toISOString().replace('.000Z', 'Z'),
    linkTarget,
  };
}

async function pump(source: ByteSource, sink: ByteSink, end = true): Promise<void> {
  for await (const chunk of source) await sink.write(chunk);
  if (end) sink.end();
}

async function collect(source: ByteSource): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of source) text += decoder.decode(chunk, { stream: true });
  return text;
}
