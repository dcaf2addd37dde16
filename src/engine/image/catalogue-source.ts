// The offline image catalogue (public/catalogue/: an OCI image layout plus catalogue.json) as a
// pull source. The browser worker reads it with fetch; the Node runner and tests hand in a reader
// over the directory. Only official Docker Hub names (docker.io/library/NAME) live there.
import { closestImageLine } from './catalogue-alternatives.ts';
import type { Descriptor, Digest, ImageIndex } from './oci.ts';
import { REF_NAME_ANNOTATION } from './oci.ts';
import { referenceString, withDefaultTag, type ImageReference } from '../../lib/reference.ts';

export interface CatalogueEntry {
  repository: string;
  tags: string[];
  manifestDigest: Digest;
  configDigest: Digest;
  compressedSize: number;
  uncompressedSize: number;
  layers: { digest: Digest; size: number; uncompressedSize: number }[];
}

export interface CatalogueFile {
  schemaVersion: number;
  images: CatalogueEntry[];
}

export interface CatalogueSource {
  index(): Promise<ImageIndex>;
  catalogue(): Promise<CatalogueFile>;
  blob(digest: Digest): Promise<Uint8Array>;
}

export type FetchLike = (url: string) => Promise<Pick<Response, 'ok' | 'status' | 'arrayBuffer'>>;

/** A catalogue served at `baseUrl` (ending in `/` or not): `index.json`, `catalogue.json`, `blobs/sha256/…`. */
export function fetchCatalogueSource(baseUrl: string, fetchFn: FetchLike = (url) => fetch(url)): CatalogueSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const read = async (name: string): Promise<Uint8Array> => {
    const response = await fetchFn(base + name);
    if (!response.ok) throw new Error(`catalogue: ${name}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const json = <T>(name: string) => read(name).then((bytes) => JSON.parse(new TextDecoder().decode(bytes)) as T);
  let index: Promise<ImageIndex> | undefined;
  let catalogue: Promise<CatalogueFile> | undefined;
  return {
    index: () => (index ??= json<ImageIndex>('index.json')),
    catalogue: () => (catalogue ??= json<CatalogueFile>('catalogue.json')),
    blob: (digest) => read(`blobs/sha256/${digest.slice(7)}`),
  };
}

export type CatalogueLookup =
  | { found: true; manifest: Descriptor }
  | { found: false; reason: 'no-repository' | 'no-manifest' };

/** The catalogue's repository for an official Docker Hub name, or undefined. */
function officialName(ref: ImageReference): string | undefined {
  if (ref.domain !== 'docker.io' || !ref.path.startsWith('library/')) return undefined;
  const name = ref.path.slice('library/'.length);
  return name.includes('/') ? undefined : name;
}

/** Finds the manifest a reference names: by tag (catalogue.json aliases too) or by digest. */
export async function findInCatalogue(source: CatalogueSource, ref: ImageReference): Promise<CatalogueLookup> {
  const name = officialName(ref);
  if (name === undefined) return { found: false, reason: 'no-repository' };
  const [index, catalogue] = await Promise.all([source.index(), source.catalogue()]);
  const repoPrefix = `docker.io/library/${name}:`;
  const described = index.manifests.filter((m) => m.annotations?.[REF_NAME_ANNOTATION]?.startsWith(repoPrefix));
  const entries = catalogue.images.filter((e) => e.repository === name);
  if (described.length === 0 && entries.length === 0) return { found: false, reason: 'no-repository' };
  let digest: string | undefined;
  if (ref.digest !== undefined) {
    digest = ref.digest;
  } else {
    const tagged = referenceString(withDefaultTag(ref));
    digest =
      described.find((m) => m.annotations?.[REF_NAME_ANNOTATION] === tagged)?.digest ??
      entries.find((e) => e.tags.includes(ref.tag ?? 'latest'))?.manifestDigest;
  }
  const manifest = index.manifests.find((m) => m.digest === digest);
  const inRepository = manifest && (described.includes(manifest) || entries.some((e) => e.manifestDigest === manifest.digest));
  return manifest && inRepository ? { found: true, manifest } : { found: false, reason: 'no-manifest' };
}

/**
 * The hint shown after a failed pull: what can be pulled without a network, led by the closest
 * catalogue image when `missing` is an official image the catalogue lacks (alpine → busybox).
 */
export async function offlineImagesHint(source: CatalogueSource, missing?: ImageReference): Promise<string> {
  const { images } = await source.catalogue();
  const names = images.map((e) => `${e.repository}:${e.tags[0] ?? 'latest'}`).sort();
  const list = `Slipway works offline; the images it can pull are: ${names.join(', ')}`;
  const name = missing && officialName(missing);
  const closest = name === undefined ? undefined : closestImageLine(name, images.map((e) => e.repository));
  return closest === undefined ? list : `${closest}\n${list}`;
}
