// docker save / docker load against an implementation nobody here wrote: Debian's skopeo writes a
// docker-archive (the layout `docker save` wrote before Docker 25) from the committed catalogue,
// which `loadImages` must take with the image's ID intact; and skopeo must read what `saveImages`
// writes, both as a docker-archive (manifest.json) and as an OCI archive (index.json).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStores } from '../fakes/memory-store.ts';
import { concatBytes } from '../../src/lib/bytes.ts';
import { loadImages, saveImages } from '../../src/engine/image/archive.ts';
import { ImageService } from '../../src/engine/image/images.ts';
import { CATALOGUE_DIR } from '../../src/engine/image/testing/catalogue-dir.ts';

const work = mkdtempSync(join(tmpdir(), 'slipway-skopeo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** skopeo with no signature policy to consult (it would want /etc/containers/policy.json). */
const skopeo = (...args: string[]) => execFileSync('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function catalogueConfigDigest(name: string): string {
  const index = JSON.parse(readFileSync(join(CATALOGUE_DIR, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
  const entry = index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === name)!;
  const manifest = JSON.parse(readFileSync(join(CATALOGUE_DIR, 'blobs/sha256', entry.digest.slice(7)), 'utf8')) as { config: { digest: string } };
  return manifest.config.digest;
}

describe("skopeo's archives and Slipway's", () => {
  it('loads a docker-archive skopeo wrote, and skopeo reads the archive save writes', async () => {
    const images = new ImageService(memoryStores());
    const theirs = join(work, 'theirs.tar');
    skopeo('copy', `oci:${CATALOGUE_DIR}:docker.io/library/busybox:latest`, `docker-archive:${theirs}:busybox:latest`);
    expect(await loadImages(images, new Uint8Array(readFileSync(theirs)))).toEqual(['Loaded image: busybox:latest']);
    const id = catalogueConfigDigest('docker.io/library/busybox:latest');
    expect((await images.getImage('busybox')).id).toBe(id);

    const chunks: Uint8Array[] = [];
    await (await saveImages(images, ['busybox']))({ write: async (b) => void chunks.push(b as Uint8Array), end: () => undefined });
    const ours = join(work, 'ours.tar');
    writeFileSync(ours, concatBytes(chunks));
    const asDocker = JSON.parse(skopeo('inspect', '--raw', `docker-archive:${ours}`)) as { config: { digest: string } };
    expect(asDocker.config.digest).toBe(id);
    const asOci = JSON.parse(skopeo('inspect', '--config', '--raw', `oci-archive:${ours}:latest`)) as { architecture: string };
    expect(asOci.architecture).toBe('386');
    // skopeo copies it onward (every blob read and verified against its digest).
    skopeo('copy', `docker-archive:${ours}`, `oci:${join(work, 'copied')}:busybox`);
  }, 60_000);
});
