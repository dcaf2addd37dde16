import { HEADER_SIZE, MAGIC_0, MAGIC_1, MAX_PAYLOAD } from './constants.ts';

export interface Frame {
  type: number;
  chan: number;
  stream: number;
  payload: Uint8Array;
}

/** FNV-1a over the first 12 header bytes: cheap, and garbage passes it with odds of 1 in 2^32. */
export function headerCheck(bytes: Uint8Array, offset: number): number {
  let h = 0x811c9dc5;
  for (let i = offset; i < offset + 12; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function encodeFrame(type: number, stream: number, payload: Uint8Array = EMPTY, chan = 0): Uint8Array {
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`frame payload ${payload.length} > ${MAX_PAYLOAD}`);
  const out = new Uint8Array(HEADER_SIZE + payload.length);
  const view = new DataView(out.buffer);
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = type;
  out[3] = chan;
  view.setUint32(4, stream >>> 0, true);
  view.setUint32(8, payload.length, true);
  view.setUint32(12, headerCheck(out, 0), true);
  out.set(payload, HEADER_SIZE);
  return out;
}

const EMPTY = new Uint8Array(0);

/**
 * Turns a byte stream, cut anywhere, back into frames. A bad header costs one byte: the deframer
 * drops it and looks for the next valid header, so garbage never wedges the connection.
 */
export class Deframer {
  #buf = new Uint8Array(0);
  #skipped = 0;
  readonly #onFrame: (frame: Frame) => void;
  readonly #onGarbage: (bytesSkipped: number) => void;

  constructor(onFrame: (frame: Frame) => void, onGarbage: (bytesSkipped: number) => void = () => {}) {
    this.#onFrame = onFrame;
    this.#onGarbage = onGarbage;
  }

  push(chunk: Uint8Array): void {
    let buf: Uint8Array;
    if (this.#buf.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.#buf.length + chunk.length);
      buf.set(this.#buf);
      buf.set(chunk, this.#buf.length);
    }
    let pos = 0;
    while (buf.length - pos >= HEADER_SIZE) {
      if (!this.#validHeader(buf, pos)) {
        pos++;
        this.#skipped++;
        continue;
      }
      const len = readU32(buf, pos + 8);
      if (buf.length - pos < HEADER_SIZE + len) break;
      this.#flushSkipped();
      // Copy the payload: the caller may keep it, and `buf` may be the caller's reused chunk.
      const payload = buf.slice(pos + HEADER_SIZE, pos + HEADER_SIZE + len);
      const frame: Frame = { type: buf[pos + 2]!, chan: buf[pos + 3]!, stream: readU32(buf, pos + 4), payload };
      pos += HEADER_SIZE + len;
      this.#onFrame(frame);
    }
    // Keep only the unparsed tail; when it is a partial header, garbage is reported once resolved.
    this.#buf = pos === buf.length ? new Uint8Array(0) : buf.slice(pos);
  }

  #validHeader(buf: Uint8Array, pos: number): boolean {
    return (
      buf[pos] === MAGIC_0 &&
      buf[pos + 1] === MAGIC_1 &&
      readU32(buf, pos + 8) <= MAX_PAYLOAD &&
      readU32(buf, pos + 12) === headerCheck(buf, pos)
    );
  }

  #flushSkipped(): void {
    if (this.#skipped > 0) {
      this.#onGarbage(this.#skipped);
      this.#skipped = 0;
    }
  }

  /** Bytes waiting for the rest of their frame. */
  get pending(): number {
    return this.#buf.length;
  }
}

function readU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
