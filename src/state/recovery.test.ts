import { describe, expect, it } from 'vitest';
import { debugBootOptions } from './recovery.ts';

describe('debugBootOptions', () => {
  it.each([
    ['', {}],
    ['?watchdog=abc', {}],
    ['?watchdog=3000', { watchdog: { intervalMs: 1000, timeoutMs: 3000 } }],
    ['?x=1&watchdog=150', { watchdog: { intervalMs: 100, timeoutMs: 150 } }],
  ])('%s', (search, expected) => {
    expect(debugBootOptions(search)).toEqual(expected);
  });
});
