// Every container the daemon knows, by ID and name, mirrored to the metadata store. Lookups follow
// Docker's order: full ID, exact name, then a unique ID prefix.
import type { MetaStore } from '../../protocol/store.ts';
import type { ContainerRecord } from './record.ts';
import { DaemonError, noSuchContainer } from './state.ts';

const KEY = (id: string) => `containers/${id}`;

export class ContainerRegistry {
  readonly #byId = new Map<string, ContainerRecord>();
  readonly #meta: MetaStore;

  private constructor(meta: MetaStore) {
    this.#meta = meta;
  }

  static async load(meta: MetaStore): Promise<ContainerRegistry> {
    const registry = new ContainerRegistry(meta);
    for (const [, record] of await meta.list<ContainerRecord>('containers/')) registry.#byId.set(record.Id, record);
    return registry;
  }

  /** All containers, newest first (as `docker ps` lists them). */
  all(): ContainerRecord[] {
    return [...this.#byId.values()].sort((a, b) => (a.Created < b.Created ? 1 : a.Created > b.Created ? -1 : 0));
  }

  find(ref: string): ContainerRecord | undefined {
    if (!ref) return undefined;
    const exact = this.#byId.get(ref);
    if (exact) return exact;
    const name = ref.startsWith('/') ? ref : `/${ref}`;
    for (const c of this.#byId.values()) if (c.Name === name) return c;
    if (!/^[a-f0-9]+$/.test(ref)) return undefined;
    const matches = [...this.#byId.values()].filter((c) => c.Id.startsWith(ref));
    if (matches.length > 1) throw new DaemonError(`Multiple IDs found with provided prefix: ${ref}`, 'invalid-parameter');
    return matches[0];
  }

  get(ref: string): ContainerRecord {
    const found = this.find(ref);
    if (!found) throw noSuchContainer(ref);
    return found;
  }

  nameInUse(name: string): ContainerRecord | undefined {
    const n = name.startsWith('/') ? name : `/${name}`;
    for (const c of this.#byId.values()) if (c.Name === n) return c;
    return undefined;
  }

  /** Stores the record (new or changed) and persists it. */
  async save(record: ContainerRecord): Promise<void> {
    this.#byId.set(record.Id, record);
    await this.#meta.commit({ put: [[KEY(record.Id), record]] });
  }

  async delete(id: string): Promise<void> {
    this.#byId.delete(id);
    await this.#meta.commit({ delete: [KEY(id)] });
  }
}
