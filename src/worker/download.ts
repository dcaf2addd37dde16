// Reads a response body while reporting its progress, so the page can show real bytes of the
// guest's kernel, initrd and firmware as they arrive.

export interface DownloadProgress {
  (loaded: number, total: number): void;
}

export interface ReadOptions {
  /** The Content-Length, or 0 when unknown. A compressed transfer may under-state it. */
  total: number;
  report: DownloadProgress;
  /** Progress is reported at most this often (and always at the end): one chunk is ~64 KiB. */
  minIntervalMs?: number;
  now?: () => number;
}

/** The whole body; `report` hears (loaded, total) with total ≥ loaded, ending with loaded = total. */
export async function readWithProgress(body: ReadableStream<Uint8Array>, options: ReadOptions): Promise<Uint8Array> {
  const now = options.now ?? (() => performance.now());
  const interval = options.minIntervalMs ?? 100;
  let buffer = new Uint8Array(options.total);
  let loaded = 0;
  let lastReport = -Infinity;
  const reader = body.getReader();
  options.report(0, options.total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > buffer.length) {
      const grown = new Uint8Array(Math.max(loaded + value.length, buffer.length * 2));
      grown.set(buffer.subarray(0, loaded));
      buffer = grown;
    }
    buffer.set(value, loaded);
    loaded += value.length;
    if (now() - lastReport >= interval) {
      lastReport = now();
      options.report(loaded, Math.max(options.total, loaded));
    }
  }
  options.report(loaded, loaded);
  return loaded === buffer.length ? buffer : buffer.slice(0, loaded);
}
