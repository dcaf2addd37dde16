// The committed offline catalogue (public/catalogue/, built by kernel-images/images/build.sh):
// the layout validates, catalogue.json and MANIFEST agree with the blobs, and each image, unpacked
// here in Node with its whiteouts applied, holds what the seed tutorials run.

import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { REF_NAME_ANNOTATION, type Digest, type ImageConfig, type ImageIndex, type ImageManifest } from './oci.ts';
import { normaliseTarPath, readTar, type TarEntry } from '../../lib/tar.ts';
import { formatProblems, validateLayout, type LayoutSource } from './validate.ts';

const CATALOGUE_DIR = join(import.meta.dirname, '../../../public/catalogue');

interface CatalogueImage {
  repository: string;
  tags: string[];
  manifestDigest: Digest;
  configDigest: Digest;
  compressedSize: number;
  uncompressedSize: number;
  layers: { digest: Digest; size: number; uncompressedSize: number }[];
  inputs: { kind: string; name: string; version: string }[];
}

// postgres links ICU (10 MB gzipped) and OpenSSL, and Debian's wrappers (psql in /usr/bin, the
// pg_ctlcluster family) are Perl; the LLVM JIT is left out (30 MB gzipped with its Z3 solver).
const POSTGRES_BUDGET = 46_200_000;

// Compressed bytes each image may add over its base (issue 3), in 10^6-byte MB. nginx and redis
// miss the 3 MB and 4 MB: both link libssl3 (2.2 MB), and Debian's nginx depends on
// iproute2 (2.6 MB with its libraries). These ceilings stop further growth.
const ADDED_BYTES_BUDGET: Record<string, number> = {
  'hello-world': 20_000,
  busybox: 1_200_000,
  debian: 30_000_000,
  python: 20_000_000,
  nginx: 5_800_000,
  redis: 4_100_000,
  postgres: POSTGRES_BUDGET,
};

/** Images built as one layer over the debian base layer. */
const DERIVED = ['python', 'nginx', 'redis', 'postgres'];

/** The PATH of the official images built on Debian (and of busybox and hello-world). */
const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const directorySource: LayoutSource = {
  readFile: async (name) => new Uint8Array(await readFile(join(CATALOGUE_DIR, name))),
  readBlob: async (digest) => new Uint8Array(await readFile(join(CATALOGUE_DIR, 'blobs', 'sha256', digest.slice(7)))),
  listBlobs: async () =>
    (await readdir(join(CATALOGUE_DIR, 'blobs', 'sha256'))).map((name): Digest => `sha256:${name}`),
};

async function readJson<T>(...path: string[]): Promise<T> {
  return JSON.parse(await readFile(join(CATALOGUE_DIR, ...path), 'utf8')) as T;
}

const layerTars = new Map<Digest, Uint8Array>();

async function layerTar(digest: Digest): Promise<Uint8Array> {
  let tar = layerTars.get(digest);
  if (!tar) {
    tar = gunzipSync(await directorySource.readBlob(digest));
    layerTars.set(digest, tar);
  }
  return tar;
}

type Tree = Map<string, TarEntry>;

/** Applies layers in order, as overlayfs would: `.wh.NAME` deletes, `.wh..wh..opq` empties a dir. */
async function unpack(manifest: ImageManifest): Promise<Tree> {
  const tree: Tree = new Map();
  for (const layer of manifest.layers) {
    const added = new Set<string>();
    for (const entry of readTar(await layerTar(layer.digest))) {
      const path = normaliseTarPath(entry.path);
      const slash = path.lastIndexOf('/');
      const dir = slash === -1 ? '' : path.slice(0, slash);
      const name = path.slice(slash + 1);
      if (name === '.wh..wh..opq') {
        for (const key of [...tree.keys()]) if (key.startsWith(`${dir}/`) && !added.has(key)) tree.delete(key);
      } else if (name.startsWith('.wh.')) {
        const target = (dir ? `${dir}/` : '') + name.slice(4);
        for (const key of [...tree.keys()]) if (key === target || key.startsWith(`${target}/`)) tree.delete(key);
      } else {
        tree.set(path, entry);
        added.add(path);
      }
    }
  }
  return tree;
}

