// The browser storage the engine lives in: whether it is persistent (not evicted under pressure)
// and how much of the quota it uses.

/** How often the usage is re-read: pulls and builds grow it by megabytes within seconds. */
const REFRESH_MS = 10_000;

export class StorageState {
  /** The answer to navigator.storage.persist(); null until asked (or without the API). */
  persisted = $state<boolean | null>(null);
  usage = $state<number | null>(null);
  quota = $state<number | null>(null);
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #storage: StorageManager | undefined;

  constructor(storage: StorageManager | undefined = globalThis.navigator?.storage) {
    this.#storage = storage;
  }

  /** Asks once for persistence, then keeps the usage current; the returned disposer stops that. */
  start(): () => void {
    void this.#askPersist();
    void this.refresh();
    this.#timer ??= setInterval(() => void this.refresh(), REFRESH_MS);
    return () => {
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
    };
  }

  async refresh(): Promise<void> {
    try {
      const estimate = await this.#storage?.estimate();
      this.usage = estimate?.usage ?? null;
      this.quota = estimate?.quota ?? null;
    } catch {
      // Some contexts (opaque origins) refuse estimates: the status bar then shows nothing.
    }
  }

  async #askPersist(): Promise<void> {
    try {
      this.persisted = (await this.#storage?.persisted()) || ((await this.#storage?.persist()) ?? null);
    } catch {
      this.persisted = false;
    }
  }
}
