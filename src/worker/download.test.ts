import { describe, expect, it } from 'vitest';
import { readWithProgress } from './download.ts';

function body(chunks: number[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      const size = chunks.shift();
      if (size === undefined) return controller.close();
      controller.enqueue(Uint8Array.from({ length: size }, () => next++ & 0xff));
    },
  });
}

describe('readWithProgress', () => {
  it.each([
    ['known length', [3, 4, 1], 8, [[0, 8], [3, 8], [7, 8], [8, 8], [8, 8]]],
    ['unknown length', [2, 2], 0, [[0, 0], [2, 2], [4, 4], [4, 4]]],
    ['under-stated length (compressed transfer)', [4, 4], 5, [[0, 5], [4, 5], [8, 8], [8, 8]]],
    ['empty body', [], 0, [[0, 0], [0, 0]]],
  ] as const)('%s', async (_name, chunks, total, expected) => {
    const reports: [number, number][] = [];
    const bytes = await readWithProgress(body([...chunks]), { total, minIntervalMs: 0, now: () => 0, report: (l, t) => reports.push([l, t]) });
    expect(reports).toEqual(expected);
    const size = chunks.reduce((a, b) => a + b, 0);
    expect(Array.from(bytes)).toEqual(Array.from({ length: size }, (_, i) => i));
  });

  it('reports at most once per interval, and always at the end', async () => {
    let clock = 0;
    const reports: number[] = [];
    await readWithProgress(body([1, 1, 1, 1]), {
      total: 4,
      minIntervalMs: 100,
      now: () => (clock += 40),
      report: (l) => reports.push(l),
    });
    expect(reports).toEqual([0, 1, 4, 4]);
  });
});
