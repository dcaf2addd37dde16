// docker save / docker load over an in-memory store: the archive's shape as Docker 25+ writes it,
// round trips that keep image IDs, archives in the other shapes Docker and skopeo write, and the
// errors for broken ones.
import { describe, expect, it } from 'vitest';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import { concatBytes } from '../../lib/bytes.ts';
import { sha256Digest } from '../../lib/digest.ts';
import { endTar, readTar, writeTarEntry } from '../../lib/tar.ts';
import { commitStep } from '../builder/commit.ts';
import { importImage } from '../builder/import-image.ts';
import { loadImages, saveImages } from './archive.ts';
import { ImageService } from './images.ts';
import { MediaType } from './oci.ts';

const text = (s: string) => new TextEncoder().encode(s);
const json = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b));

function tar(files: Record<string, string | Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) writeTarEntry(parts, { name, flag: name.endsWith('/') ? '5' : '0', mode: 0o644, uid: 0, gid: 0, mtime: 1, ...(name.endsWith('/') ? {} : { data: typeof data === 'string' ? text(data) : data }) });
  endTar(parts);
  return concatBytes(parts);
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function setup() {
  const images = new ImageService(memoryStores());
  const now = new Date(Date.UTC(2026, 11, 7));
  const base = await commitStep(images, null, { config: { Cmd: ['sh'] }, history: { created_by: 'ADD rootfs' }, layer: tar({ 'bin/': '', 'bin/sh': 'shell' }) }, now);
  const app = await commitStep(images, base, { config: { Cmd: ['app'] }, history: { created_by: 'COPY app' }, layer: tar({ app: 'hello' }) }, now);
  await images.tag(app.id, 'demo:1');
  await images.tag(app.id, 'demo:2');
  await images.tag(base.id, 'base');
  const save = async (names: string[]) => {
    const chunks: Uint8Array[] = [];
    const write = await saveImages(images, names);
    await write({ write: async (b) => void chunks.push(typeof b === 'string' ? text(b) : b), end: () => undefined });
    return concatBytes(chunks);
  };
  return { images, base, app, save, now };
}

const files = (archive: Uint8Array) => new Map([...readTar(archive)].filter((e) => e.type === 'file').map((e) => [e.path, e.data]));

describe('docker save', () => {
  it('writes an OCI layout with manifest.json, layers uncompressed and named by diff ID', async () => {
    const { save, app, base } = await setup();
    const archive = await save(['demo:1']);
    const entries = [...readTar(archive)].map((e) => e.path);
    expect(entries.slice(0, 2)).toEqual(['blobs/', 'blobs/sha256/']);
    expect(entries.slice(-4)).toEqual(['index.json', 'manifest.json', 'oci-layout', 'repositories']);
    const f = files(archive);
    const diffIds = app.config.rootfs.diff_ids;
    expect(json(f.get('manifest.json')!)).toEqual([{ Config: `blobs/sha256/${app.id.slice(7)}`, RepoTags: ['demo:1'], Layers: diffIds.map((d) => `blobs/sha256/${d.slice(7)}`) }]);
    expect(json(f.get('repositories')!)).toEqual({ demo: { '1': diffIds[1]!.slice(7) } });
    expect(new TextDecoder().decode(f.get('oci-layout'))).toBe('{"imageLayoutVersion": "1.0.0"}');
    const index = json(f.get('index.json')!);
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0].annotations).toEqual({ 'io.containerd.image.name': 'docker.io/library/demo:1', 'org.opencontainers.image.ref.name': '1' });
    const manifest = json(f.get(`blobs/sha256/${index.manifests[0].digest.slice(7)}`)!);
    expect(manifest.config.digest).toBe(app.id);
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([MediaType.layerTar, MediaType.layerTar]);
    // Every blob is what its name says.
    for (const [path, data] of f) if (path.startsWith('blobs/sha256/')) expect(await sha256Digest(data)).toBe(`sha256:${path.slice(13)}`);
    // The base's layer is shared, written once even when both images are saved.
    const both = await save(['demo:1', 'base']);
    expect([...readTar(both)].filter((e) => e.path === `blobs/sha256/${base.config.rootfs.diff_ids[0]!.slice(7)}`)).toHaveLength(1);
  });

  it('takes every tag of a repository for a name alone, and none for an ID', async () => {
    const { save, app } = await setup();
    expect(json(files(await save(['demo'])).get('manifest.json')!)[0].RepoTags).toEqual(['demo:1', 'demo:2']);
    const byId = files(await save([app.id.slice(7, 19)]));
    expect(json(byId.get('manifest.json')!)[0].RepoTags).toBeNull();
    expect(byId.has('repositories')).toBe(false);
    expect(json(byId.get('index.json')!).manifests[0].annotations).toBeUndefined();
  });

  it('refuses unknown names before writing anything', async () => {
    const { images } = await setup();
    await expect(saveImages(images, ['nope:1'])).rejects.toThrow('reference does not exist');
    await expect(saveImages(images, ['0123456789ab'])).rejects.toThrow('No such image: 0123456789ab');
    await expect(saveImages(images, ['Bad Name'])).rejects.toThrow('invalid reference format');
  });
});

