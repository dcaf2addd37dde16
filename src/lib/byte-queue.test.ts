import { describe, expect, it } from 'vitest';
import { ByteQueue } from './byte-queue.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('ByteQueue', () => {
  it('hands chunks to a reader waiting before or after they arrive, then null', async () => {
    const queue = new ByteQueue();
    const waiting = queue.read();
    queue.push(bytes(1));
    queue.push(bytes(2, 3));
    expect(await waiting).toEqual(bytes(1));
    queue.end();
    const rest: number[] = [];
    for await (const chunk of queue) rest.push(...chunk);
    expect(rest).toEqual([2, 3]);
    expect(await queue.read()).toBeNull();
  });

  it('reports what is still queued after each read, and an error after the queued chunks', async () => {
    const left: number[] = [];
    const queue = new ByteQueue((n) => left.push(n));
    queue.push(bytes(1, 2));
    queue.push(bytes(3));
    expect(queue.queuedBytes).toBe(3);
    queue.end(new Error('reset'));
    queue.push(bytes(4));
    await queue.read();
    await queue.read();
    await expect(queue.read()).rejects.toThrow('reset');
    expect(left).toEqual([1, 0]);
  });
});
