import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './time.ts';
import { EventBus } from '../engine/events.ts';

describe('--since/--until timestamps', () => {
  const now = Date.UTC(2026, 10, 22, 12, 0, 0);
  it.each([
    ['10m', now - 600_000],
    ['1h30m', now - 5_400_000],
    ['1763812800', 1763812800_000],
    ['2026-11-22T11:00:00Z', Date.UTC(2026, 10, 22, 11)],
    ['2026-11-22', Date.UTC(2026, 10, 22)],
  ])('%s', (text, ms) => expect(parseTimestamp(text, now)).toBe(ms));
  it('rejects garbage with Docker-like text', () => expect(() => parseTimestamp('soon', now)).toThrow('failed to parse value as time or duration'));
});

describe('event bus', () => {
  it('keeps history for --since and notifies subscribers', () => {
    let t = 1000;
    const bus = new EventBus(() => t);
    const seen: string[] = [];
    const sub = bus.subscribe((e) => seen.push(e.Action));
    bus.emit('container', 'create', 'abc', { name: 'x' });
    t = 2000;
    bus.emit('container', 'start', 'abc');
    sub.dispose();
    bus.emit('container', 'die', 'abc');
    expect(seen).toEqual(['create', 'start']);
    expect(bus.history(1500).map((e) => e.Action)).toEqual(['start', 'die']);
    expect(bus.history(0, 1500)[0]).toMatchObject({ Type: 'container', Action: 'create', Actor: { ID: 'abc', Attributes: { name: 'x' } }, time: 1, scope: 'local' });
  });
});

describe('verbs on several containers (docker/cli parallelOperation)', () => {
  it('acts on every argument at once and prints in argument order, errors last', async () => {
    const { forEachArgInParallel } = await import('./context.ts');
    let out = '';
    let err = '';
    let active = 0;
    let peak = 0;
    const io = { stdout: { write: async (t: string | Uint8Array) => void (out += String(t)) }, stderr: { write: async (t: string | Uint8Array) => void (err += String(t)) } };
    const args = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const code = await forEachArgInParallel({ io, args } as never, async (arg) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 20 - Number(arg.slice(1))));
      active--;
      if (arg === 'c3') throw new Error('No such container: c3');
      return arg;
    });
    expect(peak).toBe(20);
    expect(out).toBe(args.filter((a) => a !== 'c3').map((a) => `${a}\n`).join(''));
    expect(err).toBe('Error response from daemon: No such container: c3\n');
    expect(code).toBe(1);
  });
});