describe('docker load', () => {
  it('loads what save wrote back to the same image ID and tags', async () => {
    const { images, save, app } = await setup();
    const archive = await save(['demo:1', 'demo:2']);
    await images.remove('demo:1');
    await images.remove('demo:2');
    expect(await images.image(app.id)).toBeUndefined();
    expect(await loadImages(images, archive)).toEqual(['Loaded image: demo:1', 'Loaded image: demo:2']);
    const loaded = await images.getImage('demo:2');
    expect(loaded.id).toBe(app.id);
    expect(loaded.layers.map((l) => l.chainId)).toEqual(app.layers.map((l) => l.chainId));
    expect(new TextDecoder().decode((await images.layers(app.id))[1])).toContain('hello');
  });

  it('names an untagged image by ID and says when a tag moves', async () => {
    const { images, save, app, base } = await setup();
    expect(await loadImages(images, await save([app.id]))).toEqual([`Loaded image ID: ${app.id}`]);
    const baseArchive = await save(['base']);
    await images.tag('demo:1', 'base');
    expect(await loadImages(images, await gzip(baseArchive))).toEqual([`The image base:latest already exists, renaming the old one with ID ${app.id} to empty string`, 'Loaded image: base:latest']);
    expect((await images.getImage('base')).id).toBe(base.id);
  });

  it('reads legacy docker-archive layouts with gzipped layers, and OCI layouts without manifest.json', async () => {
    const { images, base } = await setup();
    const layer = (await images.layers(base.id))[0]!;
    const config = (await images.blobs.get(base.id as never))!;
    const legacy = tar({ 'abc/layer.tar': await gzip(layer), [`${base.id.slice(7)}.json`]: config, 'manifest.json': JSON.stringify([{ Config: `${base.id.slice(7)}.json`, RepoTags: ['legacy:v1'], Layers: ['abc/layer.tar'] }]) });
    expect(await loadImages(images, legacy)).toEqual(['Loaded image: legacy:v1']);
    expect((await images.getImage('legacy:v1')).id).toBe(base.id);

    const manifest = text(JSON.stringify({ schemaVersion: 2, config: { mediaType: MediaType.config, digest: base.id, size: config.length }, layers: [{ mediaType: MediaType.layerTar, digest: await sha256Digest(layer), size: layer.length }] }));
    const md = await sha256Digest(manifest);
    const oci = tar({
      'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
      'index.json': JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MediaType.manifest, digest: md, size: manifest.length, annotations: { 'io.containerd.image.name': 'docker.io/library/oci:v2' } }] }),
      [`blobs/sha256/${md.slice(7)}`]: manifest,
      [`blobs/sha256/${base.id.slice(7)}`]: config,
      [`blobs/sha256/${(await sha256Digest(layer)).slice(7)}`]: layer,
    });
    expect(await loadImages(images, oci)).toEqual(['Loaded image: oci:v2']);
  });

  it('refuses layers that do not match the config, missing members and non-archives', async () => {
    const { images, base } = await setup();
    const config = (await images.blobs.get(base.id as never))!;
    const wrong = tar({ 'c.json': config, 'l.tar': tar({ other: 'x' }), 'manifest.json': JSON.stringify([{ Config: 'c.json', RepoTags: ['w:1'], Layers: ['l.tar'] }]) });
    await expect(loadImages(images, wrong)).rejects.toThrow(`invalid diffID for layer 0: expected "${base.config.rootfs.diff_ids[0]}"`);
    const missing = tar({ 'manifest.json': JSON.stringify([{ Config: '../c.json', Layers: [] }]) });
    await expect(loadImages(images, missing)).rejects.toThrow('invalid path in archive: ../c.json');
    await expect(loadImages(images, tar({ hello: 'x' }))).rejects.toThrow('repositories: no such file or directory');
    await expect(loadImages(images, text('not a tar at all, but long enough'.repeat(20)))).rejects.toThrow('Error processing tar file(tar: header checksum mismatch');
    expect(await images.resolve('w:1')).toBeUndefined();
  });
});

describe('docker import', () => {
  it('makes a one-layer image with clean names, the changes and moby\'s comment', async () => {
    const { images, now } = await setup();
    const rootfs = tar({ './': '', './etc/': '', './etc/motd': 'hi', './bin/': '' });
    const id = await importImage({ images, now: () => now.getTime() }, await gzip(rootfs), { fromSrc: '-', repo: 'imported', tag: 'v1', changes: ['CMD ["cat", "/etc/motd"]', 'ENV A=1'] });
    const image = await images.getImage('imported:v1');
    expect(image.id).toBe(id);
    expect(image.config.config).toEqual({ Cmd: ['cat', '/etc/motd'], Env: ['A=1'] });
    expect(image.config.history).toEqual([{ created: now.toISOString(), comment: 'Imported from -' }]);
    expect([...readTar((await images.layers(id))[0]!)].map((e) => e.path)).toEqual(['etc/', 'etc/motd', 'bin/']);
  });

  it('refuses names that leave the root, and changes commit refuses', async () => {
    const { images, now } = await setup();
    const deps = { images, now: () => now.getTime() };
    await expect(importImage(deps, tar({ '../x': 'x' }), { fromSrc: '-' })).rejects.toThrow('Error processing tar file(invalid path: ../x)');
    await expect(importImage(deps, tar({ a: 'x' }), { fromSrc: '-', changes: ['RUN true'] })).rejects.toThrow('run is not a valid change command');
  });
});
