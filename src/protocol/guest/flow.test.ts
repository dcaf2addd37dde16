import { describe, expect, it } from 'vitest';
import { CREDIT_BATCH, INITIAL_WINDOW } from './constants.ts';
import { ReceiveWindow, SendWindow } from './flow.ts';

describe('SendWindow', () => {
  it('never hands out more than granted', () => {
    const w = new SendWindow(100);
    expect(w.take(60)).toBe(60);
    expect(w.take(60)).toBe(40);
    expect(w.take(1)).toBe(0);
    w.grant(10);
    expect(w.take(60)).toBe(10);
  });
  it('starts with the initial window', () => {
    expect(new SendWindow().available).toBe(INITIAL_WINDOW);
  });
});

describe('ReceiveWindow', () => {
  it('batches credit until a quarter window is consumed', () => {
    const w = new ReceiveWindow();
    expect(w.received(CREDIT_BATCH)).toBe(true);
    expect(w.consumed(CREDIT_BATCH - 1)).toBe(0);
    expect(w.consumed(1)).toBe(CREDIT_BATCH);
  });
  it('flushes batched credit when idle', () => {
    const w = new ReceiveWindow();
    w.received(10);
    expect(w.consumed(10)).toBe(0);
    expect(w.flush()).toBe(10);
    expect(w.flush()).toBe(0);
  });
  it('detects a sender overrunning the window', () => {
    const w = new ReceiveWindow(100);
    expect(w.received(100)).toBe(true);
    expect(w.received(1)).toBe(false);
  });
  it('keeps sender and receiver in step over a long transfer', () => {
    const send = new SendWindow();
    const recv = new ReceiveWindow();
    let inFlight = 0;
    for (let i = 0; i < 10_000; i++) {
      const n = send.take(4096);
      expect(recv.received(n)).toBe(true);
      inFlight += n;
      const credit = recv.consumed(inFlight, i % 7 === 0);
      inFlight = 0;
      send.grant(credit);
      expect(send.available).toBeGreaterThanOrEqual(0);
    }
  });
});
