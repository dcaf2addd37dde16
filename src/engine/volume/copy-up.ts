// Docker's copy-up (daemon/create_unix.go populateVolume): when a container is created with an
// empty volume mounted where its image has a directory, the image's content (and the directory's
// owner and mode) is copied into the volume. The directory is found host side, in the image's
// merged tree; VolumeService.populate copies it in the guest, from the share onto the disk.
import type { TreeEntry } from '../../protocol/guest/port.ts';
import { resolveInTree, type ImageRootfs } from '../container/launch.ts';

/** The image's directory at a container path (symlinks resolved inside the image), if any. */
export function imageDirectory(rootfs: ImageRootfs, destination: string): TreeEntry | undefined {
  const entry = resolveInTree(rootfs, destination);
  return entry?.type === 'dir' ? entry : undefined;
}
