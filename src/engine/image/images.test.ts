// The image service over the in-memory store, with images pulled from the committed catalogue:
// Docker's lookup rules, tag, rmi (records and conflicts), prune, and the API views.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import { ImageService } from './images.ts';
import { pullImage } from './pull.ts';
import type { Digest } from './oci.ts';
import type { ContainerUse } from './store/remove.ts';
import { formatDeleteResponses } from '../../cli/commands/image/images.ts';
import { directoryCatalogue } from './testing/catalogue-dir.ts';

const source = directoryCatalogue(async (path) => new Uint8Array(await readFile(path)));
const BUSYBOX_ID = 'sha256:a3f8431a237bc7771427a88c23de1f255bec1770c41abec65a17c05d98adc42f';
const BUSYBOX_MANIFEST = 'sha256:2c6b38df7366f0c8b29170e20cbab72f49878ba726f6078a30051a293ebaecaf';
const BUSYBOX_LAYER = 'sha256:07e8b4866de80ac31e04f30b2127bce7a72018a47ba47494ff405c5b7cbd3f58';
const BUSYBOX_DIFF = 'sha256:a40cdea4d111b237740cc04aa0f100e1e8a18d79738915a0cb9abbb200f73cc9';
const HELLO_ID = 'sha256:c27ece206d1317b929de3d461d1d840581a0a008b6c2f3461cd2c1243a8c9883';
const CONTAINER = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

let stores: ReturnType<typeof memoryStores>;
let containers: Map<string, ContainerUse[]>;
let service: ImageService;

beforeEach(async () => {
  stores = memoryStores();
  containers = new Map();
  service = new ImageService(stores, {
    containersUsing: (id) => containers.get(id) ?? [],
    now: () => new Date('2026-01-02T03:04:05.678Z'),
  });
  await pullImage(service, source, 'busybox');
  await pullImage(service, source, 'hello-world');
});

async function rmi(ref: string, force = false): Promise<string> {
  return formatDeleteResponses(await service.remove(ref, { force }));
}

describe('lookup', () => {
  it.each([
    'busybox',
    'busybox:latest',
    'library/busybox',
    'docker.io/library/busybox:latest',
    `busybox@${BUSYBOX_MANIFEST}`,
    BUSYBOX_ID,
    BUSYBOX_ID.slice(7),
    'a3f8431a237b',
    'a3f8',
    'sha256:a3f8431a',
  ])('%s finds busybox', async (ref) => {
    expect((await service.resolve(ref))?.id).toBe(BUSYBOX_ID);
  });

  it.each([
    ['foo', 'No such image: foo:latest'],
    ['busybox:nope', 'No such image: busybox:nope'],
    ['0000', 'No such image: 0000:latest'],
    [`sha256:${'0'.repeat(64)}`, `No such image: sha256:${'0'.repeat(64)}`],
  ])('%s: %s', async (ref, message) => {
    await expect(service.getImage(ref)).rejects.toThrow(message);
  });

  it('rejects a malformed reference as an invalid parameter', async () => {
    await expect(service.getImage('Busybox')).rejects.toMatchObject({
      kind: 'invalid-parameter',
      message: 'invalid reference format: repository name (library/Busybox) must be lowercase',
    });
  });
});

describe('views', () => {
  it('inspect lists Docker’s fields in Docker’s order', async () => {
    const inspect = await service.inspect('hello-world');
    expect(Object.keys(inspect)).toEqual(['Id', 'RepoTags', 'RepoDigests', 'Parent', 'Comment', 'Created', 'DockerVersion', 'Author', 'Config', 'Architecture', 'Os', 'Size', 'GraphDriver', 'RootFS', 'Metadata']);
    expect(inspect).toMatchObject({
      Id: HELLO_ID,
      RepoTags: ['hello-world:latest'],
      RepoDigests: ['hello-world@sha256:94047710f407730082bb9b1a099e297de7d6d3d66f281555119ba830c50e897e'],
      Created: '2026-11-22T00:00:00Z',
      Architecture: '386',
      Os: 'linux',
      Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
    });
    expect(Object.keys(inspect.Config)).toEqual(['Env', 'Cmd', 'Labels']);
    expect(inspect.Config.Cmd).toEqual(['/hello']);
  });

  it('history puts the image ID and tags on the newest entry', async () => {
    const history = await service.history('busybox');
    expect(history.map((h) => [h.Id, h.Tags, h.Size])).toEqual([
      [BUSYBOX_ID, ['busybox:latest'], 0],
      ['<missing>', null, 2066447],
    ]);
  });

  it('layers are the uncompressed tars', async () => {
    const [tar] = await service.layers(BUSYBOX_ID as Digest);
    expect(Buffer.from(tar!).equals(gunzipSync((await stores.blobs.get(BUSYBOX_LAYER))!))).toBe(true);
  });
});

