import { describe, expect, it } from 'vitest';
import { MediaType, type Digest } from './oci.ts';
import { formatProblems, validateLayout } from './validate.ts';
import { makeLayout, makeTar, type MemoryLayout } from './testing/layout-fixtures.ts';

const encoder = new TextEncoder();

async function problemsOf(layout: MemoryLayout): Promise<string> {
  const report = await validateLayout(layout);
  expect(report.ok).toBe(false);
  return formatProblems(report.problems);
}

function layerDigest(layout: MemoryLayout): Digest {
  const index = JSON.parse(new TextDecoder().decode(layout.files.get('index.json'))) as {
    manifests: { digest: Digest }[];
  };
  const manifest = JSON.parse(new TextDecoder().decode(layout.blobs.get(index.manifests[0]!.digest))) as {
    layers: { digest: Digest }[];
  };
  return manifest.layers[0]!.digest;
}

describe('validateLayout', () => {
  it('accepts a well-formed layout and returns its image', async () => {
    const report = await validateLayout(await makeLayout());
    expect(formatProblems(report.problems)).toBe('');
    expect(report.ok).toBe(true);
    expect(report.images.map((i) => [i.refName, i.config.architecture])).toEqual([
      ['docker.io/library/fixture:latest', '386'],
    ]);
  });

  it('reports a blob whose content does not match its digest', async () => {
    const layout = await makeLayout();
    const digest = layerDigest(layout);
    const bytes = layout.blobs.get(digest)!.slice();
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    layout.blobs.set(digest, bytes);
    expect(await problemsOf(layout)).toMatch(/layers\[0\]: blob content hashes to sha256:[0-9a-f]{64}, descriptor says/);
  });

  it('reports a descriptor whose size is wrong', async () => {
    const layout = await makeLayout({
      editManifest: (m) => {
        const layers = m.layers as { size: number }[];
        layers[0]!.size += 1;
      },
    });
    expect(await problemsOf(layout)).toMatch(/layers\[0\]: blob sha256:\w+ is \d+ bytes, descriptor says \d+/);
  });

  it('reports a layer with a media type that is not a layer', async () => {
    const layout = await makeLayout({ layerMediaType: 'application/x-tar' });
    expect(await problemsOf(layout)).toContain(
      `layers[0]: has media type "application/x-tar", expected ${MediaType.layerGzip}`,
    );
  });

  it('reports a config that is not JSON', async () => {
    const layout = await makeLayout({ rawConfig: encoder.encode('{"architecture": "386",') });
    expect(await problemsOf(layout)).toMatch(/config: is not well-formed JSON/);
  });

  it('reports a malformed index.json', async () => {
    const layout = await makeLayout();
    layout.files.set('index.json', encoder.encode('[1, 2'));
    expect(await problemsOf(layout)).toMatch(/^index\.json: is not well-formed JSON/);
  });

  it('reports an absolute path inside a layer', async () => {
    const layout = await makeLayout({ layers: [makeTar([{ path: '/etc/passwd', data: 'root' }])] });
    expect(await problemsOf(layout)).toContain('layers[0] /etc/passwd: entry path is absolute');
  });

  it('reports a path that climbs out with ".."', async () => {
    const layout = await makeLayout({ layers: [makeTar([{ path: 'usr/../../etc/shadow', data: 'x' }])] });
    expect(await problemsOf(layout)).toContain('layers[0] usr/../../etc/shadow: entry path contains ".."');
  });

  it('reports a hard link whose target climbs out', async () => {
    const layout = await makeLayout({ layers: [makeTar([{ path: 'x', flag: '1', linkname: '../../etc/shadow' }])] });
    expect(await problemsOf(layout)).toContain('layers[0] x: hard link target contains ".."');
  });

  it('reports a gzip layer that is not gzip', async () => {
    const layout = await makeLayout({ gzipLayers: false });
    expect(await problemsOf(layout)).toContain('layers[0]: is not gzip-compressed (no gzip magic bytes)');
  });

  it('reports a layer that is not a tar', async () => {
    const layout = await makeLayout({ layers: [encoder.encode('not a tar archive'.repeat(40))] });
    expect(await problemsOf(layout)).toMatch(/layers\[0\]: tar: header checksum mismatch/);
  });

  it('reports a diff_id that does not match the uncompressed layer', async () => {
    const layout = await makeLayout({
      editConfig: (c) => {
        (c.rootfs as { diff_ids: string[] }).diff_ids[0] = `sha256:${'0'.repeat(64)}`;
      },
    });
    expect(await problemsOf(layout)).toMatch(/layers\[0\]: uncompressed content hashes to sha256:\w+, config diff_id says sha256:0{64}/);
  });

  it('reports history that does not match the layers', async () => {
    const layout = await makeLayout({ editConfig: (c) => void (c.history = []) });
    expect(await problemsOf(layout)).toContain('config: history has 0 entries with a layer for 1 layers');
  });

  it('reports a blob that nothing references', async () => {
    const layout = await makeLayout();
    await layout.put(encoder.encode('orphan'));
    expect(await problemsOf(layout)).toMatch(/^blobs\/sha256\/\w+: is referenced by nothing$/);
  });

  it('reports a missing blob', async () => {
    const layout = await makeLayout();
    layout.blobs.delete(layerDigest(layout));
    expect(await problemsOf(layout)).toMatch(/layers\[0\]: blob sha256:\w+ cannot be read: no such blob/);
  });
});
