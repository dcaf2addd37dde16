import { describe, expect, it } from 'vitest';
import { acquireHostLock, HOST_LOCK, type HostLocks } from './host-lock.ts';

/** Web Locks' exclusive mode for one tab's requests; `other` holds the lock first if set. */
class FakeLocks implements HostLocks {
  readonly calls: { name: string; options: { ifAvailable?: boolean } }[] = [];
  held: boolean;
  readonly #waiting: (() => void)[] = [];

  constructor(held: boolean) {
    this.held = held;
  }

  async request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown> {
    this.calls.push({ name, options });
    if (this.held && options.ifAvailable) return callback(null);
    if (this.held) await new Promise<void>((r) => this.#waiting.push(r));
    this.held = true;
    return callback({ name, mode: 'exclusive' });
  }

  releaseOther(): void {
    this.held = false;
    this.#waiting.shift()?.();
  }
}

describe('acquireHostLock', () => {
  it('takes a free lock and keeps it', async () => {
    const locks = new FakeLocks(false);
    expect(await acquireHostLock(locks, false)).toBe(true);
    expect(locks.calls).toEqual([{ name: HOST_LOCK, options: { ifAvailable: true } }]);
    expect(await acquireHostLock(locks, false)).toBe(false);
  });

  it('answers false at once when another tab holds it', async () => {
    expect(await acquireHostLock(new FakeLocks(true), false)).toBe(false);
  });

  it('waits for the other tab when asked to', async () => {
    const locks = new FakeLocks(true);
    let got: boolean | null = null;
    const taken = acquireHostLock(locks, true).then((v) => (got = v));
    await Promise.resolve();
    expect(got).toBe(null);
    locks.releaseOther();
    await taken;
    expect(got).toBe(true);
    expect(locks.calls).toEqual([{ name: HOST_LOCK, options: {} }]);
  });

  it('boots anyway where the browser has no Web Locks', async () => {
    expect(await acquireHostLock(undefined, false)).toBe(true);
  });
});
