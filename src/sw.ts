/// <reference lib="webworker" />
// The service worker that keeps Slipway working offline after one visit. Built by the plugin in
// vite.config.ts as `sw.js`, which fills in SLIPWAY_PRECACHE: the app shell, the guest artifacts
// and the catalogue's index files, all relative to this script, plus a version that changes with
// any of their contents. Self-contained on purpose (no imports): it is loaded as a classic script.
//
// Strategies: content-addressed catalogue blobs are cached on first use and kept across versions
// (a digest names one content forever); hashed assets and guest artifacts come from the versioned
// precache first; index.html, index.json and catalogue.json go to the network first so a new
// deployment is seen at once, with the cache as the offline fallback.

declare const SLIPWAY_PRECACHE: { version: string; files: string[] };
// A script, not a module (the global `self` is typed for a plain worker).
const sw = self as unknown as ServiceWorkerGlobalScope;

const PREFIX = 'slipway-';
const SHELL = `${PREFIX}shell-${SLIPWAY_PRECACHE.version}`;
const BLOBS = `${PREFIX}blobs`;
const HANDOFF = `${PREFIX}handoff`;
const scope = new URL('./', sw.location.href);
const precached = SLIPWAY_PRECACHE.files.map((f) => new URL(f, scope).href);
const networkFirst = new Set(['', 'index.html', 'catalogue/index.json', 'catalogue/catalogue.json'].map((f) => new URL(f, scope).href));

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      // The page's first boot has just downloaded the guest files and left copies here (the
      // worker's platform-browser.ts): take those rather than download them again.
      const handoff = await caches.open(HANDOFF);
      const fetched: string[] = [];
      for (const url of precached) {
        const handed = await handoff.match(url);
        if (handed) await cache.put(url, handed);
        else fetched.push(url);
      }
      // `no-cache`: revalidate with the server (a 304 when the HTTP cache has the bytes), so a
      // stale copy cannot end up under a new version.
      await cache.addAll(fetched.map((url) => new Request(url, { cache: 'no-cache' })));
      await caches.delete(HANDOFF);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(`${PREFIX}shell-`) && name !== SHELL) await caches.delete(name);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  if (!url.href.startsWith(scope.href)) return;
  if (request.mode === 'navigate' || networkFirst.has(url.href)) {
    event.respondWith(fromNetworkFirst(event, request.mode === 'navigate' ? scope.href : url.href));
  } else if (url.href.startsWith(new URL('catalogue/blobs/sha256/', scope).href)) {
    event.respondWith(fromCacheFirst(event, url.href, BLOBS));
  } else {
    event.respondWith(fromCacheFirst(event, url.href, SHELL));
  }
});

/** Stores a copy while the page reads the original (the event keeps the worker alive for it). */
function keep(event: FetchEvent, cacheName: string, key: string, response: Response): void {
  const copy = response.clone();
  event.waitUntil(caches.open(cacheName).then((cache) => cache.put(key, copy)));
}

async function fromNetworkFirst(event: FetchEvent, key: string): Promise<Response> {
  try {
    const response = await fetch(event.request);
    if (response.ok) keep(event, SHELL, key, response);
    return response;
  } catch (error) {
    const cached = await caches.match(key);
    if (cached) return cached;
    throw error;
  }
}

async function fromCacheFirst(event: FetchEvent, key: string, cacheName: string): Promise<Response> {
  const cached = await caches.match(key);
  if (cached) return cached;
  const response = await fetch(event.request);
  // Partial (206) and error responses must not stand in for the whole file later.
  if (response.status === 200) keep(event, cacheName, key, response);
  return response;
}
