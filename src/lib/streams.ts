import type { ByteSource } from '../protocol/guest/port.ts';
import { concatBytes } from './bytes.ts';

/** Reads a source to its end and concatenates it. */
export async function readAll(source: ByteSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return concatBytes(parts);
}

/** Reads a source to its end as UTF-8 text. */
export async function readText(source: ByteSource): Promise<string> {
  return new TextDecoder().decode(await readAll(source));
}
