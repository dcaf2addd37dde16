// A build context as the daemon receives it (POST /build's body): a tar, maybe gzipped, read
// into memory once. COPY and ADD see it through .dockerignore; the Dockerfile is read from it
// whatever .dockerignore says (Docker sends it separately).
import { gunzip } from '../../lib/bytes.ts';
import { readTar, normaliseTarPath } from '../../lib/tar.ts';
import { readIgnoreFile } from '../../lib/dockerignore/ignorefile.ts';
import { IgnorePatternError } from '../../lib/dockerignore/matcher.ts';
import { selectContext, type ContextSelection } from '../../lib/dockerignore/context.ts';
import { BuildError } from './instructions.ts';

export interface ContextEntry {
  /** Relative to the context root, no `./`, no trailing slash. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  data: Uint8Array;
  linkname: string;
}

export class BuildContext {
  /** Every entry, parents before children. */
  readonly #all = new Map<string, ContextEntry>();
  #visible: ContextSelection | null = null;

  private constructor(entries: Iterable<ContextEntry>) {
    for (const e of entries) {
      for (const dir of ancestors(e.path)) if (!this.#all.has(dir)) this.#all.set(dir, implicitDir(dir, e.mtime));
      this.#all.set(e.path, e);
    }
  }

  /** An uncompressed or gzipped tar; Docker's error for what it cannot read. */
  static async fromArchive(bytes: Uint8Array, decompress?: Decompress): Promise<BuildContext> {
    let tar: Uint8Array;
    try {
      tar = await decompressArchive(bytes, decompress);
    } catch (e) {
      throw new BuildError(`Error processing tar file(${(e as Error).message})`);
    }
    const entries: ContextEntry[] = [];
    try {
      for (const e of tar.length ? readTar(tar) : []) {
        const path = normaliseTarPath(e.path);
        if (!path || path.split('/').includes('..')) continue;
        const type = e.type === 'directory' ? 'dir' : e.type === 'symlink' ? 'symlink' : e.type === 'file' ? 'file' : null;
        if (!type) continue;
        entries.push({ path, type, mode: e.mode & 0o7777, uid: e.uid, gid: e.gid, mtime: e.mtime, data: e.data, linkname: e.linkname });
      }
    } catch (e) {
      throw new BuildError(`Error processing tar file(${(e as Error).message})`);
    }
    return new BuildContext(entries);
  }

  /** A context of one file (`docker build - < Dockerfile`). */
  static ofDockerfile(text: Uint8Array): BuildContext {
    return BuildContext.ofFiles({ Dockerfile: text });
  }

  /** A context of regular files (0644, root's): a Dockerfile alone, COPY's heredocs. */
  static ofFiles(files: Record<string, Uint8Array>): BuildContext {
    return new BuildContext(Object.entries(files).map(([path, data]) => ({ path, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, mtime: 0, data, linkname: '' })));
  }

  /** A file's bytes whatever .dockerignore says (the Dockerfile, .dockerignore). */
  read(path: string): Uint8Array | null {
    const e = this.#all.get(normaliseTarPath(path.replace(/^\/+/, '')));
    return e?.type === 'file' ? e.data : null;
  }

  /** Applies .dockerignore (read from the context) to what COPY and ADD see. */
  ignore(dockerfilePath: string): void {
    const text = this.read(`${dockerfilePath}.dockerignore`) ?? this.read('.dockerignore');
    const files = [...this.#all.values()].filter((e) => e.type !== 'dir').map((e) => e.path);
    try {
      this.#visible = selectContext(files, readIgnoreFile(text ? new TextDecoder().decode(text) : ''));
    } catch (e) {
      if (e instanceof IgnorePatternError) throw new BuildError(e.message);
      throw e;
    }
  }

  /** The entry at `path` as COPY sees it ('' or '.' is the root directory). */
  get(path: string): ContextEntry | undefined {
    const clean = cleanRelative(path);
    if (clean === '') return implicitDir('', 0);
    if (this.#visible && !this.#visible.has(clean)) return undefined;
    return this.#all.get(clean);
  }

  /** The entries under directory `dir` (recursively), as COPY sees them, parents first. */
  under(dir: string): ContextEntry[] {
    const prefix = cleanRelative(dir);
    const out: ContextEntry[] = [];
    for (const e of this.#all.values()) {
      if (prefix && !e.path.startsWith(`${prefix}/`)) continue;
      if (this.#visible && !this.#visible.has(e.path)) continue;
      out.push(e);
    }
    return out;
  }

  /** Paths matching a COPY source with wildcards (Go's filepath.Match per path), sorted. */
  glob(pattern: string): string[] {
    const clean = cleanRelative(pattern);
    if (!/[*?[\\]/.test(clean)) return this.get(clean) ? [clean] : [];
    const re = globRegex(clean);
    return [...this.#all.keys()].filter((p) => re.test(p) && this.get(p)).sort();
  }
}

/** Decompresses bzip2 or xz (the guest's busybox does it: no decoder of either here). */
export type Decompress = (bytes: Uint8Array, format: 'bzip2' | 'xz') => Promise<Uint8Array>;

/** An archive as moby's DetectCompression reads it: gzip, bzip2 or xz, else taken as a plain tar. */
export async function decompressArchive(bytes: Uint8Array, decompress?: Decompress): Promise<Uint8Array> {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return gunzip(bytes);
  const format = bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68 ? 'bzip2' : bytes[0] === 0xfd && bytes[1] === 0x37 && bytes[2] === 0x7a ? 'xz' : null;
  if (!format) return bytes;
  if (!decompress) throw new Error(`${format} archives need the guest to decompress them`);
  return decompress(bytes, format);
}

/** `a/./b/../c/` → `a/c`: a slash-separated path, relative, without `.`, `..` or empty parts. */
export function cleanRelative(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** `a/b/c` → `a`, `a/b`. */
export function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

function implicitDir(path: string, mtime: number): ContextEntry {
  return { path, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime, data: new Uint8Array(0), linkname: '' };
}

/** Go's filepath.Match as a regex over a whole slash-separated path. */
function globRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i]!);
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new BuildError('syntax error in pattern');
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += escapeRegex(ch);
  }
  return new RegExp(`^${out}$`);
}

function escapeRegex(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
