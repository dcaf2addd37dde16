// `docker save` and `docker load`: images as the tar archive Docker 25+ writes, an OCI image layout
// (oci-layout, index.json, blobs/sha256/…) with the legacy manifest.json and repositories files
// beside it, so real Docker loads what Slipway saves and Slipway loads what Docker (or skopeo's
// docker-archive) writes. Layers travel uncompressed, named by their diff IDs; config bytes travel
// unchanged, so an image keeps its ID on the way out and back.
import type { BlobDigest } from '../../protocol/store.ts';
import type { ByteSink } from '../../protocol/guest/port.ts';
import { gunzip } from '../../lib/bytes.ts';
import { sha256Digest } from '../../lib/digest.ts';
import {
  familiarName,
  familiarString,
  parseAnyReference,
  parseDockerRef,
  referenceString,
  withDefaultTag,
  ReferenceError,
  type ImageReference,
} from '../../lib/reference.ts';
import { endTar, normaliseTarPath, readTar, TarError, writeTarEntry } from '../../lib/tar.ts';
import type { ImageService } from './images.ts';
import { MediaType, REF_NAME_ANNOTATION, IMAGE_LAYOUT_VERSION, type Descriptor, type Digest, type ImageConfig, type ImageIndex, type ImageManifest } from './oci.ts';
import { ImageError, noSuchImage } from './store/errors.ts';
import { chainIds, layerDiffSize, type ImageRecord, type LayerRecord } from './store/records.ts';

/** containerd's annotation with the full image name, which Docker's index.json carries. */
const IMAGE_NAME_ANNOTATION = 'io.containerd.image.name';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const hex = (digest: string) => digest.slice('sha256:'.length);
const blobPath = (digest: string) => `blobs/sha256/${hex(digest)}`;

interface SaveItem {
  image: ImageRecord;
  /** Tags to record (canonical references), in the order they were asked for. */
  tags: ImageReference[];
}

/** moby's parseNames: a name alone takes every tag of its repository; an ID or digest, none. */
async function resolveNames(images: ImageService, names: readonly string[]): Promise<SaveItem[]> {
  const items = new Map<Digest, SaveItem>();
  const add = (image: ImageRecord, tag?: ImageReference) => {
    const item = items.get(image.id) ?? { image, tags: [] };
    items.set(image.id, item);
    if (tag && !item.tags.some((t) => referenceString(t) === referenceString(tag))) item.tags.push(tag);
  };
  for (const name of names) {
    let any;
    try {
      any = parseAnyReference(name);
    } catch (e) {
      if (e instanceof ReferenceError) throw new ImageError('invalid-parameter', e.message);
      throw e;
    }
    if (any.kind === 'named' && any.ref.tag === undefined && any.ref.digest === undefined) {
      const repo = referenceString(any.ref);
      const tagged = [...(await images.references())].filter(([canonical]) => canonical.startsWith(`${repo}:`));
      for (const [canonical, id] of tagged) {
        const image = await images.image(id);
        if (image) add(image, parseDockerRef(canonical));
      }
      if (tagged.length) continue;
    }
    const image = await images.resolve(name);
    if (!image) {
      if (any.kind === 'named' && (await images.referenceTarget(withDefaultTag(any.ref))) === undefined && !/^[a-f0-9]+$/.test(name)) throw new ImageError('not-found', 'reference does not exist');
      throw noSuchImage(name);
    }
    // A name alone that matched no tag found the image by ID prefix: it goes untagged.
    add(image, any.kind === 'named' && any.ref.tag !== undefined ? any.ref : undefined);
  }
  return [...items.values()];
}

/**
 * `docker save`: checks `names` (moby's errors, before any byte goes out), then resolves with the
 * writer of the archive.
 */
export async function saveImages(images: ImageService, names: readonly string[]): Promise<(out: ByteSink) => Promise<void>> {
  const items = await resolveNames(images, names);
  for (const { image } of items) if (image.layers.length === 0) throw new ImageError('invalid-parameter', 'empty export - not implemented');
  return (out) => writeArchive(images, items, out);
}

