// Images of the offline catalogue run under the guest's own kernel and crun: the small ones are
// streamed into the guest, unpacked with busybox tar and started as a container from their config.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/node.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { bootGuest, ociSpec, sh } from './harness.ts';

const catalogue = join(projectRoot, 'public/catalogue');
const blob = (digest: string) => readFile(join(catalogue, 'blobs/sha256', digest.replace('sha256:', '')));

interface ImageConfig {
  config: { Env?: string[]; Cmd?: string[]; Entrypoint?: string[]; WorkingDir?: string };
}

async function loadImage(ref: string) {
  const index = JSON.parse(await readFile(join(catalogue, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations: Record<string, string> }[];
  };
  const entry = index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === ref);
  if (!entry) throw new Error(`${ref} not in the catalogue`);
  const manifest = JSON.parse((await blob(entry.digest)).toString()) as { config: { digest: string }; layers: { digest: string }[] };
  const config = JSON.parse((await blob(manifest.config.digest)).toString()) as ImageConfig;
  return { config: config.config, layers: await Promise.all(manifest.layers.map((l) => blob(l.digest))) };
}

let guest: NodeGuest;
beforeAll(async () => {
  guest = await bootGuest();
});
afterAll(() => guest?.stop());

async function runImage(ref: string, name: string, args?: string[]) {
  const image = await loadImage(ref);
  const bundle = `/tmp/images/${name}`;
  expect(await sh(guest, `mkdir -p ${bundle}/rootfs`)).toMatchObject({ code: 0 });
  for (const layer of image.layers) {
    expect(await sh(guest, `tar -xzf - -C ${bundle}/rootfs`, new Uint8Array(layer))).toEqual({ stdout: '', stderr: '', code: 0 });
  }
  const command = args ?? [...(image.config.Entrypoint ?? []), ...(image.config.Cmd ?? [])];
  const spec = ociSpec({ name, args: command, env: image.config.Env, cwd: image.config.WorkingDir || '/' });
  return sh(guest, `cat > ${bundle}/config.json && crun run --bundle ${bundle} ${name}`, spec);
}

describe('catalogue images on the guest', () => {
  it('hello-world runs its CMD and explains itself', async () => {
    const r = await runImage('docker.io/library/hello-world:latest', 'hello');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\nHello from Slipway!/);
  });

  it('busybox runs as a linux/386 container', async () => {
    const r = await runImage('docker.io/library/busybox:latest', 'bb', [
      'sh',
      '-c',
      'echo "$(uname -m) $(hostname) pid $$"; which ls wget vi nc',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('i686 bb pid 1');
    expect(r.stdout).toMatch(/^i686 bb pid 1\n\/bin\/ls\n\/(usr\/)?bin\/wget\n\/(usr\/)?bin\/vi\n\/(usr\/)?bin\/nc\n$/);
  });
});
