// The boot snapshot cache: a fresh home boots cold and caches; the same home restores; a corrupt
// snapshot falls back to a cold boot (and is replaced) instead of failing.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGuest } from '../../src/runner/guest.ts';
import { sh } from './harness.ts';

const home = mkdtempSync(join(tmpdir(), 'slipway-snapshot-test-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function bootMode(log?: (line: string) => void) {
  const guest = await startGuest({ home, log });
  try {
    expect((await sh(guest, 'echo alive')).stdout).toBe('alive\n');
    return guest.report.mode;
  } finally {
    await guest.stop();
  }
}

describe('boot snapshot cache', () => {
  it('boots cold in a fresh home, then restores', async () => {
    expect(await bootMode()).toBe('cold');
    expect(readdirSync(join(home, 'snapshots')).sort()).toEqual([expect.stringMatching(/\.hello\.json$/), expect.stringMatching(/\.state$/)]);
    expect(await bootMode()).toBe('snapshot');
  });

  it('falls back to a cold boot when the snapshot is corrupt, and replaces it', async () => {
    const state = readdirSync(join(home, 'snapshots')).find((f) => f.endsWith('.state'))!;
    writeFileSync(join(home, 'snapshots', state), new Uint8Array(4096).fill(0x5d));
    const logs: string[] = [];
    expect(await bootMode((l) => logs.push(l))).toBe('cold');
    expect(logs.some((l) => /^snapshot restore failed \(.+\); booting cold$/.test(l))).toBe(true);
    expect(await bootMode()).toBe('snapshot');
  });
});