async function writeArchive(images: ImageService, items: readonly SaveItem[], out: ByteSink): Promise<void> {
  const written = new Set<string>();
  const emit = async (name: string, data: Uint8Array | null, mtime: number) => {
    const parts: Uint8Array[] = [];
    writeTarEntry(parts, { name, flag: data ? '0' : '5', mode: data ? 0o644 : 0o755, uid: 0, gid: 0, mtime, ...(data ? { data } : {}) });
    for (const p of parts) await out.write(p);
  };
  await emit('blobs/', null, 0);
  await emit('blobs/sha256/', null, 0);
  const manifestJson: object[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const index: ImageIndex = { schemaVersion: 2, mediaType: MediaType.index, manifests: [] };
  for (const { image, tags } of items) {
    const created = image.config.created ? Math.floor(Date.parse(image.config.created) / 1000) : 0;
    const layers: Descriptor[] = [];
    for (const layer of image.layers) {
      const tar = await images.layerTar(layer);
      layers.push({ mediaType: MediaType.layerTar, digest: layer.diffId, size: tar.length });
      if (written.has(layer.diffId)) continue;
      written.add(layer.diffId);
      await emit(blobPath(layer.diffId), tar, created);
    }
    const configBytes = await images.blobs.get(image.id as BlobDigest);
    if (!configBytes) throw new Error(`config blob ${image.id} is missing from the store`);
    if (!written.has(image.id)) {
      written.add(image.id);
      await emit(blobPath(image.id), configBytes, created);
    }
    const manifest: ImageManifest = { schemaVersion: 2, mediaType: MediaType.manifest, config: { mediaType: MediaType.config, digest: image.id, size: configBytes.length }, layers };
    const manifestBytes = encoder.encode(JSON.stringify(manifest));
    const manifestDigest = await sha256Digest(manifestBytes);
    if (!written.has(manifestDigest)) {
      written.add(manifestDigest);
      await emit(blobPath(manifestDigest), manifestBytes, 0);
    }
    const descriptor: Descriptor = { mediaType: MediaType.manifest, digest: manifestDigest, size: manifestBytes.length };
    for (const tag of tags) {
      index.manifests.push({ ...descriptor, annotations: { [IMAGE_NAME_ANNOTATION]: referenceString(tag), [REF_NAME_ANNOTATION]: tag.tag! } });
      (repositories[familiarName(tag)] ??= {})[tag.tag!] = hex(image.layers[image.layers.length - 1]!.diffId);
    }
    if (tags.length === 0) index.manifests.push(descriptor);
    manifestJson.push({ Config: blobPath(image.id), RepoTags: tags.length ? tags.map(familiarString) : null, Layers: image.layers.map((l) => blobPath(l.diffId)) });
    images.notify('save', image.id, image.id);
  }
  await emit('index.json', encoder.encode(JSON.stringify(index)), 0);
  await emit('manifest.json', encoder.encode(JSON.stringify(manifestJson) + '\n'), 0);
  await emit('oci-layout', encoder.encode(`{"imageLayoutVersion": "${IMAGE_LAYOUT_VERSION}"}`), 0);
  if (Object.keys(repositories).length) await emit('repositories', encoder.encode(JSON.stringify(repositories) + '\n'), 0);
  const end: Uint8Array[] = [];
  endTar(end);
  for (const p of end) await out.write(p);
}

/** One image found in an archive: its config bytes, its layers (bottom first) and its names. */
interface ArchiveImage {
  configBytes: Uint8Array;
  layers: Uint8Array[];
  tags: string[];
}

export class LoadError extends ImageError {
  constructor(message: string) {
    super('invalid-parameter', message);
  }
}

function parseJson<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(decoder.decode(bytes)) as T;
  } catch (e) {
    throw new LoadError(`invalid ${what}: ${(e as Error).message}`);
  }
}

/** The archive's regular files by path (`./` and trailing slashes dropped). */
function archiveFiles(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  try {
    for (const e of readTar(tar)) if (e.type === 'file') files.set(normaliseTarPath(e.path), e.data);
  } catch (e) {
    if (e instanceof TarError) throw new LoadError(`Error processing tar file(${e.message})`);
    throw e;
  }
  return files;
}

function member(files: Map<string, Uint8Array>, path: string): Uint8Array {
  const clean = normaliseTarPath(path);
  if (clean.startsWith('/') || clean.split('/').includes('..')) throw new LoadError(`invalid path in archive: ${path}`);
  const data = files.get(clean);
  if (!data) throw new LoadError(`invalid archive: ${clean} is missing`);
  return data;
}

/** Docker's manifest.json: one entry per image. */
function fromDockerManifest(files: Map<string, Uint8Array>): ArchiveImage[] {
  const entries = parseJson<{ Config?: string; RepoTags?: string[] | null; Layers?: string[] }[]>(files.get('manifest.json')!, 'manifest.json');
  if (!Array.isArray(entries)) throw new LoadError('invalid manifest.json: not a list');
  return entries.map((e) => ({ configBytes: member(files, e.Config ?? ''), layers: (e.Layers ?? []).map((l) => member(files, l)), tags: e.RepoTags ?? [] }));
}

