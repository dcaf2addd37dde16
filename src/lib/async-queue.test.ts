import { describe, expect, it } from 'vitest';
import { AsyncQueue } from './async-queue.ts';

describe('AsyncQueue', () => {
  it('delivers in order and settles push only when taken', async () => {
    const q = new AsyncQueue<number>();
    let taken = false;
    const p = q.push(1).then(() => (taken = true));
    await Promise.resolve();
    expect(taken).toBe(false);
    const it = q[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ value: 1, done: false });
    await p;
    expect(taken).toBe(true);
    void q.push(2);
    q.close();
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect((await it.next()).done).toBe(true);
  });

  it('releases waiting producers when the consumer leaves', async () => {
    const q = new AsyncQueue<number>();
    const first = q.push(1);
    const second = q.push(2);
    for await (const v of q) {
      expect(v).toBe(1);
      break;
    }
    await Promise.all([first, second]);
    expect(q.closed).toBe(true);
    await q.push(3); // closed: settles at once
  });
});