/** Follows symlinks in every component, as the kernel would inside the container. */
function lookup(tree: Tree, path: string, depth = 0): TarEntry | undefined {
  if (depth > 20) return undefined;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  let resolved: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = [...resolved, part].join('/');
    const entry = tree.get(candidate);
    if (!entry) return undefined;
    if (entry.type === 'symlink') {
      const base = entry.linkname.startsWith('/') ? [] : resolved;
      const rest = parts.slice(i + 1);
      return lookup(tree, [...base, entry.linkname, ...rest].join('/'), depth + 1);
    }
    if (entry.type === 'hardlink') {
      const target = tree.get(normaliseTarPath(entry.linkname));
      if (i === parts.length - 1) return target;
    }
    resolved = [...resolved, part];
    if (i === parts.length - 1) return entry;
  }
  return undefined;
}

function text(entry: TarEntry | undefined): string {
  return new TextDecoder().decode(entry?.data);
}

/** An i386 ELF: magic, 32-bit class, little-endian, e_machine 3. */
function isI386Elf(entry: TarEntry | undefined): boolean {
  const d = entry?.data;
  return !!d && d[0] === 0x7f && d[1] === 0x45 && d[2] === 0x4c && d[3] === 0x46 && d[4] === 1 && d[5] === 1 && d[18] === 3;
}

