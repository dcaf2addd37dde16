// A plain static file server for the built site, mounted under a sub-path as a real deployment
// might be (GitHub Pages project sites, a reverse proxy prefix): proves every URL is relative.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
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
  close(): Promise<void>;
}

/** Serves `dir` at `http://127.0.0.1:PORT{prefix}` (prefix like `/sub/slipway/`). */
export async function serveStatic(dir: string, prefix: string): Promise<StaticServer> {
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
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size, 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
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
