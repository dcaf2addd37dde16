import type { ByteSource } from '../protocol/guest/port.ts';

/** Reads a source to its end and concatenates it. */
export async function readAll(source: ByteSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    parts.push(chunk);
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads a source to its end as UTF-8 text. */
export async function readText(source: ByteSource): Promise<string> {
  return new TextDecoder().decode(await readAll(source));
}
