import { describe, expect, it } from 'vitest';
import { readTar, normaliseTarPath, TarError } from './tar.ts';
import { makeTar, tarHeader } from '../engine/image/testing/layout-fixtures.ts';

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length += 1;
  return `${length}${body}`;
}

describe('readTar', () => {
  it('reads ustar files, directories and links with views of their data', () => {
    const entries = [...readTar(makeTar([
      { path: 'etc/', flag: '5', mode: 0o755 },
      { path: 'etc/debian_version', data: '12.11\n' },
      { path: 'bin/sh', flag: '2', linkname: 'dash' },
      { path: 'usr/bin/python3', flag: '1', linkname: 'usr/bin/python3.11' },
    ]))];
    expect(entries.map((e) => [e.path, e.type, e.size, e.linkname])).toEqual([
      ['etc/', 'directory', 0, ''],
      ['etc/debian_version', 'file', 6, ''],
      ['bin/sh', 'symlink', 0, 'dash'],
      ['usr/bin/python3', 'hardlink', 0, 'usr/bin/python3.11'],
    ]);
    expect(entries[0]!.mode).toBe(0o755);
    expect(new TextDecoder().decode(entries[1]!.data)).toBe('12.11\n');
  });

  it('applies pax path, linkpath and size records to the next entry only', () => {
    const long = `usr/lib/${'x'.repeat(150)}/module.py`;
    const target = `/${'y'.repeat(120)}`;
    const entries = [...readTar(makeTar([
      { path: 'PaxHeaders/1', flag: 'x', data: paxRecord('path', long) + paxRecord('linkpath', target) },
      { path: 'truncated', flag: '2', linkname: 'truncated' },
      { path: 'short', data: 'ok' },
    ]))];
    expect(entries.map((e) => [e.path, e.linkname])).toEqual([[long, target], ['short', '']]);
  });

  it('reads GNU long names and long link names', () => {
    const long = `a/${'b'.repeat(200)}`;
    const entries = [...readTar(makeTar([
      { path: '././@LongLink', flag: 'L', data: `${long}\0` },
      { path: '././@LongLink', flag: 'K', data: `${long}.target\0` },
      { path: 'cut', flag: '2', linkname: 'cut' },
    ]))];
    expect(entries.map((e) => [e.path, e.linkname])).toEqual([[long, `${long}.target`]]);
  });

  it('rejects a corrupted header and an entry that runs past the end', () => {
    const tar = makeTar([{ path: 'a', data: 'hello' }]);
    tar[0] = 0x62;
    expect(() => [...readTar(tar)]).toThrow(TarError);
    const header = tarHeader({ path: 'big' }, 4096);
    expect(() => [...readTar(header)]).toThrow(/runs past the end/);
  });

  it('normalises paths for comparison', () => {
    expect(normaliseTarPath('./usr/bin/')).toBe('usr/bin');
    expect(normaliseTarPath('etc/passwd')).toBe('etc/passwd');
  });
});
