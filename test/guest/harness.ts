// Boots a real guest for scenario tests (snapshot cache shared by all test files of a run).
import { join } from 'node:path';
import { readText } from '../../src/lib/streams.ts';
import { projectRoot } from '../../src/platform/node.ts';
import { loginShell, startGuest, type GuestOptions, type NodeGuest } from '../../src/runner/guest.ts';

export const testHome = process.env.SLIPWAY_TEST_HOME ?? join(projectRoot, '.slipway/test-host');

export function bootGuest(options: Omit<GuestOptions, 'home'> = {}): Promise<NodeGuest> {
  return startGuest({ home: testHome, ...options });
}

export interface ShellResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command in a bash login shell on the guest, as `npm run play -- CMD` does. */
export async function sh(guest: NodeGuest, command: string, stdin?: Uint8Array | string): Promise<ShellResult> {
  const proc = await guest.machine.port.spawn(loginShell(command));
  const feeding = stdin === undefined ? Promise.resolve() : proc.stdin.write(stdin);
  await feeding;
  proc.stdin.end();
  const [stdout, stderr, status] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited]);
  return { stdout, stderr, code: status.signal ? 128 + status.signal : status.code };
}

/** Reads a source until its text matches `pattern` (without waiting for the end). */
export async function readUntil(source: { read(): Promise<Uint8Array | null> }, pattern: RegExp, seen = { text: '' }): Promise<string> {
  const decoder = new TextDecoder();
  while (!pattern.test(seen.text)) {
    const chunk = await source.read();
    if (chunk === null) throw new Error(`stream ended before ${pattern}; got ${JSON.stringify(seen.text)}`);
    seen.text += decoder.decode(chunk, { stream: true });
  }
  return seen.text;
}
