// Builders for tiny synthetic OCI layouts and tar archives, for the validator's and the tar
// reader's tests. Test-only, but free of Node APIs so any backend's tests can use them.

import { MediaType, REF_NAME_ANNOTATION, type Descriptor, type Digest } from '../oci.ts';
import { sha256Hex, type LayoutSource } from '../validate.ts';
import { concatBytes } from '../../../lib/bytes.ts';

export interface TarFixtureEntry {
  path: string;
  /** ustar type flag; '0' (file) unless given. */
  flag?: string;
  data?: Uint8Array | string;
  linkname?: string;
  mode?: number;
}

const encoder = new TextEncoder();

function bytesOf(data: Uint8Array | string | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return typeof data === 'string' ? encoder.encode(data) : data;
}

function writeField(block: Uint8Array, offset: number, length: number, text: string): void {
  block.set(encoder.encode(text).subarray(0, length), offset);
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

export function tarHeader(entry: TarFixtureEntry, size: number): Uint8Array {
  const block = new Uint8Array(512);
  writeField(block, 0, 100, entry.path);
  writeField(block, 100, 8, octal(entry.mode ?? 0o644, 8));
  writeField(block, 108, 8, octal(0, 8));
  writeField(block, 116, 8, octal(0, 8));
  writeField(block, 124, 12, octal(size, 12));
  writeField(block, 136, 12, octal(1_700_000_000, 12));
  writeField(block, 156, 1, entry.flag ?? '0');
  writeField(block, 157, 100, entry.linkname ?? '');
  writeField(block, 257, 6, 'ustar\0');
  writeField(block, 263, 2, '00');
  block.fill(0x20, 148, 156);
  const sum = block.reduce((a, b) => a + b, 0);
  writeField(block, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

/** A ustar archive (the reader's other formats are built by hand in its tests). */
export function makeTar(entries: readonly TarFixtureEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const data = bytesOf(entry.data);
    parts.push(tarHeader(entry, data.length), data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return concatBytes(parts);
}

export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** An in-memory layout whose blobs and files tests may overwrite to corrupt it. */
export class MemoryLayout implements LayoutSource {
  readonly files = new Map<string, Uint8Array>();
  readonly blobs = new Map<Digest, Uint8Array>();

  async readFile(name: 'oci-layout' | 'index.json'): Promise<Uint8Array> {
    const bytes = this.files.get(name);
    if (!bytes) throw new Error(`${name} does not exist`);
    return bytes;
  }

  async readBlob(digest: Digest): Promise<Uint8Array> {
    const bytes = this.blobs.get(digest);
    if (!bytes) throw new Error('no such blob');
    return bytes;
  }

  async listBlobs(): Promise<Digest[]> {
    return [...this.blobs.keys()];
  }

  async put(bytes: Uint8Array): Promise<Digest> {
    const digest: Digest = `sha256:${await sha256Hex(bytes)}`;
    this.blobs.set(digest, bytes);
    return digest;
  }

  async putJson(mediaType: string, value: unknown): Promise<Descriptor> {
    const bytes = encoder.encode(JSON.stringify(value));
    return { mediaType, digest: await this.put(bytes), size: bytes.length };
  }
}

export interface LayoutParts {
  /** Uncompressed layer tars; each is gzipped unless `gzipLayers` is false. */
  layers?: Uint8Array[];
  gzipLayers?: boolean;
  layerMediaType?: string;
  /** Changes the config and manifest before they are stored. */
  editConfig?: (config: Record<string, unknown>) => void;
  editManifest?: (manifest: Record<string, unknown>) => void;
  /** Replaces the config blob's bytes (stored under their own digest). */
  rawConfig?: Uint8Array;
}

/** One image, `docker.io/library/fixture:latest`, in a fresh memory layout. */
export async function makeLayout(parts: LayoutParts = {}): Promise<MemoryLayout> {
  const layout = new MemoryLayout();
  const tars = parts.layers ?? [makeTar([{ path: 'bin/', flag: '5', mode: 0o755 }, { path: 'bin/sh', data: '#!' }])];
  const layers: Descriptor[] = [];
  const diffIds: Digest[] = [];
  for (const tar of tars) {
    const blob = parts.gzipLayers === false ? tar : await gzip(tar);
    layers.push({ mediaType: parts.layerMediaType ?? MediaType.layerGzip, digest: await layout.put(blob), size: blob.length });
    diffIds.push(`sha256:${await sha256Hex(tar)}`);
  }
  const config: Record<string, unknown> = {
    architecture: '386',
    os: 'linux',
    config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: tars.map(() => ({ created_by: 'fixture' })),
  };
  parts.editConfig?.(config);
  let configDescriptor: Descriptor;
  if (parts.rawConfig) {
    configDescriptor = { mediaType: MediaType.config, digest: await layout.put(parts.rawConfig), size: parts.rawConfig.length };
  } else {
    configDescriptor = await layout.putJson(MediaType.config, config);
  }
  const manifest: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MediaType.manifest,
    config: configDescriptor,
    layers,
  };
  parts.editManifest?.(manifest);
  const manifestDescriptor = await layout.putJson(MediaType.manifest, manifest);
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.index,
    manifests: [{ ...manifestDescriptor, annotations: { [REF_NAME_ANNOTATION]: 'docker.io/library/fixture:latest' } }],
  };
  layout.files.set('oci-layout', encoder.encode(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  layout.files.set('index.json', encoder.encode(JSON.stringify(index)));
  return layout;
}
