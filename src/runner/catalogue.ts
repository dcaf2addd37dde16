// The offline image catalogue of the checkout (public/catalogue), read from disk by the runner.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fetchCatalogueSource, type CatalogueSource } from '../engine/image/catalogue-source.ts';
import { projectRoot } from '../platform/node.ts';

export function nodeCatalogue(dir = join(projectRoot, 'public/catalogue')): CatalogueSource {
  return fetchCatalogueSource('catalogue/', async (url) => {
    try {
      const bytes = await readFile(join(dir, url.slice('catalogue/'.length)));
      return { ok: true, status: 200, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
    } catch {
      return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    }
  });
}
