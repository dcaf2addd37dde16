// OCI image-spec v1 shapes the engine reads and writes (image layout, index, manifest, config).
// Only the fields Slipway uses are typed; unknown fields are kept by whoever parses the JSON.

export const MediaType = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
  // Docker's own names, met when pulling from a registry.
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export type MediaTypeName = (typeof MediaType)[keyof typeof MediaType];

/** The annotation naming an image in an image layout's index.json. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

export const IMAGE_LAYOUT_VERSION = '1.0.0';

/** `sha256:` and 64 lowercase hex digits: the only algorithm the catalogue and store use. */
export type Digest = `sha256:${string}`;

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST_PATTERN.test(value);
}

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface ImageLayout {
  imageLayoutVersion: string;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** The runtime part of an image config, in Docker's capitalised field names. */
export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  /** Docker's own fields: ONBUILD triggers, SHELL, HEALTHCHECK. */
  OnBuild?: string[];
  Shell?: string[];
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: Digest[] };
  history?: HistoryEntry[];
}

export const LAYER_MEDIA_TYPES: readonly string[] = [
  MediaType.layerGzip,
  MediaType.layerTar,
  MediaType.dockerLayerGzip,
];

export function isGzipLayer(mediaType: string): boolean {
  return mediaType === MediaType.layerGzip || mediaType === MediaType.dockerLayerGzip;
}
