// One engine per browser profile: two tabs booting guests on the same IndexedDB stores would
// overwrite each other's containers and images. The tab holding this Web Lock owns the stores.

export const HOST_LOCK = 'slipway-host';

/** The part of `navigator.locks` used here (a fake in tests). */
export interface HostLocks {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>;
}

/**
 * Takes the host lock and keeps it for the page's life (the browser releases it when the tab
 * closes). `wait: false` answers false at once when another tab holds it; `wait: true` resolves
 * true once that tab lets go. Without Web Locks there is nothing to check: true.
 */
export function acquireHostLock(locks: HostLocks | undefined, wait: boolean): Promise<boolean> {
  if (!locks) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    locks
      .request(HOST_LOCK, wait ? {} : { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        if (lock !== null) return new Promise<void>(() => {});
      })
      .catch(reject);
  });
}
