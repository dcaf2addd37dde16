// `docker save`, `docker load`, `docker import` and `docker builder prune` as docker/cli prints
// them, over the daemon's real image routes on an in-memory store and a fake client file system.
import { describe, expect, it } from 'vitest';
import { memoryStores } from '../../../../test/fakes/memory-store.ts';
import { concatBytes } from '../../../lib/bytes.ts';
import { endTar, writeTarEntry } from '../../../lib/tar.ts';
import { buildRoutes } from '../../../engine/api/build.ts';
import { imageRoutes } from '../../../engine/api/images.ts';
import { commitStep } from '../../../engine/builder/commit.ts';
import { ImageService } from '../../../engine/image/images.ts';
import type { ClientFiles } from '../../io.ts';
import { fakeApi } from '../../testing/fake-api.ts';
import { runDocker } from '../../testing/run-docker.ts';

const NOW = Date.UTC(2026, 11, 7);

function tar(files: Record<string, string>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) writeTarEntry(parts, { name, flag: '0', mode: 0o644, uid: 0, gid: 0, mtime: 1, data: new TextEncoder().encode(data) });
  endTar(parts);
  return concatBytes(parts);
}

async function setup() {
  const images = new ImageService(memoryStores());
  const image = await commitStep(images, null, { config: { Cmd: ['sh'] }, history: { created_by: 'ADD x' }, layer: tar({ x: 'x' }) }, new Date(NOW));
  await images.tag(image.id, 'demo:1');
  const disk = new Map<string, Uint8Array>();
  const files = {
    readBytes: async (path: string) => disk.get(path) ?? null,
    checkOutputPath: async (path: string) => (path.startsWith('/root/') ? null : `directory "${path.replace(/\/[^/]*$/, '')}" does not exist`),
    writeFile: async (path: string, produce: Parameters<ClientFiles['writeFile']>[1]) => {
      const chunks: Uint8Array[] = [];
      await produce({ write: async (b) => void chunks.push(typeof b === 'string' ? new TextEncoder().encode(b) : b), end: () => undefined });
      disk.set(path, concatBytes(chunks));
    },
  } as unknown as ClientFiles;
  const { api } = fakeApi({ ...imageRoutes({ images } as never), ...buildRoutes({ images, now: () => NOW } as never) });
  const docker = (argv: string[], stdin?: string) => runDocker(api, argv, stdin, { files, now: () => NOW });
  return { docker, disk, images, image };
}

describe('docker save and load', () => {
  it('saves to a file of the client, and loads it back after rmi', async () => {
    const { docker, disk, image } = await setup();
    expect(await docker(['save', '-o', 'demo.tar', 'demo:1'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(disk.get('/root/demo.tar')!.length).toBeGreaterThan(2048);
    expect((await docker(['rmi', 'demo:1'])).code).toBe(0);
    expect(await docker(['load', '-i', 'demo.tar'])).toEqual({ code: 0, stdout: 'Loaded image: demo:1\n', stderr: '' });
    expect((await docker(['image', 'inspect', '-f', '{{.Id}}', 'demo:1'])).stdout).toBe(`${image.id}\n`);
  });

  it("gives docker/cli's errors for a bad output path, a missing image or file", async () => {
    const { docker } = await setup();
    expect(await docker(['save', '-o', '/nope/x.tar', 'demo:1'])).toEqual({ code: 1, stdout: '', stderr: 'failed to save image: invalid output path: directory "/nope" does not exist\n' });
    expect(await docker(['save', '-o', 'x.tar', 'other:2'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: reference does not exist\n' });
    expect(await docker(['load', '-i', 'missing.tar'])).toEqual({ code: 1, stdout: '', stderr: 'open missing.tar: no such file or directory\n' });
    expect(await docker(['load'], 'hello')).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: open /var/lib/docker/tmp/docker-import/repositories: no such file or directory\n' });
  });
});

describe('docker import', () => {
  it('prints the new image ID and tags it', async () => {
    const { docker, disk } = await setup();
    disk.set('/root/rootfs.tar', tar({ 'etc/hostname': 'box' }));
    const r = await docker(['import', '-c', 'CMD ["cat", "/etc/hostname"]', '-m', 'from a tar', 'rootfs.tar', 'box:v1']);
    expect(r).toEqual({ code: 0, stdout: expect.stringMatching(/^sha256:[0-9a-f]{64}\n$/), stderr: '' });
    expect((await docker(['history', '--format', '{{.Comment}}', 'box:v1'])).stdout).toBe('from a tar\n');
    expect((await docker(['inspect', '-f', '{{json .Config.Cmd}}', '--type', 'image', 'box:v1'])).stdout).toBe('["cat","/etc/hostname"]\n');
    expect(await docker(['import', 'http://example.com/x.tar'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error response from daemon: Get "http://example.com/x.tar": dial tcp: lookup example.com: no such host (Slipway\'s guest has no network yet)\n',
    });
  });
});

describe('docker builder prune', () => {
  it('asks, then prints the deleted objects, a blank line and the total', async () => {
    const { api } = fakeApi({ buildPrune: async () => ({ CachesDeleted: ['abc', 'def'], SpaceReclaimed: 2048 }) });
    expect(await runDocker(api, ['builder', 'prune'], 'n\n')).toEqual({ code: 0, stdout: 'WARNING! This will remove all dangling build cache. Are you sure you want to continue? [y/N] ', stderr: '' });
    expect(await runDocker(api, ['builder', 'prune', '-af'])).toEqual({ code: 0, stdout: 'Deleted build cache objects:\nabc\ndef\n\nTotal reclaimed space: 2.048kB\n', stderr: '' });
  });
});
