// The Docker host's disk in the guest: v86's first IDE disk (/dev/sda, ext4, formatted from
// kernel-images/disk/build.sh's template), mounted on /var/lib/docker after every boot. It holds
// what a real Docker host keeps there: containers' writable layers (containers/ID, each an ext4
// quota project) and volumes (volumes/NAME/_data). Its blocks live in the store (vm/disk.ts), so
// it survives reloads, kills and crashes as a disk survives a power cut: ext4's journal replays.
import type { GuestRuntime } from './container/runtime.ts';

export const DOCKER_ROOT = '/var/lib/docker';
export const LAYERS_ROOT = `${DOCKER_ROOT}/containers`;
export const VOLUMES_ROOT = `${DOCKER_ROOT}/volumes`;
/** How often the guest writes back what it cached (slipway-ctr flusher). */
const FLUSH_INTERVAL_MS = 300;

// The kernel's cached blocks of /dev/sda from its partition scan (of the template disk) were
// dropped before the boot snapshot was taken (Machine.boot). commit=1: ext4 commits its journal
// every second; noinit_itable: the template's inode tables are zeros already. The flusher writes back the disk and the 9p share
// (the workspace) every FLUSH_INTERVAL_MS without anyone calling fsync.
const MOUNT_SCRIPT = `set -e
grep -q " ${DOCKER_ROOT} " /proc/mounts && exit 0
mkdir -p ${DOCKER_ROOT}
mount -t ext4 -o prjquota,noinit_itable,commit=1 /dev/sda ${DOCKER_ROOT}
mkdir -p ${LAYERS_ROOT} ${VOLUMES_ROOT}
/usr/sbin/slipway-ctr flusher ${FLUSH_INTERVAL_MS} ${DOCKER_ROOT} /root </dev/null >/dev/null 2>&1 &
`;

export class HostDiskError extends Error {
  override name = 'HostDiskError';
}

/** Mounts the disk (after a boot or a restore; a second call does nothing). */
export async function mountHostDisk(runtime: Pick<GuestRuntime, 'run'>): Promise<void> {
  const r = await runtime.run(['/bin/sh', '-c', MOUNT_SCRIPT]);
  if (r.code !== 0) throw new HostDiskError(`the Docker host's disk did not mount on ${DOCKER_ROOT}: ${r.stderr.trim() || `exit ${r.code}`}`);
}
