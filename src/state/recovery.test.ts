import { describe, expect, it } from 'vitest';
import { debugBootOptions, debugHeartbeat } from './recovery.ts';

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

describe('debugHeartbeat', () => {
  it.each([
    ['', null],
    ['?watchdog=3000', null],
    ['?heartbeat=3000', { intervalMs: 1000, timeoutMs: 3000 }],
  ])('%s', (search, expected) => {
    expect(debugHeartbeat(search)).toEqual(expected);
  });
});
