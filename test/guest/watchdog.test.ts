// A guest that stops answering (hung, crashed, frozen) fails pending work with a clear error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuestGoneError } from '../../src/protocol/guest/port.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { bootGuest, readUntil } from './harness.ts';

let guest: NodeGuest;
const deaths: string[] = [];
beforeAll(async () => {
  guest = await bootGuest({ watchdog: { intervalMs: 200, timeoutMs: 1500, onDead: (e) => deaths.push(e.message) } });
});
afterAll(() => guest?.stop());

describe('watchdog', () => {
  it('fails a running command with GuestGoneError when the guest freezes', async () => {
    const proc = await guest.machine.port.spawn({ argv: ['sh', '-c', 'echo started; sleep 60'] });
    await readUntil(proc.stdout, /started\n/);
    // Ticks keep answering while the guest runs.
    await new Promise((r) => setTimeout(r, 600));
    expect(deaths).toEqual([]);
    const started = performance.now();
    await guest.machine.pause();
    await expect(proc.exited).rejects.toBeInstanceOf(GuestGoneError);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(deaths).toEqual(['the guest stopped responding (no answer within 1.5 s)']);
    await expect(guest.machine.port.spawn({ argv: ['true'] })).rejects.toBeInstanceOf(GuestGoneError);
  });
});
