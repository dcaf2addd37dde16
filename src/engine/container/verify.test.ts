import { describe, expect, it } from 'vitest';
import { verifyContainerSettings } from './verify.ts';

const ok = { Memory: 0, MemorySwap: 0, NanoCpus: 0 };
const tmpfs = (destination: string) => ({ ...ok, Tmpfs: { [destination]: '' } });

describe('verifyContainerSettings (moby)', () => {
  it.each([
    [{ WorkingDir: 'rel' }, ok, "the working directory 'rel' is invalid, it needs to be an absolute path"],
    [{ WorkingDir: '' }, { ...ok, Memory: 1024 }, 'Minimum memory limit allowed is 6MB'],
    [{ WorkingDir: '' }, { ...ok, Memory: 4 << 20 }, 'Minimum memory limit allowed is 6MB'],
    [{ WorkingDir: '' }, { ...ok, Memory: 64 << 20, MemorySwap: 32 << 20 }, 'Minimum memoryswap limit should be larger than memory limit, see usage'],
    [{ WorkingDir: '' }, { ...ok, NanoCpus: -1e9 }, 'Range of CPUs is from 0.01 to 1.00, as there are only 1 CPUs available'],
    [{ WorkingDir: '' }, { ...ok, NanoCpus: 999e9 }, 'Range of CPUs is from 0.01 to 1.00, as there are only 1 CPUs available'],
    [{ WorkingDir: '' }, tmpfs('rel'), "invalid mount path: 'rel' mount path must be absolute"],
    [{ WorkingDir: '' }, tmpfs('./run'), "invalid mount path: './run' mount path must be absolute"],
    [{ WorkingDir: '' }, tmpfs(''), "invalid mount path: '' mount path must be absolute"],
    [{ WorkingDir: '' }, tmpfs('/'), "invalid specification: destination can't be '/'"],
    [{ WorkingDir: '' }, tmpfs('/run/..'), "invalid specification: destination can't be '/'"],
  ])('%o %o → %s', (config, hc, message) => {
    expect(() => verifyContainerSettings(config, hc)).toThrow(message);
  });

  it('accepts what Docker accepts', () => {
    expect(() => verifyContainerSettings({ WorkingDir: '/app' }, { Memory: 6 << 20, MemorySwap: -1, NanoCpus: 0.5e9, Tmpfs: { '/run': 'size=64m', '/a/../b': '' } })).not.toThrow();
  });
});
