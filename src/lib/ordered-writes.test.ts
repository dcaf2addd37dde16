import { describe, expect, it } from 'vitest';
import { OrderedWrites } from './ordered-writes.ts';

describe('OrderedWrites', () => {
  it('writes in order without the caller awaiting', async () => {
    const seen: number[] = [];
    const writes = new OrderedWrites();
    for (const n of [1, 2, 3]) writes.push(async () => void (await new Promise((r) => setTimeout(r, 4 - n)), seen.push(n)));
    await writes.settled();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('keeps a failure for settled() and skips later writes, with no unhandled rejection', async () => {
    const seen: string[] = [];
    const writes = new OrderedWrites();
    writes.push(async () => void seen.push('a'));
    writes.push(async () => {
      throw new Error('client went away');
    });
    writes.push(async () => void seen.push('c'));
    // Let the queue run with nobody awaiting it: vitest fails the run on an unhandled rejection.
    await new Promise((r) => setTimeout(r, 5));
    expect(writes.failed).toBe(true);
    await expect(writes.settled()).rejects.toThrow('client went away');
    expect(seen).toEqual(['a']);
  });
});
