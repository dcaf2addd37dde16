// Platform for the headless runner, tests and benchmarks: assets from the checkout, the snapshot
// cache in $SLIPWAY_HOME (default .slipway/ in the project).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hello } from '../protocol/guest/messages.ts';
import { DISK_CHUNK_BYTES } from '../worker/vm/disk.ts';
import type { DiskStore, GuestAsset, Platform } from '../worker/vm/platform.ts';
import { openNodeDisk } from './disk-node.ts';
import { snapshotKeyOf } from '../worker/vm/snapshot-key.ts';
import { VmTunables } from '../worker/vm/tunables.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function slipwayHome(): string {
  return resolve(process.env.SLIPWAY_HOME ?? join(projectRoot, '.slipway'));
}

function assetPath(name: GuestAsset): string {
  if (name === 'v86.wasm') {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('v86')), 'v86.wasm');
  }
  return join(projectRoot, 'kernel-images/dist', name);
}

/** `diskDir`: the Docker host's disk, kept beside the store it belongs with. */
export function nodePlatform(home = slipwayHome(), diskDir = join(home, 'store', 'disk')): Platform {
  const dir = join(home, 'snapshots');
  let key: Promise<string> | null = null;
  return {
    disk: lazyDisk(() => openNodeDisk(diskDir, DISK_CHUNK_BYTES)),
    loadAsset: async (name) => new Uint8Array(await readFile(assetPath(name))),
    snapshotKey: () =>
      (key ??= (async () => {
        return snapshotKeyOf(new Uint8Array(await readFile(assetPath('MANIFEST'))), VmTunables);
      })()),
    snapshots: {
      async get(k) {
        try {
          const bytes = await readFile(join(dir, `${k}.state`));
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        } catch {
          return null;
        }
      },
      async getHello(k) {
        try {
          return JSON.parse(await readFile(join(dir, `${k}.hello.json`), 'utf8')) as Hello;
        } catch {
          return null;
        }
      },
      async put(k, state, hello) {
        await mkdir(dir, { recursive: true });
        // Write-then-rename: a crash mid-write never leaves a truncated snapshot behind.
        await writeFile(join(dir, `${k}.hello.json.tmp`), JSON.stringify(hello));
        await writeFile(join(dir, `${k}.state.tmp`), new Uint8Array(state));
        await rename(join(dir, `${k}.hello.json.tmp`), join(dir, `${k}.hello.json`));
        await rename(join(dir, `${k}.state.tmp`), join(dir, `${k}.state`));
      },
    },
    schedule: (fn) => setImmediate(fn),
  };
}

/** Opens the disk files on first use (a platform is made synchronously). */
function lazyDisk(open: () => Promise<DiskStore>): DiskStore {
  let disk: Promise<DiskStore> | null = null;
  const get = () => (disk ??= open());
  return {
    read: async (index) => (await get()).read(index),
    commit: async (chunks) => (await get()).commit(chunks),
  };
}
