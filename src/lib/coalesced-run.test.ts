import { describe, expect, it } from 'vitest';
import { CoalescedRun } from './coalesced-run.ts';

/** A task whose runs the test finishes by hand; `started` counts runs, `inFlight` the overlap. */
function manualTask() {
  const finishers: ((error?: Error) => void)[] = [];
  const state = { started: 0, inFlight: 0, maxInFlight: 0 };
  const task = () =>
    new Promise<void>((resolve, reject) => {
      state.started++;
      state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
      finishers.push((error) => {
        state.inFlight--;
        if (error) reject(error);
        else resolve();
      });
    });
  /** Finishes the oldest unfinished run, then lets the next one start. */
  const finish = async (error?: Error) => {
    finishers.shift()!(error);
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { task, state, finish };
}

describe('CoalescedRun', () => {
  it('runs once for a caller alone', async () => {
    const { task, state, finish } = manualTask();
    const run = new CoalescedRun(task);
    const done = run.run();
    await Promise.resolve();
    expect(state.started).toBe(1);
    expect(run.busy).toBe(true);
    await finish();
    await done;
    expect(run.busy).toBe(false);
  });

  it('folds a burst into the running run and one queued run, which starts after the first', async () => {
    const { task, state, finish } = manualTask();
    const run = new CoalescedRun(task);
    const settled: number[] = [];
    const first = run.run().then(() => settled.push(0));
    await Promise.resolve();
    const burst = Array.from({ length: 20 }, (_, i) => run.run().then(() => settled.push(i + 1)));
    await finish();
    await first;
    // Callers of the burst asked while run 1 was in flight: run 1 may have missed their change.
    expect(settled).toEqual([0]);
    expect(state.started).toBe(2);
    await finish();
    await Promise.all(burst);
    expect(settled).toHaveLength(21);
    expect(state).toEqual({ started: 2, inFlight: 0, maxInFlight: 1 });
  });

  it('a caller after the queued run started waits for a third run', async () => {
    const { task, state, finish } = manualTask();
    const run = new CoalescedRun(task);
    void run.run();
    await Promise.resolve();
    const second = run.run();
    await finish();
    const third = run.run();
    expect(state.started).toBe(2);
    await finish();
    await second;
    expect(state.started).toBe(3);
    await finish();
    await third;
    expect(state.maxInFlight).toBe(1);
  });

  it('a failed run fails its callers only; the queued run still runs', async () => {
    const { task, state, finish } = manualTask();
    const run = new CoalescedRun(task);
    const first = run.run();
    await Promise.resolve();
    const second = run.run();
    await finish(new Error('quota'));
    await expect(first).rejects.toThrow('quota');
    expect(state.started).toBe(2);
    await finish();
    await expect(second).resolves.toBeUndefined();
  });

  it('never starts two runs when asked between one settling and the queued one starting', async () => {
    const { task, state, finish } = manualTask();
    const run = new CoalescedRun(task);
    const first = run.run();
    await Promise.resolve();
    const queued = run.run();
    // Ask on every microtask turn while the first run settles.
    const asks: Promise<void>[] = [];
    const finishing = finish();
    for (let i = 0; i < 5; i++) {
      asks.push(run.run());
      await Promise.resolve();
    }
    await finishing;
    await first;
    expect(state.inFlight).toBe(1);
    expect(state.maxInFlight).toBe(1);
    while (state.inFlight) await finish();
    await Promise.all([queued, ...asks]);
    expect(state.maxInFlight).toBe(1);
  });
});
