// Docker's copy-up (daemon/create_unix.go populateVolume): when a container is created with an
// empty volume mounted where its image has a directory, the image's content (and the directory's
// owner and mode) is copied into the volume. Done host side, from the image's merged tree in the
// 9p share straight into the volume's data directory.
import type { GuestFiles, TreeEntry } from '../../protocol/guest/port.ts';
import { GUEST_SHARE_PATH } from '../../protocol/guest/port.ts';
import { resolveInTree, type ImageRootfs } from '../container/launch.ts';

/** True when the share directory holds nothing but itself (or does not exist). */
export function isEmptyTree(files: GuestFiles, root: string): boolean {
  const tree = files.readTree(root);
  return !tree || tree.length <= 1;
}

/** The image's directory at a container path (symlinks resolved inside the image), if any. */
export function imageDirectory(rootfs: ImageRootfs, destination: string): TreeEntry | undefined {
  const entry = resolveInTree(rootfs, destination);
  return entry?.type === 'dir' ? entry : undefined;
}

/**
 * Copies the image directory at `destination` (a container path, symlinks resolved inside the
 * image) into the share directory `dataRoot`, which must not exist yet; true if it did.
 */
export async function copyImageContent(files: GuestFiles, rootfs: ImageRootfs, destination: string, dataRoot: string): Promise<boolean> {
  const entry = imageDirectory(rootfs, destination);
  if (!entry || files.exists(dataRoot)) return false;
  const imageRoot = rootfs.lowerDir.startsWith(GUEST_SHARE_PATH) ? rootfs.lowerDir.slice(GUEST_SHARE_PATH.length) : rootfs.lowerDir;
  const source = files.readTree(entry.path ? `${imageRoot}/${entry.path}` : imageRoot);
  if (!source) return false;
  // The image tree's bytes are shared with its lower dir: the volume is written to, so it gets copies.
  await files.writeTree(dataRoot, source.map((e) => (e.data ? { ...e, data: e.data.slice() } : e)));
  return true;
}
