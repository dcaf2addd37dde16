// The detach keys of an attached session (Ctrl-P Ctrl-Q unless --detach-keys says otherwise):
// watched in what a tty client types, as moby's attach and exec do on the daemon side.
import type { ByteSink } from '../../protocol/guest/port.ts';

/**
 * Watches a tty session's keystrokes for the detach sequence: bytes that may start it are held
 * back until the next byte shows whether they do. No keys: everything passes.
 */
export class DetachKeyFilter {
  readonly #keys: Uint8Array;
  #matched = 0;

  constructor(keys: Uint8Array) {
    this.#keys = keys;
  }

  /** What to pass on from `chunk`, and whether the sequence is complete (the rest is dropped). */
  feed(chunk: Uint8Array): { data: Uint8Array; detached: boolean } {
    const keys = this.#keys;
    if (keys.length === 0) return { data: chunk, detached: false };
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === keys[this.#matched]) {
        this.#matched++;
        if (this.#matched === keys.length) return { data: new Uint8Array(out), detached: true };
        continue;
      }
      if (this.#matched) out.push(...keys.subarray(0, this.#matched));
      this.#matched = 0;
      if (byte === keys[0]) this.#matched = 1;
      else out.push(byte);
    }
    return { data: new Uint8Array(out), detached: false };
  }
}

/**
 * The stdin a client writes to an attached process: bytes reach `target` once it exists; on a tty
 * the detach keys are watched and call `detach` (what preceded them is still delivered).
 */
export function detachingSink(options: { keys: Uint8Array; tty: boolean; target: () => Promise<ByteSink>; detach: () => void; end: () => void }): ByteSink {
  const filter = new DetachKeyFilter(options.tty ? options.keys : new Uint8Array(0));
  return {
    async write(bytes) {
      const sink = await options.target();
      const { data, detached } = filter.feed(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
      if (data.length) await sink.write(data).catch(() => undefined);
      if (detached) options.detach();
    },
    end: options.end,
  };
}

export const DEFAULT_DETACH_KEYS = new Uint8Array([0x10, 0x11]);
