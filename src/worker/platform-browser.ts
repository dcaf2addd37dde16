// Platform for the engine worker in a browser: assets over fetch, the boot snapshot in IndexedDB.
import { clear, createStore, get, set } from 'idb-keyval';
import wasmUrl from 'v86/build/v86.wasm?url';
import type { Hello } from '../protocol/guest/messages.ts';
import { openIdbDisk } from './disk-idb.ts';
import { readWithProgress } from './download.ts';
import type { GuestAsset, Platform } from './vm/platform.ts';
import { snapshotKeyOf } from './vm/snapshot-key.ts';
import { VmTunables } from './vm/tunables.ts';


export interface BrowserPlatformOptions {
  /** Base URL of the guest artifacts (the build's `guest/` folder). */
  guestBase: URL;
  /** Bytes of each download as it arrives (see readWithProgress for the guarantees). */
  onProgress?: (asset: string, loaded: number, total: number) => void;
}

export interface BrowserPlatform extends Platform {
  /** Whether a boot snapshot for the current guest is cached (read without loading it). */
  hasSnapshot(): Promise<boolean>;
  /** Downloads the boot snapshot the site ships (if it has one for this guest) into the cache. */
  installShippedSnapshot(): Promise<boolean>;
  /** Starts downloading assets at once (loadAsset then takes them); resolves when all are in. */
  prefetch(names: readonly GuestAsset[]): Promise<void>;
}

export function browserPlatform(options: BrowserPlatformOptions): BrowserPlatform {
  const store = createStore('slipway-vm', 'snapshots');
  const url = (name: GuestAsset) => (name === 'v86.wasm' ? new URL(wasmUrl, self.location.href) : new URL(name, options.guestBase));
  let key: Promise<string> | null = null;
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  const prefetched = new Map<GuestAsset, Promise<Uint8Array>>();

  const download = (name: GuestAsset): Promise<Uint8Array> => downloadUrl(url(name), name);
  const downloadUrl = async (address: URL, name: string): Promise<Uint8Array> => {
    const response = await fetch(address);
    if (!response.ok) throw new Error(`cannot load ${name}: HTTP ${response.status}`);
    const report = (loaded: number, total: number) => options.onProgress?.(name, loaded, total);
    if (!response.body) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      report(bytes.length, bytes.length);
      return bytes;
    }
    const bytes = await readWithProgress(response.body, { total: Number(response.headers.get('Content-Length')) || 0, report });
    handOff(address, bytes, response.headers.get('Content-Type'));
    return bytes;
  };

  const platform: BrowserPlatform = {
    disk: openIdbDisk(),
    loadAsset: (name) => {
      const started = prefetched.get(name);
      // Handed over once: the machine keeps the bytes, and a reboot should not hold a second copy.
      prefetched.delete(name);
      return started ?? download(name);
    },
    prefetch: async (names) => {
      const downloads = names.map((name) => {
        const started = prefetched.get(name) ?? download(name);
        prefetched.set(name, started);
        return started;
      });
      await Promise.all(downloads);
    },
    hasSnapshot: async () => (await get(`hello:${await platform.snapshotKey()}`, store)) !== undefined,
    snapshotKey: () => (key ??= fetch(url('MANIFEST')).then(async (r) => snapshotKeyOf(new Uint8Array(await r.arrayBuffer()), VmTunables))),
    installShippedSnapshot: async () => {
      // The site's build may ship the boot snapshot (src/runner/boot-state.ts): restoring it is
      // seconds faster than booting the kernel. Only a state made for this very guest will do.
      const meta = await fetch(new URL('boot-state.json', options.guestBase))
        .then((r) => (r.ok ? (r.json() as Promise<{ key: string; hello: Hello }>) : null))
        .catch(() => null);
      if (!meta || meta.key !== (await platform.snapshotKey())) return false;
      const packed = await downloadUrl(new URL('boot-state.gz', options.guestBase), 'boot-state.gz');
      const state = await new Response(new Blob([packed as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
      await platform.snapshots.put(meta.key, state, meta.hello);
      return true;
    },
    snapshots: {
      get: async (k) => ((await get<ArrayBuffer>(`state:${k}`, store)) ?? null),
      getHello: async (k) => ((await get<Hello>(`hello:${k}`, store)) ?? null),
      put: async (k, state, hello) => {
        // Only the current key's snapshot is useful (a new MANIFEST makes older ones stale), and
        // each is tens of MB: drop everything before storing the new one.
        await clear(store);
        await set(`hello:${k}`, hello, store);
        await set(`state:${k}`, state, store);
      },
    },
    // MessageChannel, not setTimeout: timers in workers are clamped to ≥ 4 ms after nesting.
    schedule: (fn) => {
      queue.push(fn);
      channel.port2.postMessage(0);
    },
  };
  return platform;
}

/** The cache the service worker's install step takes guest files from (src/sw.ts). */
const HANDOFF_CACHE = 'slipway-handoff';

/**
 * Leaves a copy of a freshly downloaded guest file for the service worker, which is registered
 * after the boot: its precache then takes these bytes instead of downloading them a second time.
 * Built site only (the dev server has no service worker); best effort.
 */
function handOff(url: URL, bytes: Uint8Array, type: string | null): void {
  if (!(import.meta as ImportMeta & { env?: { SLIPWAY_SW?: boolean } }).env?.SLIPWAY_SW || typeof caches === 'undefined') return;
  const copy = bytes.slice();
  void caches
    .open(HANDOFF_CACHE)
    .then((cache) => cache.put(url.href, new Response(copy, { headers: { 'Content-Type': type ?? 'application/octet-stream' } })))
    .catch(() => undefined);
}
