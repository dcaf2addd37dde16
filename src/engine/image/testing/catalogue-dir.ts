// The committed catalogue (public/catalogue/) as a CatalogueSource, for tests. Free of Node
// imports (src/engine may not have any): the test passes in its file reader.
import type { CatalogueSource } from '../catalogue-source.ts';

/** The catalogue directory, with a trailing slash. */
export const CATALOGUE_DIR = new URL('../../../../public/catalogue/', import.meta.url).pathname;

export type ReadFile = (path: string) => Promise<Uint8Array>;

/** Records the blob digests it reads, so tests can check what a pull fetched. */
export function directoryCatalogue(readFile: ReadFile, dir = CATALOGUE_DIR): CatalogueSource & { reads: string[] } {
  const reads: string[] = [];
  const json = async <T>(name: string) => JSON.parse(new TextDecoder().decode(await readFile(dir + name))) as T;
  return {
    reads,
    index: () => json('index.json'),
    catalogue: () => json('catalogue.json'),
    blob: (digest) => {
      reads.push(digest);
      return readFile(`${dir}blobs/sha256/${digest.slice(7)}`);
    },
  };
}
