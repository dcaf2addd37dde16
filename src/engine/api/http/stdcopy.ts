// moby's stdcopy framing of a non-tty container's streams on one connection (attach, exec, logs):
// each frame is 1 byte of stream type, 3 zero bytes, a big-endian u32 length, then the payload.

export const StdStream = { stdin: 0, stdout: 1, stderr: 2, systemError: 3 } as const;
export type StdStreamType = (typeof StdStream)[keyof typeof StdStream];

const HEADER = 8;
const encoder = new TextEncoder();

/** One frame (stdWriter.Write). Writers skip empty data: a zero-length frame carries nothing. */
export function encodeStdFrame(stream: StdStreamType, data: Uint8Array | string): Uint8Array {
  const payload = typeof data === 'string' ? encoder.encode(data) : data;
  const out = new Uint8Array(HEADER + payload.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, payload.length, false);
  out.set(payload, HEADER);
  return out;
}

export interface StdFrame {
  readonly stream: StdStreamType;
  readonly data: Uint8Array;
}

/** A stream type byte stdcopy does not know (its "Unrecognized input header"). */
export class StdFrameError extends Error {
  override name = 'StdFrameError';
}

/** StdCopy's reader, incremental: push bytes cut anywhere, get whole frames back. */
export class StdFrameDecoder {
  #buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): StdFrame[] {
    let buf = chunk;
    if (this.#buffer.length > 0) {
      buf = new Uint8Array(this.#buffer.length + chunk.length);
      buf.set(this.#buffer);
      buf.set(chunk, this.#buffer.length);
    }
    const frames: StdFrame[] = [];
    let pos = 0;
    while (buf.length - pos >= HEADER) {
      const stream = buf[pos]!;
      if (stream > StdStream.systemError) throw new StdFrameError(`Unrecognized input header: ${stream}`);
      const size = new DataView(buf.buffer, buf.byteOffset + pos + 4, 4).getUint32(0, false);
      if (buf.length - pos < HEADER + size) break;
      // A copy: the caller may keep it, and `chunk` may be a buffer the source reuses.
      frames.push({ stream: stream as StdStreamType, data: buf.slice(pos + HEADER, pos + HEADER + size) });
      pos += HEADER + size;
    }
    this.#buffer = buf.slice(pos);
    return frames;
  }

  /** Bytes of an incomplete frame held back (StdCopy drops them silently at end of stream). */
  get pending(): number {
    return this.#buffer.length;
  }
}
