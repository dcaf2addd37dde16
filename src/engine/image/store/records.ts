// What the image store keeps in the MetaStore. Blobs (manifests, configs, compressed layers) are in
// the BlobStore; these records are the index over them, written in one batch after the blobs.
//
//   image/<image ID>          ImageRecord  (image ID = config digest, as in Docker)
//   ref/<canonical reference> RefRecord    (docker.io/library/busybox:latest, …/busybox@sha256:…)
import type { Digest, ImageConfig } from '../oci.ts';
import { sha256Hex } from '../../../lib/digest.ts';
import { readTar } from '../../../lib/tar.ts';

export const IMAGE_PREFIX = 'image/';
export const REF_PREFIX = 'ref/';

export const imageKey = (id: Digest): string => IMAGE_PREFIX + id;
export const refKey = (canonical: string): string => REF_PREFIX + canonical;

export interface LayerRecord {
  /** The compressed blob, as the manifest names it. */
  digest: Digest;
  mediaType: string;
  /** Compressed size. */
  size: number;
  /** sha256 of the uncompressed tar. */
  diffId: Digest;
  /** Docker's chain ID: the layer with everything under it. */
  chainId: Digest;
  /** Bytes the layer's files take once unpacked, as Docker measures a layer (its DiffSize). */
  diffSize: number;
}

export interface ImageRecord {
  id: Digest;
  manifestDigest: Digest;
  config: ImageConfig;
  layers: LayerRecord[];
  /** Sum of the layers' diffSize: Docker's image Size. */
  size: number;
  /** RFC 3339 time of the last `docker tag`; absent for pulled images, as in Docker. */
  lastTagTime?: string;
  /** The image a build step made this one from (Docker's Parent): built images only. */
  parent?: Digest;
}

export interface RefRecord {
  id: Digest;
}

/** chainId(n) = sha256(chainId(n-1) + " " + diffId(n)), with chainId(0) = diffId(0). */
export async function chainIds(diffIds: readonly Digest[]): Promise<Digest[]> {
  const out: Digest[] = [];
  for (const diffId of diffIds) {
    const previous = out[out.length - 1];
    out.push(previous === undefined ? diffId : `sha256:${await sha256Hex(new TextEncoder().encode(`${previous} ${diffId}`))}`);
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * What overlay2 reports for an unpacked layer: regular files' sizes (a hard-linked file once) plus
 * symlink target lengths; directories, devices and whiteouts count nothing.
 */
export function layerDiffSize(tar: Uint8Array): number {
  let size = 0;
  for (const entry of readTar(tar)) {
    if (entry.type === 'file') size += entry.size;
    else if (entry.type === 'symlink') size += encoder.encode(entry.linkname).length;
  }
  return size;
}
