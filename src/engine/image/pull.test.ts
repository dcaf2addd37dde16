// Pulling from the committed catalogue into a directory store, with the exact text the docker CLI
// prints for the daemon's messages (non-TTY unless said otherwise).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeStore } from '../../platform/store-node.ts';
import { fetchCatalogueSource, findInCatalogue } from './catalogue-source.ts';
import { ImageService } from './images.ts';
import { renderPullProgress, type PullEvent } from '../../cli/format/progress.ts';
import { PullError, pullImage, PullStreamError } from './pull.ts';
import { parsePlatform } from './platform.ts';
import { parseDockerRef } from '../../lib/reference.ts';
import { directoryCatalogue } from './testing/catalogue-dir.ts';
import { verifiedBlobs } from '../store/verified-blobs.ts';

const BUSYBOX_MANIFEST = 'sha256:2c6b38df7366f0c8b29170e20cbab72f49878ba726f6078a30051a293ebaecaf';
const BUSYBOX_ID = 'sha256:a3f8431a237bc7771427a88c23de1f255bec1770c41abec65a17c05d98adc42f';
const HINT = 'Slipway works offline; the images it can pull are: busybox:latest, debian:bookworm-slim, hello-world:latest, nginx:latest, postgres:15, python:3.11-slim, redis:latest';

let dir: string;
let service: ImageService;
const source = directoryCatalogue(async (path) => new Uint8Array(await readFile(path)));

