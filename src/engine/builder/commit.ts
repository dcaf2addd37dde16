// A build step's result as an image: the parent's layers plus the step's own (an uncompressed
// OCI layer, named by its diff ID), the step's config and a history entry, committed to the image
// store untagged (a later step, or the build's tags, name it).
import type { BlobDigest } from '../../protocol/store.ts';
import { sha256Hex } from '../../lib/digest.ts';
import type { ImageService } from '../image/images.ts';
import { MediaType, type ContainerConfig, type Digest, type HistoryEntry, type ImageConfig, type ImageManifest } from '../image/oci.ts';
import { chainIds, layerDiffSize, type ImageRecord, type LayerRecord } from '../image/store/records.ts';

const encoder = new TextEncoder();

/** What a build starts from: an image, or `scratch` (null). */
export type BuildBase = ImageRecord | null;

export interface StepResult {
  config: ContainerConfig;
  history: HistoryEntry;
  /** The step's layer (an uncompressed tar), or null for a metadata-only step. */
  layer: Uint8Array | null;
  author?: string;
}

export async function commitStep(images: ImageService, base: BuildBase, step: StepResult, now: Date): Promise<ImageRecord> {
  const created = now.toISOString();
  const layers: LayerRecord[] = [...(base?.layers ?? [])];
  if (step.layer) {
    const diffId = `sha256:${await sha256Hex(step.layer)}` as Digest;
    const [chainId] = (await chainIds([...layers.map((l) => l.diffId), diffId])).slice(-1);
    await images.blobs.put(diffId as BlobDigest, step.layer, step.layer.length);
    images.cacheLayerTar(diffId, step.layer);
    layers.push({ digest: diffId, mediaType: MediaType.layerTar, size: step.layer.length, diffId, chainId: chainId!, diffSize: layerDiffSize(step.layer) });
  }
  const history: HistoryEntry = { created, ...step.history, ...(step.layer ? {} : { empty_layer: true }) };
  const config: ImageConfig = {
    ...(base?.config ?? { architecture: '386', os: 'linux' }),
    created,
    ...(step.author !== undefined ? { author: step.author } : {}),
    config: step.config,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: [...(base?.config.history ?? []), history],
  } as ImageConfig;
  const configBytes = encoder.encode(JSON.stringify(config));
  const id = `sha256:${await sha256Hex(configBytes)}` as Digest;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.manifest,
    config: { mediaType: MediaType.config, digest: id, size: configBytes.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  const manifestBytes = encoder.encode(JSON.stringify(manifest));
  const manifestDigest = `sha256:${await sha256Hex(manifestBytes)}` as Digest;
  await images.blobs.put(id as BlobDigest, configBytes, configBytes.length);
  await images.blobs.put(manifestDigest as BlobDigest, manifestBytes, manifestBytes.length);
  const record: ImageRecord = {
    id,
    manifestDigest,
    config,
    layers,
    size: layers.reduce((n, l) => n + l.diffSize, 0),
    ...(base ? { parent: base.id } : {}),
  };
  await images.addImage(record, []);
  return record;
}