describe('offline image catalogue', () => {
  let catalogue: { images: CatalogueImage[] };
  let index: ImageIndex;
  const images = new Map<string, { entry: CatalogueImage; manifest: ImageManifest; config: ImageConfig; tree: Tree }>();

  beforeAll(async () => {
    catalogue = await readJson('catalogue.json');
    index = await readJson('index.json');
    for (const entry of catalogue.images) {
      const manifest = await readJson<ImageManifest>('blobs', 'sha256', entry.manifestDigest.slice(7));
      const config = await readJson<ImageConfig>('blobs', 'sha256', entry.configDigest.slice(7));
      images.set(entry.repository, { entry, manifest, config, tree: await unpack(manifest) });
    }
  });

  function image(repository: string) {
    const found = images.get(repository);
    if (!found) throw new Error(`${repository} is not in catalogue.json`);
    return found;
  }

  it('is a valid OCI image layout with nothing unreferenced', async () => {
    const report = await validateLayout(directorySource);
    expect(formatProblems(report.problems)).toBe('');
    expect(report.images).toHaveLength(catalogue.images.length);
  });

  it('names every image in index.json and catalogue.json alike', () => {
    expect([...images.keys()].sort()).toEqual(['busybox', 'debian', 'hello-world', 'nginx', 'postgres', 'python', 'redis']);
    for (const { entry, manifest } of images.values()) {
      const described = index.manifests.find((m) => m.digest === entry.manifestDigest);
      expect(described?.annotations?.[REF_NAME_ANNOTATION]).toBe(`docker.io/library/${entry.repository}:${entry.tags[0]}`);
      expect(described?.platform).toEqual({ architecture: '386', os: 'linux' });
      expect(manifest.config.digest).toBe(entry.configDigest);
      expect(entry.layers.map((l) => l.digest)).toEqual(manifest.layers.map((l) => l.digest));
      expect(entry.compressedSize).toBe(manifest.config.size + manifest.layers.reduce((n, l) => n + l.size, 0));
      expect(entry.uncompressedSize).toBe(entry.layers.reduce((n, l) => n + l.uncompressedSize, 0));
      for (const layer of entry.layers) expect(layerTars.get(layer.digest)?.length).toBe(layer.uncompressedSize);
    }
  });

  it('lists every blob in MANIFEST with its sha256 and size, and each image’s Debian inputs', async () => {
    const manifestText = await readFile(join(CATALOGUE_DIR, 'MANIFEST'), 'utf8');
    const records = manifestText.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(records).toEqual([...records].sort());
    const blobs = await readdir(join(CATALOGUE_DIR, 'blobs', 'sha256'));
    for (const name of blobs) {
      const size = (await directorySource.readBlob(`sha256:${name}`)).length;
      expect(records).toContainEqual(expect.stringMatching(new RegExp(`^blob blobs/sha256/${name} sha256=${name} size=${size} `)));
    }
    expect(records.filter((r) => r.startsWith('blob '))).toHaveLength(blobs.length);
    expect(records).toContainEqual(expect.stringMatching(/^input debian-source python3\.11 3\.11\.\S+ python:3\.11-slim$/));
  });

  it('builds every image for linux/386 with a history entry per layer', () => {
    for (const { config, manifest } of images.values()) {
      expect([config.architecture, config.os]).toEqual(['386', 'linux']);
      expect(config.history?.filter((h) => !h.empty_layer)).toHaveLength(manifest.layers.length);
      for (const h of config.history ?? []) expect(h.created_by).toBeTruthy();
    }
  });

  it('shares the debian base layer by digest and stays within the size budgets', () => {
    const base = image('debian').manifest.layers[0]!;
    for (const name of DERIVED) {
      const { manifest, config } = image(name);
      expect(manifest.layers[0]).toEqual(base);
      expect(config.config?.Labels?.['org.opencontainers.image.base.digest']).toBe(image('debian').entry.manifestDigest);
    }
    for (const [name, budget] of Object.entries(ADDED_BYTES_BUDGET)) {
      const layers = image(name).manifest.layers;
      const added = DERIVED.includes(name) ? layers.slice(1) : layers;
      expect(added.reduce((n, l) => n + l.size, 0), `${name} adds`).toBeLessThanOrEqual(budget);
    }
  });

  it('hello-world: /hello is a static i386 program, the CMD', () => {
    const { config, tree } = image('hello-world');
    expect(config.config).toMatchObject({ Cmd: ['/hello'], Env: [DEFAULT_PATH] });
    expect(config.config?.Entrypoint).toBeUndefined();
    expect(isI386Elf(lookup(tree, '/hello'))).toBe(true);
    expect(text(lookup(tree, '/hello'))).toContain('Hello from Slipway!');
  });

  it('busybox: /bin/sh is busybox, CMD sh', () => {
    const { config, tree } = image('busybox');
    expect(config.config).toMatchObject({ Cmd: ['sh'], Env: [DEFAULT_PATH] });
    expect(config.config?.Entrypoint).toBeUndefined();
    expect(isI386Elf(lookup(tree, '/bin/sh'))).toBe(true);
    expect(lookup(tree, '/bin/sh')).toBe(lookup(tree, '/bin/busybox'));
    expect(lookup(tree, '/usr/bin/wget')).toBeDefined();
    expect(lookup(tree, '/bin/bash')).toBeUndefined();
    expect(text(lookup(tree, '/etc/passwd'))).toMatch(/^root:x:0:0:/);
  });

  it('debian: Debian 12, bash as CMD, slimmed', () => {
    const { config, tree, entry } = image('debian');
    expect(entry.tags).toEqual(expect.arrayContaining(['bookworm-slim', 'bookworm', '12', '12-slim', 'latest']));
    expect(config.config).toMatchObject({ Cmd: ['bash'], Env: [DEFAULT_PATH] });
    expect(config.config?.Entrypoint).toBeUndefined();
    expect(text(lookup(tree, '/etc/debian_version'))).toMatch(/^12\.\d+\n$/);
    expect(isI386Elf(lookup(tree, '/bin/bash'))).toBe(true);
    expect(isI386Elf(lookup(tree, '/bin/sh'))).toBe(true);
    expect([...tree.keys()].filter((p) => p.startsWith('usr/share/man/') || p.startsWith('var/lib/apt/lists/'))).toEqual([]);
    expect([...tree.keys()].filter((p) => p.startsWith('usr/share/doc/') && tree.get(p)?.type === 'file' && !p.endsWith('/copyright'))).toEqual([]);
    expect(lookup(tree, '/usr/lib/locale/C.utf8/LC_CTYPE')).toBeDefined();
    expect(entry.inputs).toContainEqual(expect.objectContaining({ kind: 'debian-source', name: 'bash' }));
  });

  it('python: python3/python/pip, the stdlib with bytecode, Docker’s env', () => {
    const { config, tree } = image('python');
    expect(config.config?.Cmd).toEqual(['python3']);
    expect(config.config?.Env).toEqual(expect.arrayContaining(['LANG=C.UTF-8', expect.stringMatching(/^PYTHON_VERSION=3\.11\.\d+$/), expect.stringMatching(/^PATH=\/usr\/local\/bin:/)]));
    const python = lookup(tree, '/usr/local/bin/python3') ?? lookup(tree, '/usr/bin/python3');
    expect(isI386Elf(python)).toBe(true);
    expect(lookup(tree, '/usr/bin/python')).toBe(python);
    expect(text(python)).toContain('3.11');
    expect(lookup(tree, '/usr/bin/pip')).toBeDefined();
    expect(lookup(tree, '/usr/lib/python3/dist-packages/pip/__init__.py')).toBeDefined();
    for (const module of ['os.py', 'encodings/__init__.py', 'json/__init__.py', 'lib-dynload/_ssl.cpython-311-i386-linux-gnu.so']) {
      expect(lookup(tree, `/usr/lib/python3.11/${module}`), module).toBeDefined();
    }
    expect(lookup(tree, '/usr/lib/python3.11/__pycache__/os.cpython-311.pyc')).toBeDefined();
    expect(lookup(tree, '/usr/lib/python3.11/EXTERNALLY-MANAGED')).toBeUndefined();
    expect(text(lookup(tree, '/etc/debian_version'))).toMatch(/^12\./);
  });

  it('nginx: the official layout, entrypoint and logs to stdout/stderr; the welcome page is served', () => {
    const { config, tree } = image('nginx');
    expect(config.config?.Entrypoint).toEqual(['/docker-entrypoint.sh']);
    expect(config.config?.Cmd).toEqual(['nginx', '-g', 'daemon off;']);
    expect(config.config?.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(config.config?.StopSignal).toBe('SIGQUIT');
    expect(config.config?.Env).toEqual([DEFAULT_PATH, expect.stringMatching(/^NGINX_VERSION=1\.22\.\d+$/)]);
    expect(isI386Elf(lookup(tree, '/usr/sbin/nginx'))).toBe(true);
    const conf = text(lookup(tree, '/etc/nginx/nginx.conf'));
    // A second "daemon" directive would make `nginx -g "daemon off;"` fail to start.
    expect(conf).not.toMatch(/^\s*daemon\s/m);
    expect(conf).toMatch(/^user {2}nginx;$/m);
    expect(conf).toMatch(/^error_log {2}\/var\/log\/nginx\/error\.log notice;$/m);
    expect(conf).toContain('include /etc/nginx/conf.d/*.conf;');
    expect(conf).not.toContain('sites-enabled');
    expect(text(lookup(tree, '/etc/passwd'))).toMatch(/^nginx:x:101:101:/m);
    expect(tree.get('var/log/nginx/access.log')?.linkname).toBe('/dev/stdout');
    expect(tree.get('var/log/nginx/error.log')?.linkname).toBe('/dev/stderr');
    const server = text(lookup(tree, '/etc/nginx/conf.d/default.conf'));
    expect(server).toMatch(/^\s*listen\s+80;$/m);
    expect(server).toMatch(/root\s+\/usr\/share\/nginx\/html;/);
    expect(lookup(tree, '/etc/nginx/sites-enabled/default')).toBeUndefined();
    expect(text(lookup(tree, '/usr/share/nginx/html/index.html'))).toContain('<title>Welcome to nginx!</title>');
    expect(lookup(tree, '/docker-entrypoint.sh')?.mode).toBe(0o755);
    expect(text(lookup(tree, '/docker-entrypoint.sh'))).toContain('Configuration complete; ready for start up');
    const scripts = [...tree.keys()].filter((p) => p.startsWith('docker-entrypoint.d/')).sort();
    expect(scripts).toEqual(['docker-entrypoint.d/10-listen-on-ipv6-by-default.sh', 'docker-entrypoint.d/20-envsubst-on-templates.sh']);
    for (const script of scripts) expect(tree.get(script)?.mode, script).toBe(0o755);
    // The IPv6 script knows the shipped default.conf by its checksum, filled in at build time.
    expect(text(lookup(tree, '/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh'))).toMatch(/^shipped=[0-9a-f]{64}$/m);
    expect(isI386Elf(lookup(tree, '/usr/bin/envsubst'))).toBe(true);
  });

  it('redis: redis-server behind the entrypoint, protected mode off, /data', () => {
    const { config, tree } = image('redis');
    expect(config.config?.Cmd).toEqual(['redis-server']);
    expect(config.config?.Entrypoint).toEqual(['docker-entrypoint.sh']);
    expect(config.config?.WorkingDir).toBe('/data');
    expect(config.config?.Volumes).toEqual({ '/data': {} });
    expect(config.config?.ExposedPorts).toEqual({ '6379/tcp': {} });
    expect(isI386Elf(lookup(tree, '/usr/bin/redis-server'))).toBe(true);
    expect(isI386Elf(lookup(tree, '/usr/bin/redis-cli'))).toBe(true);
    expect(text(lookup(tree, '/usr/local/bin/docker-entrypoint.sh'))).toContain('--protected-mode no');
    expect(lookup(tree, '/usr/local/bin/docker-entrypoint.sh')?.mode).toBe(0o755);
    expect(lookup(tree, '/data')).toMatchObject({ type: 'directory', uid: 999, gid: 999 });
    expect(text(lookup(tree, '/etc/passwd'))).toMatch(/^redis:x:999:999:/m);
  });

  it('postgres: PostgreSQL 15 behind the entrypoint, PGDATA a volume, psql, no JIT', () => {
    const { config, tree, entry } = image('postgres');
    expect(entry.tags).toEqual(expect.arrayContaining(['15', '15-bookworm', 'latest']));
    expect(config.config?.Entrypoint).toEqual(['docker-entrypoint.sh']);
    expect(config.config?.Cmd).toEqual(['postgres']);
    expect(config.config?.StopSignal).toBe('SIGINT');
    expect(config.config?.ExposedPorts).toEqual({ '5432/tcp': {} });
    expect(config.config?.Volumes).toEqual({ '/var/lib/postgresql/data': {} });
    expect(config.config?.Env).toEqual(
      expect.arrayContaining([`PATH=/usr/lib/postgresql/15/bin:${DEFAULT_PATH.slice(5)}`, 'PGDATA=/var/lib/postgresql/data', 'PG_MAJOR=15', 'LANG=en_US.utf8']),
    );
    for (const program of ['postgres', 'initdb', 'pg_ctl', 'psql']) {
      expect(isI386Elf(lookup(tree, `/usr/lib/postgresql/15/bin/${program}`)), program).toBe(true);
    }
    expect(lookup(tree, '/usr/bin/psql')).toBeDefined();
    expect(lookup(tree, '/usr/lib/locale/en_US.utf8/LC_CTYPE')).toBeDefined();
    expect(text(lookup(tree, '/usr/share/postgresql/15/postgresql.conf.sample'))).toMatch(/^listen_addresses = '\*'/m);
    expect(text(lookup(tree, '/etc/postgresql-common/createcluster.conf'))).toMatch(/^create_main_cluster = false$/m);
    expect([...tree.keys()].filter((p) => p.startsWith('var/lib/postgresql/15') || p.startsWith('etc/postgresql/15'))).toEqual([]);
    expect([...tree.keys()].filter((p) => /llvmjit|\/bitcode\/|libLLVM-14\.so|libz3\.so/.test(p))).toEqual([]);
    expect(lookup(tree, '/etc/ssl/private/ssl-cert-snakeoil.key')).toBeUndefined();
    expect(lookup(tree, '/usr/local/bin/docker-entrypoint.sh')?.mode).toBe(0o755);
    expect(lookup(tree, '/var/lib/postgresql/data')).toMatchObject({ type: 'directory', uid: 999, gid: 999, mode: 0o1777 });
    expect(lookup(tree, '/run/postgresql')).toMatchObject({ type: 'directory', uid: 999, gid: 999, mode: 0o3777 });
    expect(lookup(tree, '/docker-entrypoint-initdb.d')).toMatchObject({ type: 'directory' });
    expect(text(lookup(tree, '/etc/passwd'))).toMatch(/^postgres:x:999:999:/m);
  });
});
