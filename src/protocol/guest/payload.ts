// Little-endian payload primitives: u16/u32/i32, `str` (u32 length + UTF-8), `strs` (u32 count + str…).

// TextEncoder/TextDecoder exist in every runtime we target (browsers, workers, Node), but this
// folder compiles against the ES libs only, so reach them through globalThis with local types.
interface Utf8 {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
}
const encoder = new (globalThis as unknown as Utf8).TextEncoder();
const decoder = new (globalThis as unknown as Utf8).TextDecoder();

export class PayloadWriter {
  #parts: Uint8Array[] = [];
  #size = 0;

  #push(bytes: Uint8Array): this {
    this.#parts.push(bytes);
    this.#size += bytes.length;
    return this;
  }

  u8(v: number): this {
    return this.#push(Uint8Array.of(v & 0xff));
  }
  u16(v: number): this {
    return this.#push(Uint8Array.of(v & 0xff, (v >>> 8) & 0xff));
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return this.#push(b);
  }
  i32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v | 0, true);
    return this.#push(b);
  }
  bytes(b: Uint8Array): this {
    return this.#push(b);
  }
  str(s: string): this {
    const b = encoder.encode(s);
    return this.u32(b.length).#push(b);
  }
  strs(list: readonly string[]): this {
    this.u32(list.length);
    for (const s of list) this.str(s);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#size);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Thrown when a payload is shorter than its message needs or otherwise malformed. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}

export class PayloadReader {
  #view: DataView;
  #bytes: Uint8Array;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #need(n: number): number {
    if (this.#at + n > this.#bytes.length) {
      throw new PayloadError(`payload too short: need ${n} bytes at offset ${this.#at} of ${this.#bytes.length}`);
    }
    const at = this.#at;
    this.#at += n;
    return at;
  }

  /** Bytes not read yet: 0 once a payload has been consumed exactly. */
  get remaining(): number {
    return this.#bytes.length - this.#at;
  }

  u8(): number {
    return this.#view.getUint8(this.#need(1));
  }
  u16(): number {
    return this.#view.getUint16(this.#need(2), true);
  }
  u32(): number {
    return this.#view.getUint32(this.#need(4), true);
  }
  i32(): number {
    return this.#view.getInt32(this.#need(4), true);
  }
  bytes(n: number): Uint8Array {
    const at = this.#need(n);
    return this.#bytes.subarray(at, at + n);
  }
  str(): string {
    return decoder.decode(this.bytes(this.u32()));
  }
  strs(): string[] {
    const count = this.u32();
    // Each string needs at least its 4-byte length: refuse counts the payload cannot hold.
    if (count > (this.#bytes.length - this.#at) / 4) throw new PayloadError(`string list count ${count} too large`);
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.str());
    return out;
  }
}
