import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotKeyOf, V86_VERSION } from './snapshot-key.ts';

describe('snapshotKeyOf', () => {
  it('pins the installed v86', () => {
    const require = createRequire(import.meta.url);
    const installed = JSON.parse(readFileSync(join(dirname(require.resolve('v86')), '../package.json'), 'utf8')) as { version: string };
    expect(installed.version.split('+')[0]).toBe(V86_VERSION);
  });

  it('changes with the manifest and with the settings', async () => {
    const a = await snapshotKeyOf(new TextEncoder().encode('artifact x'), { memory: 1 });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await snapshotKeyOf(new TextEncoder().encode('artifact y'), { memory: 1 })).not.toBe(a);
    expect(await snapshotKeyOf(new TextEncoder().encode('artifact x'), { memory: 2 })).not.toBe(a);
    expect(await snapshotKeyOf(new TextEncoder().encode('artifact x'), { memory: 1 })).toBe(a);
  });
});
