// `--platform` on run, create and pull against the offline catalogue (linux/386 only): what
// docker/cli prints and the exit codes, for a local image and for one pulled first; and -q.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { memoryStores } from '../../../../test/fakes/memory-store.ts';
import { createContainer } from '../../../engine/api/container-create.ts';
import { imageRoutes } from '../../../engine/api/images.ts';
import { ImageService } from '../../../engine/image/images.ts';
import { pullImage } from '../../../engine/image/pull.ts';
import { directoryCatalogue } from '../../../engine/image/testing/catalogue-dir.ts';
import { fakeApi } from '../../testing/fake-api.ts';
import { runDocker } from '../../testing/run-docker.ts';

const ID = 'c'.repeat(64);
const NO_MATCH = 'no matching manifest for linux/arm64 in the manifest list entries';
const MISMATCH = 'image with reference busybox was found but its platform (linux/386) does not match the specified platform (linux/arm64)';
const PULLING = "Unable to find image 'busybox:latest' locally\nlatest: Pulling from library/busybox\n";

async function setup(pulled: boolean) {
  const images = new ImageService(memoryStores());
  const catalogue = directoryCatalogue(async (path) => new Uint8Array(await readFile(path)));
  if (pulled) await pullImage(images, catalogue, 'busybox');
  const created: string[] = [];
  // The daemon's image routes and its create (where the platform is checked) over the real image
  // store; the container service only records what it was asked to create.
  const containers = { create: async (_: unknown, image: { id: string }) => (created.push(image.id), { Id: ID }) };
  const { api } = fakeApi({
    ...imageRoutes({ images, catalogue }),
    containerCreate: (body, options) => createContainer({ images, containers }, body, options ?? {}),
    containerStart: async () => true,
  });
  return { docker: (argv: string[]) => runDocker(api, argv), created };
}

describe('--platform', () => {
  it('runs a local linux/386 image for linux/386 and linux/amd64 (which also runs 386)', async () => {
    const t = await setup(true);
    expect(await t.docker(['create', '--platform', 'linux/386', 'busybox'])).toEqual({ code: 0, stdout: `${ID}\n`, stderr: '' });
    expect(await t.docker(['run', '-d', '--platform', 'linux/amd64', 'busybox'])).toEqual({ code: 0, stdout: `${ID}\n`, stderr: '' });
    expect(t.created).toHaveLength(2);
  });

  it('takes a local image of another platform as missing: pulls for it, which the catalogue cannot serve', async () => {
    const t = await setup(true);
    expect(await t.docker(['run', '--platform', 'linux/arm64', 'busybox'])).toEqual({
      code: 125,
      stdout: '',
      stderr: `${PULLING}docker: ${NO_MATCH}\n\nRun 'docker run --help' for more information\n`,
    });
    expect(await t.docker(['run', '--pull', 'never', '--platform', 'linux/arm64', 'busybox'])).toEqual({
      code: 125,
      stdout: '',
      stderr: `docker: Error response from daemon: ${MISMATCH}\n\nRun 'docker run --help' for more information\n`,
    });
    // docker/cli's runCreate returns createContainer's errors as they are: exit 1, no hint.
    expect(await t.docker(['create', '--platform', 'linux/arm64', 'busybox'])).toEqual({ code: 1, stdout: '', stderr: `${PULLING}${NO_MATCH}\n` });
    expect(await t.docker(['create', '--pull=never', '--platform', 'linux/arm64', 'busybox'])).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: ${MISMATCH}\n` });
    expect(t.created).toEqual([]);
  });

  it('pulls for a platform, or says there is no manifest for it', async () => {
    const t = await setup(false);
    expect(await t.docker(['pull', '--platform', 'linux/arm64', 'busybox'])).toEqual({ code: 1, stdout: 'Using default tag: latest\nlatest: Pulling from library/busybox\n', stderr: `${NO_MATCH}\n` });
    expect(await t.docker(['pull', '-q', '--platform', 'linux/386', 'busybox'])).toEqual({ code: 0, stdout: 'docker.io/library/busybox:latest\n', stderr: '' });
    expect(await t.docker(['pull', '--platform', 'foo', 'busybox'])).toEqual({
      code: 1,
      stdout: 'Using default tag: latest\n',
      stderr: 'Error response from daemon: "foo": unknown operating system or architecture: invalid argument\n',
    });
  });

  it('-q pulls without a word, "Unable to find image" included (docker/cli createContainer)', async () => {
    const t = await setup(false);
    expect(await t.docker(['run', '-d', '-q', 'busybox'])).toEqual({ code: 0, stdout: `${ID}\n`, stderr: '' });
  });

  it('is parsed by the client for run and create', async () => {
    const t = await setup(true);
    const parseError = 'error parsing specified platform: "foo": unknown operating system or architecture: invalid argument';
    expect(await t.docker(['run', '--platform', 'foo', 'busybox'])).toEqual({ code: 125, stdout: '', stderr: `docker: ${parseError}\n\nRun 'docker run --help' for more information\n` });
    expect(await t.docker(['create', '--platform', 'foo', 'busybox'])).toEqual({ code: 1, stdout: '', stderr: `${parseError}\n` });
  });
});
