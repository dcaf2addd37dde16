import type { ByteSource, ExitStatus, GuestProcess } from '../protocol/guest/port.ts';
import { concatBytes } from './bytes.ts';

/** Bytes in memory as a source: one chunk, then the end. */
export function byteSource(bytes: Uint8Array): ByteSource {
  let done = false;
  return {
    async read() {
      if (done) return null;
      done = true;
      return bytes;
    },
    async *[Symbol.asyncIterator]() {
      yield bytes;
    },
  };
}

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

/** What a finished guest process printed, and how it ended. */
export interface ProcessOutput {
  stdout: Uint8Array;
  stderr: Uint8Array;
  status: ExitStatus;
  /** The shell's view of the status: the exit code, or 128 + the signal. */
  code: number;
}

/** Reads both outputs of a guest process to their end and waits for its exit (stdin untouched). */
export async function processOutput(proc: Pick<GuestProcess, 'stdout' | 'stderr' | 'exited'>): Promise<ProcessOutput> {
  const [stdout, stderr, status] = await Promise.all([readAll(proc.stdout), readAll(proc.stderr), proc.exited]);
  return { stdout, stderr, status, code: status.signal ? 128 + status.signal : status.code };
}
