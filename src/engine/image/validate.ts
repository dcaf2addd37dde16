// The OCI image-layout invariant checker: every backend of the image store (catalogue, IndexedDB
// store, registry pulls) is tested against it. Runs in browsers, workers and Node alike
// (DecompressionStream and crypto.subtle only), and reports every problem instead of the first.

import { sha256Hex } from '../../lib/digest.ts';
import { gunzip } from '../../lib/bytes.ts';
import {
  DIGEST_PATTERN,
  IMAGE_LAYOUT_VERSION,
  LAYER_MEDIA_TYPES,
  MediaType,
  REF_NAME_ANNOTATION,
  isGzipLayer,
  type Descriptor,
  type Digest,
  type ImageConfig,
  type ImageManifest,
} from './oci.ts';
import { TarError, readTar } from '../../lib/tar.ts';

/** Where the layout's bytes come from: a static URL prefix, IndexedDB, a directory in tests. */
export interface LayoutSource {
  readFile(name: 'oci-layout' | 'index.json'): Promise<Uint8Array>;
  readBlob(digest: Digest): Promise<Uint8Array>;
  /** When given, blobs that nothing references are reported too. */
  listBlobs?(): Promise<Digest[]>;
}

export interface Problem {
  /** A path through the layout, e.g. `index.json manifests[2] (busybox:latest) layers[0]`. */
  where: string;
  message: string;
}

export interface ValidatedImage {
  refName: string | undefined;
  manifestDigest: Digest;
  manifest: ImageManifest;
  config: ImageConfig;
}

export interface ValidationReport {
  ok: boolean;
  problems: Problem[];
  images: ValidatedImage[];
}

export { sha256Hex };

export { gunzip };

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A layer path is safe when it stays inside the root: relative and without `..` parts. */
export function unsafePathReason(path: string): string | undefined {
  if (path.startsWith('/')) return 'is absolute';
  if (path.split('/').includes('..')) return 'contains ".."';
  if (path.includes('\0')) return 'contains a NUL byte';
  return undefined;
}

class Checker {
  readonly problems: Problem[] = [];
  readonly images: ValidatedImage[] = [];
  readonly referenced = new Set<Digest>();
  readonly #layerChecks = new Map<Digest, Promise<Problem[]>>();

  constructor(readonly source: LayoutSource) {}

  problem(where: string, message: string): void {
    this.problems.push({ where, message });
  }

