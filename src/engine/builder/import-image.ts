// `docker import`: a filesystem tarball (what `docker export` writes, or any rootfs tar) as a
// one-layer image, with `--change` instructions for its config and moby's history comment
// ("Imported from -"). The tar is rewritten with clean relative names, as moby re-reads it into
// a layer; names that would leave the root are refused.
import { parseDockerRef, ReferenceError } from '../../lib/reference.ts';
import { endTar, FLAG_OF_TYPE, normaliseTarPath, readTar, TarError, writeTarEntry } from '../../lib/tar.ts';
import { concatBytes } from '../../lib/bytes.ts';
import { DaemonError } from '../container/state.ts';
import type { ImageService } from '../image/images.ts';
import type { Digest } from '../image/oci.ts';
import { commitStep } from './commit.ts';
import { decompressArchive, type Decompress } from './context.ts';
import { applyChanges } from './commit-container.ts';

export interface ImportOptions {
  /** Where the tar came from, as the client named it (`-` for its stdin). */
  fromSrc: string;
  repo?: string;
  tag?: string;
  message?: string;
  changes?: readonly string[];
}

/** The tarball as a layer: relative names without `./`, no entry for the root itself. */
function layerOf(archive: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  try {
    for (const e of archive.length ? readTar(archive) : []) {
      const path = normaliseTarPath(e.path.replace(/^\/+/, ''));
      if (!path || path === '.') continue;
      if (path.split('/').includes('..')) throw new DaemonError(`Error processing tar file(invalid path: ${e.path})`, 'invalid-parameter');
      const linkname = e.type === 'hardlink' ? normaliseTarPath(e.linkname.replace(/^\/+/, '')) : e.linkname;
      writeTarEntry(parts, { name: e.type === 'directory' ? `${path}/` : path, flag: FLAG_OF_TYPE[e.type], mode: e.mode, uid: e.uid, gid: e.gid, mtime: e.mtime, linkname, major: e.devmajor, minor: e.devminor, data: e.data });
    }
  } catch (e) {
    if (e instanceof TarError) throw new DaemonError(`Error processing tar file(${e.message})`, 'invalid-parameter');
    throw e;
  }
  endTar(parts);
  return concatBytes(parts);
}

export async function importImage(deps: { images: ImageService; now(): number; decompress?: Decompress }, source: Uint8Array, options: ImportOptions): Promise<Digest> {
  let target: string | null = null;
  if (options.repo) {
    try {
      const named = parseDockerRef(options.tag ? `${options.repo}:${options.tag}` : options.repo);
      if (named.digest !== undefined) throw new DaemonError('cannot import digest reference', 'invalid-parameter');
      target = options.tag ? `${options.repo}:${options.tag}` : options.repo;
    } catch (e) {
      if (e instanceof ReferenceError) throw new DaemonError(e.message, 'invalid-parameter');
      throw e;
    }
  }
  const state = { config: {}, shell: ['/bin/sh', '-c'], cmdSet: false };
  applyChanges(state, options.changes ?? []);
  let tar: Uint8Array;
  try {
    tar = await decompressArchive(source, deps.decompress);
  } catch (e) {
    throw new DaemonError(`Error processing tar file(${(e as Error).message})`, 'invalid-parameter');
  }
  const layer = layerOf(tar);
  const image = await commitStep(
    deps.images,
    null,
    { config: state.config, history: { comment: options.message || `Imported from ${options.fromSrc}` }, layer },
    new Date(deps.now()),
  );
  deps.images.notify('import', image.id, image.id);
  if (target) await deps.images.tag(image.id, target);
  return image.id;
}
