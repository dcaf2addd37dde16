// A plain static file server for the built site, mounted under a sub-path as a real deployment
// might be (GitHub Pages project sites, a reverse proxy prefix): proves every URL is relative.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative } from 'node:path';
import { build } from 'vite';
import { projectRoot } from '../../src/platform/node.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

export interface StaticServer {
  /** Address of the mounted folder, ending in `/`. */
  url: string;
  /** Full bodies sent, by path relative to the folder (a 304 is not a body). */
  bodies: Map<string, number>;
  close(): Promise<void>;
}

/** Serves `dir` at `http://127.0.0.1:PORT{prefix}` (prefix like `/sub/slipway/`). */
export async function serveStatic(dir: string, prefix: string): Promise<StaticServer> {
  const bodies = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (`${path}/` === prefix) {
      res.writeHead(301, { Location: prefix }).end();
      return;
    }
    const rel = path.startsWith(prefix) ? normalize(path.slice(prefix.length)) : null;
    let file = rel === null || rel.startsWith('..') ? null : join(dir, rel === '.' ? '' : rel);
    if (file && statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = join(file, 'index.html');
    const stat = file ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (!file || !stat?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    // Revalidation as static hosts do it: a client (or service worker) that has the bytes gets a 304.
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache' }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size, 'Cache-Control': 'no-cache', ETag: etag });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const key = relative(dir, file);
    bodies.set(key, (bodies.get(key) ?? 0) + 1);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    bodies,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `vite build` of the page into `outDir` (not the shared dist/, so runs do not collide). */
export async function buildSite(outDir: string): Promise<void> {
  await build({ configFile: join(projectRoot, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
}
