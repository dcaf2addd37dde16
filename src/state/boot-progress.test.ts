import { describe, expect, it } from 'vitest';
import type { BootEvent } from '../protocol/ui.ts';
import { applyBootEvent, formatBytes, initialBootProgress } from './boot-progress.ts';

const fold = (events: BootEvent[]) => events.reduce(applyBootEvent, initialBootProgress);

describe('applyBootEvent', () => {
  it('sums the downloads and follows the phases of a cold boot', () => {
    const progress = fold([
      { kind: 'plan', mode: 'cold' },
      { kind: 'download', asset: 'bzImage', loaded: 0, total: 100 },
      { kind: 'download', asset: 'initrd.cpio', loaded: 0, total: 0 },
      { kind: 'download', asset: 'bzImage', loaded: 40, total: 100 },
      { kind: 'download', asset: 'initrd.cpio', loaded: 30, total: 30 },
    ]);
    expect(progress).toEqual({
      mode: 'cold',
      phase: 'downloading',
      assets: [
        { asset: 'bzImage', loaded: 40, total: 100 },
        { asset: 'initrd.cpio', loaded: 30, total: 30 },
      ],
      loaded: 70,
      total: 130,
    });
    expect(applyBootEvent(progress, { kind: 'booting' }).phase).toBe('booting');
  });

  it('a late download report does not leave the booting phase', () => {
    const progress = fold([{ kind: 'booting' }, { kind: 'download', asset: 'bios.bin', loaded: 5, total: 5 }]);
    expect([progress.phase, progress.loaded, progress.total]).toEqual(['booting', 5, 5]);
  });

  it('knows a snapshot restore before any download', () => {
    expect(fold([{ kind: 'plan', mode: 'snapshot' }])).toEqual({ ...initialBootProgress, mode: 'snapshot' });
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0B'],
    [999, '999B'],
    [1000, '1.00kB'],
    [4_260_000, '4.26MB'],
    [45_678_901, '45.7MB'],
    [256_000_000, '256MB'],
    [2_147_483_648, '2.15GB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