describe('tag and rmi', () => {
  it('tags, records the tag time, and refuses digests', async () => {
    await service.tag('busybox', 'localhost:5000/box:v1');
    const inspect = await service.inspect('localhost:5000/box:v1');
    expect(inspect.RepoTags).toEqual(['busybox:latest', 'localhost:5000/box:v1']);
    expect(inspect.Metadata.LastTagTime).toBe('2026-01-02T03:04:05.678Z');
    await expect(service.tag('busybox', `x@${BUSYBOX_MANIFEST}`)).rejects.toThrow('refusing to create a tag with a digest reference');
    await expect(service.tag('nothing', 'x')).rejects.toThrow('No such image: nothing:latest');
  });

  it('rmi of the only tag deletes the image, its digest reference, layers and blobs', async () => {
    expect(await rmi('busybox')).toBe(
      ['Untagged: busybox:latest', `Untagged: busybox@${BUSYBOX_MANIFEST}`, `Deleted: ${BUSYBOX_ID}`, `Deleted: ${BUSYBOX_DIFF}`, ''].join('\n'),
    );
    expect(await stores.blobs.has(BUSYBOX_LAYER)).toBe(false);
    expect(await stores.blobs.has(BUSYBOX_ID)).toBe(false);
    expect((await service.list()).map((s) => s.Id)).toEqual([HELLO_ID]);
    // Metadata went first, in one batch; blobs after.
    const ops = stores.calls.slice(-4).map((c) => c.op);
    expect(ops).toEqual(['meta.commit', 'blob.delete', 'blob.delete', 'blob.delete']);
  });

  it('rmi of one of two tags only untags; the last tag of a repository takes its digests', async () => {
    await service.tag('busybox', 'busybox:two');
    expect(await rmi('busybox:latest')).toBe('Untagged: busybox:latest\n');
    await service.tag('busybox:two', 'mybox');
    expect(await rmi('busybox:two')).toBe(`Untagged: busybox:two\nUntagged: busybox@${BUSYBOX_MANIFEST}\n`);
    expect((await service.list()).find((s) => s.Id === BUSYBOX_ID)).toMatchObject({ RepoTags: ['mybox:latest'], RepoDigests: [] });
  });

  it('refuses to untag an image a container uses, unless forced', async () => {
    containers.set(BUSYBOX_ID, [{ id: CONTAINER, running: false }]);
    await expect(service.remove('busybox')).rejects.toThrow(
      'conflict: unable to remove repository reference "busybox" (must force) - container 0a1b2c3d4e5f is using its referenced image a3f8431a237b',
    );
    expect(await rmi('busybox', true)).toBe(['Untagged: busybox:latest', `Untagged: busybox@${BUSYBOX_MANIFEST}`, `Deleted: ${BUSYBOX_ID}`, `Deleted: ${BUSYBOX_DIFF}`, ''].join('\n'));
  });

  it('forced untag keeps an image a running container uses', async () => {
    containers.set(BUSYBOX_ID, [{ id: CONTAINER, running: true }]);
    expect(await rmi('busybox', true)).toBe(['Untagged: busybox:latest', `Untagged: busybox@${BUSYBOX_MANIFEST}`, ''].join('\n'));
    expect(await service.resolve(BUSYBOX_ID)).toBeDefined();
  });

  it('by ID: conflicts for several repositories, stopped and running containers', async () => {
    await service.tag('busybox', 'mybox');
    await expect(service.remove('a3f8431a237b')).rejects.toThrow(
      'conflict: unable to delete a3f8431a237b (must be forced) - image is referenced in multiple repositories',
    );
    await service.remove('mybox');
    containers.set(BUSYBOX_ID, [{ id: CONTAINER, running: false }]);
    await expect(service.remove('a3f8')).rejects.toThrow('conflict: unable to delete a3f8431a237b (must be forced) - image is being used by stopped container 0a1b2c3d4e5f');
    containers.set(BUSYBOX_ID, [{ id: CONTAINER, running: true }]);
    await expect(service.remove('a3f8', { force: true })).rejects.toThrow('conflict: unable to delete a3f8431a237b (cannot be forced) - image is being used by running container 0a1b2c3d4e5f');
    containers.clear();
    expect(await rmi('a3f8')).toBe(['Untagged: busybox:latest', `Untagged: busybox@${BUSYBOX_MANIFEST}`, `Deleted: ${BUSYBOX_ID}`, `Deleted: ${BUSYBOX_DIFF}`, ''].join('\n'));
  });

  it('forced rmi by ID removes every reference', async () => {
    await service.tag('busybox', 'mybox');
    expect(await rmi(BUSYBOX_ID, true)).toBe(
      ['Untagged: busybox:latest', `Untagged: busybox@${BUSYBOX_MANIFEST}`, 'Untagged: mybox:latest', `Deleted: ${BUSYBOX_ID}`, `Deleted: ${BUSYBOX_DIFF}`, ''].join('\n'),
    );
  });

  it('rmi of an unknown name', async () => {
    await expect(service.remove('foo')).rejects.toMatchObject({ kind: 'not-found', message: 'No such image: foo:latest' });
  });
});

