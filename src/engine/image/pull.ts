// `docker pull` from the offline catalogue, with moby's progress messages in moby's order. Blobs
// are verified and stored first; the image and its references are committed in one batch last.
import { BlobIntegrityError, type BlobDigest } from '../../protocol/store.ts';
import { findInCatalogue, offlineImagesHint, type CatalogueSource } from './catalogue-source.ts';
import type { ImageService } from './images.ts';
import { isGzipLayer, type Descriptor, type Digest, type ImageConfig, type ImageManifest, type Platform } from './oci.ts';
import { formatPlatform, HOST_PLATFORM, platformMatches } from './platform.ts';
import { familiarName, familiarString, parseDockerRef, truncateId, type ImageReference } from '../../lib/reference.ts';
import { ImageError } from './store/errors.ts';
import { blobIsIntact } from '../store/verified-blobs.ts';
import { chainIds, layerDiffSize, type ImageRecord, type LayerRecord } from './store/records.ts';
import { gunzip, sha256Hex } from './validate.ts';

/** One progress message of a pull, as the daemon streams it (moby's jsonmessage fields). */
export interface PullEvent {
  id?: string;
  status: string;
  progressDetail?: { current?: number; total?: number };
}

/** Layers moby's download manager runs at once (max-concurrent-downloads); the rest wait. */
const CONCURRENT_DOWNLOADS = 3;

export interface PullOptions {
  onProgress?: (event: PullEvent) => void;
  /** `--platform`; unset: the host's (every catalogue image is linux/386). */
  platform?: Platform;
}

export interface PullResult {
  image: ImageRecord;
  /** The reference pulled, tag defaulted (`docker.io/library/busybox:latest`). */
  reference: ImageReference;
  /** False when the reference already pointed at this image ("Image is up to date"). */
  updated: boolean;
}

/**
 * A pull that failed after moby had answered and started its progress stream ("Pulling from"):
 * the error arrives in the stream, and docker prints it without "Error response from daemon".
 */
export class PullStreamError extends ImageError {
  override name = 'PullStreamError';
  constructor(message: string) {
    super('not-found', message);
  }
}

/** A failed pull: `message` is the daemon's, `hint` lists what can be pulled offline. */
export class PullError extends ImageError {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super('not-found', message);
  }
}

const decoder = new TextDecoder();

async function readVerified(source: CatalogueSource, descriptor: Descriptor): Promise<Uint8Array> {
  const bytes = await source.blob(descriptor.digest);
  const actual = `sha256:${await sha256Hex(bytes)}`;
  if (actual !== descriptor.digest || bytes.length !== descriptor.size) {
    throw new ImageError('invalid-parameter', `filesystem layer verification failed for digest ${descriptor.digest}`);
  }
  return bytes;
}

async function storeBlob(service: ImageService, descriptor: Descriptor, bytes: Uint8Array): Promise<void> {
  try {
    await service.blobs.put(descriptor.digest as BlobDigest, bytes, descriptor.size);
  } catch (error) {
    if (error instanceof BlobIntegrityError) throw new ImageError('invalid-parameter', `filesystem layer verification failed for digest ${descriptor.digest}`);
    throw error;
  }
}

/** Pulls `ref` (a string as typed, or parsed) from the catalogue into the image store. */
export function pullImage(service: ImageService, source: CatalogueSource, ref: string | ImageReference, options: PullOptions = {}): Promise<PullResult> {
  const reference = typeof ref === 'string' ? parseDockerRef(ref) : ref.digest !== undefined ? { domain: ref.domain, path: ref.path, digest: ref.digest } : { ...ref, tag: ref.tag ?? 'latest' };
  return service.exclusive(() => pull(service, source, reference, options.onProgress ?? (() => {}), options.platform));
}

