import { describe, expect, it } from 'vitest';
import { DEFAULT_DETACH_KEYS, DetachKeyFilter } from './detach-keys.ts';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('DetachKeyFilter', () => {
  it('passes keystrokes through and detaches on Ctrl-P Ctrl-Q, dropping the rest', () => {
    const f = new DetachKeyFilter(DEFAULT_DETACH_KEYS);
    expect(f.feed(bytes(0x6c, 0x73))).toEqual({ data: bytes(0x6c, 0x73), detached: false });
    expect(f.feed(bytes(0x61, 0x10, 0x11, 0x62))).toEqual({ data: bytes(0x61), detached: true });
  });

  it('holds a possible start across chunks and releases it when the sequence breaks', () => {
    const f = new DetachKeyFilter(DEFAULT_DETACH_KEYS);
    expect(f.feed(bytes(0x10))).toEqual({ data: bytes(), detached: false });
    expect(f.feed(bytes(0x78))).toEqual({ data: bytes(0x10, 0x78), detached: false });
    expect(f.feed(bytes(0x10, 0x10))).toEqual({ data: bytes(0x10), detached: false });
    expect(f.feed(bytes(0x11))).toEqual({ data: bytes(), detached: true });
  });

  it('passes everything when there are no keys (no tty)', () => {
    expect(new DetachKeyFilter(bytes()).feed(bytes(0x10, 0x11))).toEqual({ data: bytes(0x10, 0x11), detached: false });
  });
});