describe('prune', () => {
  it('removes dangling images only, then with all every unused image', async () => {
    await service.remove('busybox');
    // Pulled by digest only: no tag, so dangling.
    await pullImage(service, source, `busybox@${BUSYBOX_MANIFEST}`);
    expect(await service.prune()).toEqual({
      ImagesDeleted: [{ Untagged: `busybox@${BUSYBOX_MANIFEST}` }, { Deleted: BUSYBOX_ID }, { Deleted: BUSYBOX_DIFF }],
      SpaceReclaimed: 2066447,
    });
    expect(await service.prune()).toEqual({ ImagesDeleted: null, SpaceReclaimed: 0 });
    await pullImage(service, source, 'busybox');
    containers.set(HELLO_ID, [{ id: CONTAINER, running: false }]);
    const report = await service.prune({ all: true });
    expect(report.ImagesDeleted?.filter((r) => 'Deleted' in r)).toEqual([{ Deleted: BUSYBOX_ID }, { Deleted: BUSYBOX_DIFF }]);
    expect((await service.list()).map((s) => s.Id)).toEqual([HELLO_ID]);
  });

  it('with all, keeps every tag of an image a container uses (seed walk: an untag through another tag)', async () => {
    await service.tag('busybox', 'mybox:1');
    containers.set(BUSYBOX_ID, [{ id: CONTAINER, running: true }]);
    const report = await service.prune({ all: true });
    expect(report.ImagesDeleted?.some((r) => 'Untagged' in r && r.Untagged.startsWith('busybox'))).toBe(false);
    expect(report.ImagesDeleted?.some((r) => 'Untagged' in r && r.Untagged.startsWith('mybox'))).toBe(false);
    expect((await service.referencesTo(BUSYBOX_ID)).filter((r) => !r.includes('@')).sort()).toEqual(['docker.io/library/busybox:latest', 'docker.io/library/mybox:1']);
  });

  it('collects blobs nothing references', async () => {
    const orphan = new TextEncoder().encode('orphan');
    const { sha256Hex } = await import('./validate.ts');
    const digest = `sha256:${await sha256Hex(orphan)}` as const;
    await stores.blobs.put(digest, orphan);
    expect(await service.collectGarbage()).toEqual([digest]);
    expect(await stores.blobs.has(BUSYBOX_LAYER)).toBe(true);
  });
});