  async json<T>(where: string, bytes: Uint8Array): Promise<T | undefined> {
    try {
      const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        this.problem(where, 'is not a JSON object');
        return undefined;
      }
      return value as T;
    } catch (error) {
      this.problem(where, `is not well-formed JSON: ${(error as Error).message}`);
      return undefined;
    }
  }

  descriptorProblems(where: string, value: unknown, mediaTypes: readonly string[]): value is Descriptor {
    const d = value as Partial<Descriptor> | null;
    if (typeof d !== 'object' || d === null) {
      this.problem(where, 'is not a descriptor object');
      return false;
    }
    let ok = true;
    if (typeof d.mediaType !== 'string' || !mediaTypes.includes(d.mediaType)) {
      this.problem(where, `has media type ${JSON.stringify(d.mediaType)}, expected ${mediaTypes.join(' or ')}`);
      ok = false;
    }
    if (typeof d.digest !== 'string' || !DIGEST_PATTERN.test(d.digest)) {
      this.problem(where, `has digest ${JSON.stringify(d.digest)}, expected sha256:<64 hex digits>`);
      ok = false;
    }
    if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
      this.problem(where, `has size ${JSON.stringify(d.size)}, expected a non-negative integer`);
      ok = false;
    }
    return ok;
  }

  /** Reads a blob and checks it against its descriptor; undefined when it cannot be trusted. */
  async blob(where: string, descriptor: Descriptor): Promise<Uint8Array | undefined> {
    this.referenced.add(descriptor.digest);
    let bytes: Uint8Array;
    try {
      bytes = await this.source.readBlob(descriptor.digest);
    } catch (error) {
      this.problem(where, `blob ${descriptor.digest} cannot be read: ${(error as Error).message}`);
      return undefined;
    }
    let ok = true;
    if (bytes.length !== descriptor.size) {
      this.problem(where, `blob ${descriptor.digest} is ${bytes.length} bytes, descriptor says ${descriptor.size}`);
      ok = false;
    }
    const actual = `sha256:${await sha256Hex(bytes)}`;
    if (actual !== descriptor.digest) {
      this.problem(where, `blob content hashes to ${actual}, descriptor says ${descriptor.digest}`);
      ok = false;
    }
    return ok ? bytes : undefined;
  }

  async layout(): Promise<void> {
    const layout = await this.json<{ imageLayoutVersion?: unknown }>(
      'oci-layout',
      await this.source.readFile('oci-layout'),
    );
    if (layout && layout.imageLayoutVersion !== IMAGE_LAYOUT_VERSION) {
      this.problem('oci-layout', `has imageLayoutVersion ${JSON.stringify(layout.imageLayoutVersion)}, expected "1.0.0"`);
    }
    const index = await this.json<Record<string, unknown>>('index.json', await this.source.readFile('index.json'));
    if (index) await this.index('index.json', index);
    if (this.source.listBlobs) {
      for (const digest of await this.source.listBlobs()) {
        if (!this.referenced.has(digest)) this.problem(`blobs/${digest.replace(':', '/')}`, 'is referenced by nothing');
      }
    }
  }

  async index(where: string, index: Record<string, unknown>): Promise<void> {
    if (index.schemaVersion !== 2) this.problem(where, `has schemaVersion ${JSON.stringify(index.schemaVersion)}, expected 2`);
    if (index.mediaType !== undefined && index.mediaType !== MediaType.index) {
      this.problem(where, `has mediaType ${JSON.stringify(index.mediaType)}, expected ${MediaType.index}`);
    }
    if (!Array.isArray(index.manifests)) {
      this.problem(where, 'has no manifests array');
      return;
    }
    await Promise.all(
      index.manifests.map(async (entry: unknown, n: number) => {
        const at = `${where} manifests[${n}]`;
        if (!this.descriptorProblems(at, entry, [MediaType.manifest, MediaType.index])) return;
        const refName = entry.annotations?.[REF_NAME_ANNOTATION];
        const named = refName === undefined ? at : `${at} (${refName})`;
        const bytes = await this.blob(named, entry);
        if (!bytes) return;
        const value = await this.json<Record<string, unknown>>(named, bytes);
        if (!value) return;
        if (entry.mediaType === MediaType.index) await this.index(named, value);
        else await this.manifest(named, entry.digest, refName, value);
      }),
    );
  }

  async manifest(where: string, digest: Digest, refName: string | undefined, manifest: Record<string, unknown>) {
    if (manifest.schemaVersion !== 2) this.problem(where, `has schemaVersion ${JSON.stringify(manifest.schemaVersion)}, expected 2`);
    if (manifest.mediaType !== undefined && manifest.mediaType !== MediaType.manifest) {
      this.problem(where, `has mediaType ${JSON.stringify(manifest.mediaType)}, expected ${MediaType.manifest}`);
    }
    if (!this.descriptorProblems(`${where} config`, manifest.config, [MediaType.config])) return;
    if (!Array.isArray(manifest.layers)) {
      this.problem(where, 'has no layers array');
      return;
    }
    const layers: Descriptor[] = [];
    manifest.layers.forEach((layer: unknown, n: number) => {
      if (this.descriptorProblems(`${where} layers[${n}]`, layer, LAYER_MEDIA_TYPES)) layers.push(layer);
    });
    const configBytes = await this.blob(`${where} config`, manifest.config);
    const config = configBytes && (await this.json<ImageConfig>(`${where} config`, configBytes));
    if (config) this.config(`${where} config`, config, manifest.layers.length);
    const layerResults = await Promise.all(
      layers.map((layer, n) => this.layer(`${where} layers[${n}]`, layer, config?.rootfs?.diff_ids?.[n])),
    );
    if (config && layers.length === manifest.layers.length && layerResults.every((ok) => ok)) {
      this.images.push({ refName, manifestDigest: digest, manifest: manifest as unknown as ImageManifest, config });
    }
  }

  config(where: string, config: ImageConfig, layerCount: number): void {
    if (typeof config.architecture !== 'string' || config.architecture === '') this.problem(where, 'has no architecture');
    if (typeof config.os !== 'string' || config.os === '') this.problem(where, 'has no os');
    const diffIds = config.rootfs?.diff_ids;
    if (config.rootfs?.type !== 'layers' || !Array.isArray(diffIds)) {
      this.problem(where, 'has no rootfs of type "layers" with diff_ids');
    } else {
      if (diffIds.length !== layerCount) {
        this.problem(where, `lists ${diffIds.length} diff_ids for ${layerCount} layers`);
      }
      diffIds.forEach((id, n) => {
        if (!DIGEST_PATTERN.test(id)) this.problem(where, `rootfs.diff_ids[${n}] ${JSON.stringify(id)} is not a sha256 digest`);
      });
    }
    if (config.history !== undefined) {
      const withLayers = config.history.filter((h) => !h.empty_layer).length;
      if (withLayers !== layerCount) {
        this.problem(where, `history has ${withLayers} entries with a layer for ${layerCount} layers`);
      }
    }
  }

  /** A layer blob is checked once however many images share it; problems are named per image. */
  async layer(where: string, descriptor: Descriptor, diffId: string | undefined): Promise<boolean> {
    this.referenced.add(descriptor.digest);
    let check = this.#layerChecks.get(descriptor.digest);
    if (!check) {
      check = this.layerContent(descriptor, diffId);
      this.#layerChecks.set(descriptor.digest, check);
    }
    const problems = await check;
    for (const p of problems) this.problem(`${where}${p.where}`, p.message);
    return problems.length === 0;
  }

  async layerContent(descriptor: Descriptor, diffId: string | undefined): Promise<Problem[]> {
    const inner = new Checker(this.source);
    const bytes = await inner.blob('', descriptor);
    if (!bytes) return inner.problems;
    let tar = bytes;
    if (isGzipLayer(descriptor.mediaType)) {
      if (!isGzip(bytes)) return [{ where: '', message: 'is not gzip-compressed (no gzip magic bytes)' }];
      try {
        tar = await gunzip(bytes);
      } catch (error) {
        return [{ where: '', message: `does not gunzip: ${(error as Error).message}` }];
      }
    }
    const problems: Problem[] = [];
    const actualDiffId = `sha256:${await sha256Hex(tar)}`;
    if (diffId !== undefined && actualDiffId !== diffId) {
      problems.push({ where: '', message: `uncompressed content hashes to ${actualDiffId}, config diff_id says ${diffId}` });
    }
    try {
      for (const entry of readTar(tar)) {
        const reason = unsafePathReason(entry.path);
        if (reason) problems.push({ where: ` ${entry.path}`, message: `entry path ${reason}` });
        if (entry.type === 'hardlink') {
          const linkReason = unsafePathReason(entry.linkname);
          if (linkReason) problems.push({ where: ` ${entry.path}`, message: `hard link target ${linkReason}` });
        }
      }
    } catch (error) {
      const message = error instanceof TarError ? error.message : `is not a valid tar: ${(error as Error).message}`;
      problems.push({ where: '', message });
    }
    return problems;
  }
}

/** Checks an OCI image layout: JSON shapes, media types, digests, sizes, and every layer's tar. */
export async function validateLayout(source: LayoutSource): Promise<ValidationReport> {
  const checker = new Checker(source);
  try {
    await checker.layout();
  } catch (error) {
    checker.problem('layout', `cannot be read: ${(error as Error).message}`);
  }
  return { ok: checker.problems.length === 0, problems: checker.problems, images: checker.images };
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.where}: ${p.message}`).join('\n');
}
