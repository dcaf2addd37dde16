// `docker version --format`: Go templates and json over docker/cli's versionInfo.
import { describe, expect, it } from 'vitest';
import type { CommandIO } from '../io.ts';
import { fakeApi, versionResponse } from '../testing/fake-api.ts';
import { run } from './version.ts';

const { api } = fakeApi({ version: async () => versionResponse('6.1.176', 'abc123', '1.8.1') });

async function version(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: async (t: string | Uint8Array) => void (stdout += String(t)) },
    stderr: { write: async (t: string | Uint8Array) => void (stderr += String(t)) },
    env: new Map<string, string>(),
    cwd: '/root',
  } as CommandIO;
  try {
    return { code: await run(args, io, api, { buildId: 'abc123' }), stdout, stderr };
  } catch (e) {
    return { code: (e as { exitCode?: number }).exitCode ?? -1, stdout, stderr: (e as Error).message };
  }
}

describe('docker version --format', () => {
  it('executes a template over the client and server versions', async () => {
    expect(await version('--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Client.Os}}/{{.Client.Arch}}')).toEqual({ code: 0, stdout: '0.1.0 1.50 linux/386\n', stderr: '' });
    expect((await version('-f', '{{range .Server.Components}}{{.Name}}={{.Version}} {{end}}')).stdout).toBe('Engine=0.1.0 crun=1.8.1 \n');
    expect((await version('--format={{.Server.KernelVersion}}')).stdout).toBe('6.1.176\n');
  });

  it('prints json with the API field names', async () => {
    const { stdout } = await version('--format', 'json');
    const parsed = JSON.parse(stdout);
    expect(parsed.Server.ApiVersion).toBe('1.50');
    expect(Object.keys(parsed.Server).slice(0, 4)).toEqual(['Platform', 'Components', 'Version', 'ApiVersion']);
    expect(parsed.Client.Context).toBe('default');
  });

  it('answers a bad template and a missing value as docker does', async () => {
    expect((await version('--format')).stderr).toBe("flag needs an argument: 'format' in --format\nSee 'docker version --help'.");
    expect((await version('--format', '{{.Nope')).stderr).toMatch(/^template parsing error: /);
  });
});

describe('docker version --help', () => {
  it('is Docker v28.2.2 page byte for byte', async () => {
    const { readFileSync } = await import('node:fs');
    const golden = readFileSync(new URL('../../../test/golden/help/version.txt', import.meta.url), 'utf8');
    expect((await version('--help')).stdout).toBe(golden);
  });
});
