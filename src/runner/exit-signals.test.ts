import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listenExitSignals } from './exit-signals.ts';

describe('listenExitSignals', () => {
  it('gives the first signal’s number and keeps hearing (ignoring) later ones until disposed', async () => {
    const target = new EventEmitter();
    const signals = listenExitSignals(target as unknown as NodeJS.Process);
    target.emit('SIGTERM');
    target.emit('SIGINT');
    expect(await signals.received).toBe(15);
    // Still listening: with no listener left, Node's default action would kill the checkpoint.
    expect(['SIGHUP', 'SIGINT', 'SIGTERM'].map((name) => target.listenerCount(name))).toEqual([1, 1, 1]);
    signals.dispose();
    expect(['SIGHUP', 'SIGINT', 'SIGTERM'].map((name) => target.listenerCount(name))).toEqual([0, 0, 0]);
  });

  it('numbers SIGHUP and SIGINT as Linux does', async () => {
    for (const [name, signo] of [['SIGHUP', 1], ['SIGINT', 2]] as const) {
      const target = new EventEmitter();
      const signals = listenExitSignals(target as unknown as NodeJS.Process);
      target.emit(name);
      expect(await signals.received).toBe(signo);
      signals.dispose();
    }
  });
});