async function pull(service: ImageService, source: CatalogueSource, ref: ImageReference, emit: (e: PullEvent) => void, platform?: Platform): Promise<PullResult> {
  // moby refuses the name before asking any registry (FROM scratch is the builder's, not an image).
  if (familiarName(ref) === 'scratch') throw new ImageError('invalid-parameter', "'scratch' is a reserved name");
  const lookup = await findInCatalogue(source, ref);
  if (!lookup.found) {
    if (lookup.reason === 'no-repository') {
      const hint = await offlineImagesHint(source, ref);
      throw new PullError(
        `pull access denied for ${familiarName(ref)}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
        hint,
      );
    }
    throw new PullError(`manifest for ${familiarString(ref)} not found: manifest unknown: manifest unknown`, await offlineImagesHint(source));
  }
  const manifestBytes = await readVerified(source, lookup.manifest);
  const manifest = JSON.parse(decoder.decode(manifestBytes)) as ImageManifest;
  emit({ id: ref.tag ?? ref.digest, status: `Pulling from ${ref.path}` });
  // The catalogue stands for Docker Hub's multi-platform images with only their linux/386 entry,
  // so another platform is moby's answer for a manifest list without it.
  if (platform && !platformMatches(platform, lookup.manifest.platform ?? HOST_PLATFORM)) {
    throw new PullStreamError(`no matching manifest for ${formatPlatform(platform)} in the manifest list entries`);
  }

  const id = manifest.config.digest;
  const stored = await service.image(id);
  // A stored image whose layer is corrupt or missing is pulled again: pull is the repair.
  const intact = stored && (await Promise.all(stored.layers.map((l) => blobIsIntact(service.blobs, l.digest as BlobDigest)))).every(Boolean);
  const image = intact ? stored : await download(service, source, lookup.manifest, manifest, manifestBytes, emit);

  emit({ status: `Digest: ${lookup.manifest.digest}` });
  const updated = (await service.referenceTarget(ref)) !== id;
  const digestRef: ImageReference = { domain: ref.domain, path: ref.path, digest: lookup.manifest.digest };
  await service.addImage(image, ref.digest !== undefined || !updated ? [digestRef] : [digestRef, ref]);
  const name = familiarString(ref);
  service.notify('pull', name, name);
  emit({ status: updated ? `Status: Downloaded newer image for ${name}` : `Status: Image is up to date for ${name}` });
  return { image, reference: ref, updated };
}

async function download(
  service: ImageService,
  source: CatalogueSource,
  manifestDescriptor: Descriptor,
  manifest: ImageManifest,
  manifestBytes: Uint8Array,
  emit: (e: PullEvent) => void,
): Promise<ImageRecord> {
  const configBytes = await readVerified(source, manifest.config);
  const config = JSON.parse(decoder.decode(configBytes)) as ImageConfig;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length) throw new ImageError('invalid-parameter', "layers from manifest don't match image configuration");

  const known = await Promise.all(
    manifest.layers.map(async (l) => ((await blobIsIntact(service.blobs, l.digest as BlobDigest)) ? service.knownLayer(l.digest) : undefined)),
  );
  const fresh: number[] = [];
  manifest.layers.forEach((layer, n) => {
    const shortId = truncateId(layer.digest);
    if (known[n]) emit({ id: shortId, status: 'Already exists', progressDetail: {} });
    else {
      emit({ id: shortId, status: 'Pulling fs layer', progressDetail: {} });
      fresh.push(n);
    }
  });
  fresh.slice(CONCURRENT_DOWNLOADS).forEach((n) => emit({ id: truncateId(manifest.layers[n]!.digest), status: 'Waiting', progressDetail: {} }));

  const blobs = new Map<number, Uint8Array>();
  for (const n of fresh) {
    const layer = manifest.layers[n]!;
    const shortId = truncateId(layer.digest);
    const bytes = await source.blob(layer.digest);
    emit({ id: shortId, status: 'Downloading', progressDetail: { current: bytes.length, total: layer.size } });
    emit({ id: shortId, status: 'Verifying Checksum', progressDetail: {} });
    await storeBlob(service, layer, bytes);
    emit({ id: shortId, status: 'Download complete', progressDetail: {} });
    blobs.set(n, bytes);
  }

  const chains = await chainIds(diffIds);
  const layers: LayerRecord[] = [];
  for (const [n, layer] of manifest.layers.entries()) {
    const previous = known[n];
    if (previous && previous.diffId === diffIds[n]) {
      layers.push({ ...previous, chainId: chains[n]! });
      continue;
    }
    const shortId = truncateId(layer.digest);
    const blob = blobs.get(n) ?? (await service.blobs.get(layer.digest as BlobDigest))!;
    const tar = isGzipLayer(layer.mediaType) ? await gunzip(blob) : blob;
    emit({ id: shortId, status: 'Extracting', progressDetail: { current: layer.size, total: layer.size } });
    if (`sha256:${await sha256Hex(tar)}` !== diffIds[n]) throw new ImageError('invalid-parameter', "layers from manifest don't match image configuration");
    service.cacheLayerTar(layer.digest, tar);
    layers.push({ digest: layer.digest, mediaType: layer.mediaType, size: layer.size, diffId: diffIds[n]!, chainId: chains[n]!, diffSize: layerDiffSize(tar) });
    emit({ id: shortId, status: 'Pull complete', progressDetail: {} });
  }

  // Config and manifest last among the blobs: a stored config is what marks an image as present.
  await storeBlob(service, manifest.config, configBytes);
  await storeBlob(service, manifestDescriptor, manifestBytes);
  return {
    id: manifest.config.digest as Digest,
    manifestDigest: manifestDescriptor.digest,
    config,
    layers,
    size: layers.reduce((sum, l) => sum + l.diffSize, 0),
  };
}

/** Pulls catalogue images without output (first boot, tests); defaults to every catalogue image. */
export async function importFromCatalogue(service: ImageService, source: CatalogueSource, refs?: readonly string[]): Promise<PullResult[]> {
  const names = refs ?? (await source.catalogue()).images.map((e) => `${e.repository}:${e.tags[0] ?? 'latest'}`);
  const results: PullResult[] = [];
  for (const name of names) results.push(await pullImage(service, source, name));
  return results;
}
