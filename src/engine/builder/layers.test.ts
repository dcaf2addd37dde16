import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../lib/bytes.ts';
import { endTar, readTar, writeTarEntry } from '../../lib/tar.ts';
import type { TreeEntry } from '../../protocol/guest/port.ts';
import type { ImageRootfs } from '../container/launch.ts';
import { BuildContext } from './context.ts';
import { copyLayer, upperToLayer } from './layers.ts';

const text = (s: string) => new TextEncoder().encode(s);

function tar(entries: { name: string; flag?: string; data?: string; mode?: number; major?: number; minor?: number }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) writeTarEntry(parts, { name: e.name, flag: e.flag ?? '0', mode: e.mode ?? 0o644, uid: 0, gid: 0, mtime: 1, data: e.data === undefined ? undefined : text(e.data), major: e.major ?? 0, minor: e.minor ?? 0 });
  endTar(parts);
  return concatBytes(parts);
}

const listing = (layer: Uint8Array) => [...readTar(layer)].map((e) => `${e.type} ${e.path} ${(e.mode & 0o7777).toString(8)} ${e.uid}:${e.gid}${e.type === 'file' ? ` ${new TextDecoder().decode(e.data)}` : ''}`);

function rootfs(entries: Record<string, Partial<TreeEntry>>): ImageRootfs {
  return { lowerDir: '/x', lookup: (p) => (entries[p] ? ({ path: p.slice(1), type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0, ...entries[p] } as TreeEntry) : undefined) };
}

describe('copyLayer', () => {
  it('copies a file to a path, into a directory, and a directory\'s contents, with parents as the image has them', async () => {
    const ctx = await BuildContext.fromArchive(tar([{ name: 'app.py', data: 'print(1)' }, { name: 'src/', flag: '5', mode: 0o755 }, { name: 'src/a.txt', data: 'a' }]));
    const image = rootfs({ '/tmp': { mode: 0o1777 } });
    expect(listing(copyLayer({ instruction: 'COPY', sources: ['app.py'], dest: '/tmp/main.py', workdir: '/', from: ctx, rootfs: image }))).toEqual(['directory tmp/ 1777 0:0', 'file tmp/main.py 644 0:0 print(1)']);
    expect(listing(copyLayer({ instruction: 'COPY', sources: ['app.py'], dest: '.', workdir: '/app', from: ctx, rootfs: image }))).toEqual(['directory app/ 755 0:0', 'file app/app.py 644 0:0 print(1)']);
    expect(listing(copyLayer({ instruction: 'COPY', sources: ['src'], dest: '/code', workdir: '/', from: ctx, rootfs: image, chown: '1000', chmod: '600' }))).toEqual(['directory code/ 600 1000:1000', 'file code/a.txt 600 1000:1000 a']);
  });

  it('expands wildcards, and refuses several sources into a path without a trailing slash', async () => {
    const ctx = await BuildContext.fromArchive(tar([{ name: 'a.txt', data: 'a' }, { name: 'b.txt', data: 'b' }, { name: 'c.md', data: 'c' }]));
    expect(listing(copyLayer({ instruction: 'COPY', sources: ['*.txt'], dest: '/d/', workdir: '/', from: ctx, rootfs: null }))).toEqual(['directory d/ 755 0:0', 'file d/a.txt 644 0:0 a', 'file d/b.txt 644 0:0 b']);
    expect(() => copyLayer({ instruction: 'COPY', sources: ['*.txt'], dest: '/d', workdir: '/', from: ctx, rootfs: null })).toThrow('When using COPY with more than one source file, the destination must be a directory and end with a /');
    expect(() => copyLayer({ instruction: 'COPY', sources: ['missing'], dest: '/d', workdir: '/', from: ctx, rootfs: null })).toThrow('COPY failed: file not found in build context or excluded by .dockerignore: stat missing: file does not exist');
  });

  it('leaves out what .dockerignore excludes, and ADD unpacks a local tar', async () => {
    const inner = tar([{ name: 'x/y.txt', data: 'y' }]);
    const parts: Uint8Array[] = [];
    writeTarEntry(parts, { name: '.dockerignore', flag: '0', mode: 0o644, uid: 0, gid: 0, mtime: 1, data: text('*.log\n') });
    writeTarEntry(parts, { name: 'keep.txt', flag: '0', mode: 0o644, uid: 0, gid: 0, mtime: 1, data: text('k') });
    writeTarEntry(parts, { name: 'debug.log', flag: '0', mode: 0o644, uid: 0, gid: 0, mtime: 1, data: text('l') });
    writeTarEntry(parts, { name: 'files.tar', flag: '0', mode: 0o644, uid: 0, gid: 0, mtime: 1, data: inner });
    endTar(parts);
    const ctx = await BuildContext.fromArchive(concatBytes(parts));
    ctx.ignore('Dockerfile');
    expect(() => copyLayer({ instruction: 'COPY', sources: ['debug.log'], dest: '/', workdir: '/', from: ctx, rootfs: null })).toThrow('file not found in build context');
    expect(listing(copyLayer({ instruction: 'ADD', sources: ['files.tar'], dest: '/opt/', workdir: '/', from: ctx, rootfs: null }))).toEqual(['directory opt/ 755 0:0', 'directory opt/x/ 755 0:0', 'file opt/x/y.txt 644 0:0 y']);
  });
});

describe('upperToLayer', () => {
  it('turns overlayfs whiteouts into .wh. files and marks opaque directories, leaving out the runtime\'s files', () => {
    const upper = tar([
      { name: './', flag: '5', mode: 0o755 },
      { name: './etc/', flag: '5', mode: 0o755 },
      { name: './etc/hosts', data: '' },
      { name: './etc/motd', flag: '3', mode: 0, major: 0, minor: 0 },
      { name: './etc/apt/', flag: '5', mode: 0o755 },
      { name: './etc/apt/only', data: 'new' },
      { name: './dev/', flag: '5', mode: 0o755 },
    ]);
    expect(listing(upperToLayer(upper, ['etc/apt']))).toEqual(['directory etc/ 755 0:0', 'file etc/.wh.motd 0 0:0 ', 'directory etc/apt/ 755 0:0', 'file etc/apt/.wh..wh..opq 0 0:0 ', 'file etc/apt/only 644 0:0 new']);
  });
});
