import { describe, expect, it } from 'vitest';
import { HEADER_SIZE, MAX_PAYLOAD, Op } from './constants.ts';
import { Deframer, encodeFrame, headerCheck, type Frame } from './frame.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

function collect() {
  const frames: Frame[] = [];
  let garbage = 0;
  const d = new Deframer(
    (f) => frames.push(f),
    (n) => (garbage += n),
  );
  return { d, frames, garbage: () => garbage };
}

const sample = () =>
  concat([
    encodeFrame(Op.HELLO, 0, bytes(1, 0, 0, 0)),
    encodeFrame(Op.DATA, 0x80000001, bytes(10, 20, 30), 2),
    encodeFrame(Op.EOF, 7, undefined, 1),
    encodeFrame(Op.DATA, 9, new Uint8Array(300).fill(0xab), 1),
  ]);

describe('frame encoding', () => {
  it('lays out the header as PROTOCOL.md says', () => {
    const f = encodeFrame(Op.DATA, 0x01020304, bytes(0xaa, 0xbb), 2);
    expect(Array.from(f.subarray(0, 12))).toEqual([0x53, 0x57, 0x20, 2, 4, 3, 2, 1, 2, 0, 0, 0]);
    expect(new DataView(f.buffer).getUint32(12, true)).toBe(headerCheck(f, 0));
    expect(Array.from(f.subarray(HEADER_SIZE))).toEqual([0xaa, 0xbb]);
  });

  it('matches the FNV-1a reference value', () => {
    // FNV-1a of the empty string is the offset basis; of "a" it is 0xe40c292c.
    const a = new Uint8Array(12);
    a.set([0x61]);
    let h = 0x811c9dc5;
    for (const b of a) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    expect(headerCheck(a, 0)).toBe(h);
  });

  it('refuses payloads above MAX_PAYLOAD', () => {
    expect(() => encodeFrame(Op.DATA, 1, new Uint8Array(MAX_PAYLOAD + 1))).toThrow(RangeError);
  });
});

describe('Deframer', () => {
  it('yields the same frames for every split point of the input', () => {
    const input = sample();
    const whole = collect();
    whole.d.push(input);
    expect(whole.frames).toHaveLength(4);
    for (let cut = 0; cut <= input.length; cut++) {
      const c = collect();
      c.d.push(input.subarray(0, cut));
      c.d.push(input.subarray(cut));
      expect(c.frames).toEqual(whole.frames);
      expect(c.garbage()).toBe(0);
      expect(c.d.pending).toBe(0);
    }
  });

  it('survives byte-at-a-time delivery', () => {
    const input = sample();
    const c = collect();
    for (const b of input) c.d.push(bytes(b));
    expect(c.frames.map((f) => f.type)).toEqual([Op.HELLO, Op.DATA, Op.EOF, Op.DATA]);
    expect(c.frames[1]).toEqual({ type: Op.DATA, chan: 2, stream: 0x80000001, payload: bytes(10, 20, 30) });
  });

  it('resynchronises after garbage, at every split point', () => {
    const garbage = bytes(0x53, 0x57, 0xff, 0xff, 1, 2, 3, 0x53, 0, 0, 0xff, 0xff, 0xff, 0x7f, 9, 9, 9, 0x53);
    const good = encodeFrame(Op.PING, 0, bytes(5, 0, 0, 0));
    const input = concat([garbage, good, garbage, good]);
    for (let cut = 0; cut <= input.length; cut++) {
      const c = collect();
      c.d.push(input.subarray(0, cut));
      c.d.push(input.subarray(cut));
      expect(c.frames.map((f) => f.type)).toEqual([Op.PING, Op.PING]);
      expect(c.garbage()).toBe(2 * garbage.length);
    }
  });

  it('treats an oversized length as garbage instead of waiting for it', () => {
    const f = encodeFrame(Op.DATA, 1, bytes(1));
    const bad = f.slice(0, HEADER_SIZE);
    new DataView(bad.buffer).setUint32(8, MAX_PAYLOAD + 1, true);
    const c = collect();
    c.d.push(concat([bad, encodeFrame(Op.PING, 0, bytes(1, 0, 0, 0))]));
    expect(c.frames.map((x) => x.type)).toEqual([Op.PING]);
  });

  it('holds a partial frame until the rest arrives', () => {
    const f = encodeFrame(Op.DATA, 3, new Uint8Array(1000));
    const c = collect();
    c.d.push(f.subarray(0, 500));
    expect(c.frames).toHaveLength(0);
    expect(c.d.pending).toBe(500);
    c.d.push(f.subarray(500));
    expect(c.frames).toHaveLength(1);
    expect(c.frames[0]!.payload.length).toBe(1000);
  });
});