async function pull(ref: string, tty = false): Promise<string> {
  const events: PullEvent[] = [];
  await pullImage(service, source, ref, { onProgress: (e) => events.push(e) });
  return renderPullProgress(events, { tty, width: 120 });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-pull-'));
  service = new ImageService(await openNodeStore(dir));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('pull from the offline catalogue', () => {
  it('downloads busybox with Docker’s non-TTY lines', async () => {
    expect(await pull('busybox')).toBe(
      [
        'latest: Pulling from library/busybox',
        '07e8b4866de8: Pulling fs layer',
        '07e8b4866de8: Verifying Checksum',
        '07e8b4866de8: Download complete',
        '07e8b4866de8: Pull complete',
        `Digest: ${BUSYBOX_MANIFEST}`,
        'Status: Downloaded newer image for busybox:latest',
        '',
      ].join('\n'),
    );
    expect((await service.list()).map((s) => [s.Id, s.RepoTags, s.RepoDigests, s.Size])).toEqual([
      [BUSYBOX_ID, ['busybox:latest'], [`busybox@${BUSYBOX_MANIFEST}`], 2066447],
    ]);
    // Blobs first, then one metadata batch: manifest, config and layer are all stored.
    const store = await openNodeStore(dir);
    expect(await store.blobs.list()).toEqual(
      [BUSYBOX_MANIFEST, BUSYBOX_ID, 'sha256:07e8b4866de80ac31e04f30b2127bce7a72018a47ba47494ff405c5b7cbd3f58'].sort(),
    );
  });

  it('says the image is up to date when pulled again, and reads no layer', async () => {
    const reads = source.reads.length;
    expect(await pull('busybox:latest')).toBe(
      ['latest: Pulling from library/busybox', `Digest: ${BUSYBOX_MANIFEST}`, 'Status: Image is up to date for busybox:latest', ''].join('\n'),
    );
    expect(source.reads.slice(reads)).toEqual([BUSYBOX_MANIFEST]);
  });

  it('adds a new tag of a stored image as "Downloaded newer image"', async () => {
    expect(await pull('busybox:stable')).toBe(
      ['stable: Pulling from library/busybox', `Digest: ${BUSYBOX_MANIFEST}`, 'Status: Downloaded newer image for busybox:stable', ''].join('\n'),
    );
  });

  it('pulls by digest', async () => {
    expect(await pull(`busybox@${BUSYBOX_MANIFEST}`)).toBe(
      [`${BUSYBOX_MANIFEST}: Pulling from library/busybox`, `Digest: ${BUSYBOX_MANIFEST}`, `Status: Image is up to date for busybox@${BUSYBOX_MANIFEST}`, ''].join('\n'),
    );
  });

  it('redraws layer lines in place on a terminal', async () => {
    const tty = await pull('hello-world', true);
    const id = '075d801ae61d';
    const line = (text: string) => `\x1b[1A\x1b[2K\r${id}: ${text}\r\x1b[1B`;
    expect(tty).toBe(
      'latest: Pulling from library/hello-world\n\n' +
        line('Pulling fs layer ') +
        line('Downloading [==================================================>]     842B/842B') +
        line('Verifying Checksum ') +
        line('Download complete ') +
        line('Extracting [==================================================>]     842B/842B') +
        line('Pull complete ') +
        'Digest: sha256:94047710f407730082bb9b1a099e297de7d6d3d66f281555119ba830c50e897e\n' +
        'Status: Downloaded newer image for hello-world:latest\n',
    );
  });

  it('reuses a layer another image already has ("Already exists")', async () => {
    await pull('debian:12');
    expect(await pull('python:3.11-slim')).toBe(
      [
        '3.11-slim: Pulling from library/python',
        '037f93e1bec3: Already exists',
        '508e57b455a7: Pulling fs layer',
        '508e57b455a7: Verifying Checksum',
        '508e57b455a7: Download complete',
        '508e57b455a7: Pull complete',
        'Digest: sha256:55c969c3046316fc6861df928fc0c2563d484d5661cacee5eb3a67d63215498b',
        'Status: Downloaded newer image for python:3.11-slim',
        '',
      ].join('\n'),
    );
    const python = await service.getImage('python:3.11-slim');
    const debian = await service.getImage('debian:12');
    expect(python.layers[0]).toEqual(debian.layers[0]);
    expect(python.size).toBe(debian.size + python.layers[1]!.diffSize);
  });

  it('repairs a stored image whose layer blob was corrupted: pull fetches it again', async () => {
    const repairDir = await mkdtemp(join(tmpdir(), 'slipway-repair-'));
    try {
      const stores = await openNodeStore(repairDir);
      const repairing = new ImageService({ ...stores, blobs: verifiedBlobs(stores.blobs) });
      await pullImage(repairing, source, 'busybox');
      const layer = (await repairing.image(BUSYBOX_ID))!.layers[0]!.digest;
      const path = join(repairDir, 'blobs', 'sha256', layer.slice(7));
      const bytes = await readFile(path);
      bytes[100] = bytes[100]! ^ 0xff;
      await writeFile(path, bytes);
      // After a reboot (no layer cache): the corrupt layer is refused, named, then pulled again.
      const rebooted = new ImageService({ ...stores, blobs: verifiedBlobs(stores.blobs) });
      await expect(rebooted.layers(BUSYBOX_ID)).rejects.toThrow(`blob ${layer} is corrupt in the store`);
      const events: PullEvent[] = [];
      await pullImage(rebooted, source, 'busybox', { onProgress: (e) => events.push(e) });
      expect(events.map((e) => e.status)).toContain('Pull complete');
      expect((await rebooted.layers(BUSYBOX_ID))[0]!.length).toBeGreaterThan(0);
    } finally {
      await rm(repairDir, { recursive: true, force: true });
    }
  });

  it('pulls for --platform as from a manifest list holding linux/386 only', async () => {
    const events: PullEvent[] = [];
    const error = await pullImage(service, source, 'busybox', { platform: parsePlatform('linux/arm64'), onProgress: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullStreamError);
    expect((error as Error).message).toBe('no matching manifest for linux/arm64 in the manifest list entries');
    expect(renderPullProgress(events, { tty: false, width: 120 })).toBe('latest: Pulling from library/busybox\n');
    // platforms.Only(linux/amd64) takes linux/386 too.
    for (const platform of ['linux/386', 'linux/amd64']) expect((await pullImage(service, source, 'busybox', { platform: parsePlatform(platform) })).image.id).toBe(BUSYBOX_ID);
  });

  it.each(['scratch', 'scratch:latest', 'docker.io/library/scratch'])('refuses %s as a reserved name, as moby does', async (ref) => {
    await expect(pullImage(service, source, ref)).rejects.toThrow("'scratch' is a reserved name");
  });

  it.each([
    ['foo', "pull access denied for foo, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"],
    ['someone/app:1', "pull access denied for someone/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"],
    ['busybox:nope', 'manifest for busybox:nope not found: manifest unknown: manifest unknown'],
    [`busybox@sha256:${'0'.repeat(64)}`, `manifest for busybox@sha256:${'0'.repeat(64)} not found: manifest unknown: manifest unknown`],
    [`hello-world@${BUSYBOX_MANIFEST}`, `manifest for hello-world@${BUSYBOX_MANIFEST} not found: manifest unknown: manifest unknown`],
  ])('fails for %s with Docker’s message and the offline hint', async (ref, message) => {
    const events: PullEvent[] = [];
    const error = await pullImage(service, source, ref, { onProgress: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullError);
    expect((error as PullError).message).toBe(message);
    expect((error as PullError).hint).toBe(HINT);
    expect(events).toEqual([]);
  });

  it.each([
    ['alpine', "alpine is not in Slipway's offline catalogue; use busybox (or debian:bookworm-slim) instead."],
    ['ubuntu:22.04', "ubuntu is not in Slipway's offline catalogue; use debian instead."],
    ['node:20-alpine', "node is not in Slipway's offline catalogue, and no image there is close enough to stand in for it."],
  ])('names the closest catalogue image when %s cannot be pulled offline', async (ref, closest) => {
    const error = (await pullImage(service, source, ref).catch((e: unknown) => e)) as PullError;
    expect(error).toBeInstanceOf(PullError);
    expect(error.message).toBe(`pull access denied for ${ref.split(':')[0]}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`);
    expect(error.hint).toBe(`${closest}\n${HINT}`);
  });
});

describe('catalogue source', () => {
  it('resolves tag aliases from catalogue.json and reads over fetch', async () => {
    const served = fetchCatalogueSource('https://example.test/catalogue', async (url) => {
      const bytes = await (url.endsWith('.json') ? source[url.endsWith('index.json') ? 'index' : 'catalogue']().then((j) => new TextEncoder().encode(JSON.stringify(j))) : source.blob(`sha256:${url.slice(url.lastIndexOf('/') + 1)}`));
      return { ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer };
    });
    const lookup = await findInCatalogue(served, parseDockerRef('debian:bookworm'));
    expect(lookup).toMatchObject({ found: true, manifest: { digest: 'sha256:f68d12f56d5e2e84d2ea7690a63e6fe3439c3c9f07937d375b9615bdea689234' } });
    expect(await findInCatalogue(served, parseDockerRef('docker.io/library/debian:11'))).toEqual({ found: false, reason: 'no-manifest' });
    expect(await findInCatalogue(served, parseDockerRef('quay.io/busybox'))).toEqual({ found: false, reason: 'no-repository' });
  });
});
