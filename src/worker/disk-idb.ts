// The guest disk's browser backend: one IndexedDB record per chunk (key: the chunk's index). A
// commit is one readwrite transaction, so IndexedDB applies the whole batch or none of it.
import { createStore, promisifyRequest } from 'idb-keyval';
import { StoreQuotaError } from '../protocol/store.ts';
import type { DiskStore } from './vm/platform.ts';

export function openIdbDisk(dbName = 'slipway-disk'): DiskStore {
  const use = createStore(dbName, 'chunks');
  return {
    read: (index) => use('readonly', (s) => promisifyRequest(s.get(index))).then((v) => (v as Uint8Array | undefined) ?? null),
    commit: async (chunks) => {
      try {
        await use('readwrite', (s) => {
          for (const [index, chunk] of chunks) {
            if (chunk) s.put(chunk, index);
            else s.delete(index);
          }
          return promisifyRequest(s.transaction);
        });
      } catch (error) {
        if ((error as { name?: string } | null)?.name === 'QuotaExceededError') throw new StoreQuotaError('no space left for the Docker host disk in the browser storage', { cause: error });
        throw error;
      }
    },
  };
}