/** An OCI layout without manifest.json (skopeo's oci-archive): index.json's manifests, nested indexes followed. */
function fromOciLayout(files: Map<string, Uint8Array>): ArchiveImage[] {
  const blob = (d: Descriptor) => member(files, blobPath(d.digest));
  const out: ArchiveImage[] = [];
  const visit = (descriptors: Descriptor[], name: string | undefined) => {
    for (const d of descriptors) {
      const named = d.annotations?.[IMAGE_NAME_ANNOTATION] ?? name;
      if (d.mediaType === MediaType.index || d.mediaType === MediaType.dockerManifestList) {
        const nested = parseJson<ImageIndex>(blob(d), `index ${d.digest}`).manifests;
        // Docker loads the platform it runs: linux/386 when the index has it.
        const ours = nested.filter((m) => !m.platform || (m.platform.os === 'linux' && m.platform.architecture === '386'));
        visit(ours.length ? ours.slice(0, 1) : nested.slice(0, 1), named);
        continue;
      }
      const manifest = parseJson<ImageManifest>(blob(d), `manifest ${d.digest}`);
      out.push({ configBytes: blob(manifest.config), layers: manifest.layers.map(blob), tags: named ? [named] : [] });
    }
  };
  visit(parseJson<ImageIndex>(files.get('index.json')!, 'index.json').manifests ?? [], undefined);
  return out;
}

export interface LoadProgress {
  /** A layer being read: its short ID and bytes. */
  layer?(id: string, size: number): void;
}

/**
 * `docker load`: every image of a save archive (uncompressed; the caller gunzips), committed with
 * its tags. Returns moby's lines: `Loaded image: busybox:latest`, `Loaded image ID: sha256:…`, and
 * the notice for a tag taken from another image.
 */
export async function loadImages(images: ImageService, archive: Uint8Array, progress: LoadProgress = {}): Promise<string[]> {
  if (archive[0] === 0x1f && archive[1] === 0x8b) archive = await gunzip(archive);
  const files = archiveFiles(archive);
  let found: ArchiveImage[];
  if (files.has('manifest.json')) found = fromDockerManifest(files);
  else if (files.has('index.json')) found = fromOciLayout(files);
  else throw new LoadError('open /var/lib/docker/tmp/docker-import/repositories: no such file or directory');
  const lines: string[] = [];
  for (const item of found) {
    const id = await sha256Digest(item.configBytes);
    const config = parseJson<ImageConfig>(item.configBytes, `image config ${id}`);
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== item.layers.length) throw new LoadError(`invalid manifest, layers length mismatch: expected ${diffIds.length}, got ${item.layers.length}`);
    const layers: LayerRecord[] = [];
    const pending: { diffId: Digest; tar: Uint8Array }[] = [];
    const chains = await chainIds(diffIds);
    for (const [i, raw] of item.layers.entries()) {
      const tar = raw[0] === 0x1f && raw[1] === 0x8b ? await gunzip(raw) : raw;
      const diffId = await sha256Digest(tar);
      if (diffId !== diffIds[i]) throw new LoadError(`invalid diffID for layer ${i}: expected "${diffIds[i]}", got "${diffId}"`);
      progress.layer?.(hex(diffId).slice(0, 12), tar.length);
      const known = await images.knownLayer(diffId, 'diffId');
      if (known) layers.push({ ...known, chainId: chains[i]! });
      else {
        pending.push({ diffId, tar });
        layers.push({ digest: diffId, mediaType: MediaType.layerTar, size: tar.length, diffId, chainId: chains[i]!, diffSize: layerDiffSize(tar) });
      }
    }
    const tags = item.tags.map((t) => {
      try {
        return withDefaultTag(parseDockerRef(t));
      } catch (e) {
        throw new LoadError(`invalid reference format: ${t}: ${(e as Error).message}`);
      }
    });
    await images.exclusive(async () => {
      for (const { diffId, tar } of pending) {
        await images.blobs.put(diffId as BlobDigest, tar, tar.length);
        images.cacheLayerTar(diffId, tar);
      }
      const manifest: ImageManifest = {
        schemaVersion: 2,
        mediaType: MediaType.manifest,
        config: { mediaType: MediaType.config, digest: id, size: item.configBytes.length },
        layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
      };
      const manifestBytes = encoder.encode(JSON.stringify(manifest));
      const manifestDigest = await sha256Digest(manifestBytes);
      await images.blobs.put(id as BlobDigest, item.configBytes, item.configBytes.length);
      await images.blobs.put(manifestDigest as BlobDigest, manifestBytes, manifestBytes.length);
      const existing = await images.image(id);
      const record: ImageRecord = existing ?? { id, manifestDigest, config, layers, size: layers.reduce((n, l) => n + l.diffSize, 0) };
      for (const tag of tags) {
        const previous = await images.referenceTarget(tag);
        if (previous && previous !== id) lines.push(`The image ${familiarString(tag)} already exists, renaming the old one with ID ${previous} to empty string`);
      }
      await images.addImage(record, tags);
    });
    images.notify('load', id, id);
    for (const tag of tags) lines.push(`Loaded image: ${familiarString(tag)}`);
    if (tags.length === 0) lines.push(`Loaded image ID: ${id}`);
  }
  return lines;
}
