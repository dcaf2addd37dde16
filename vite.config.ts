import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte, vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin, type Rolldown } from 'vite';

const projectRoot = dirname(fileURLToPath(import.meta.url));
const guestDist = join(projectRoot, 'kernel-images/dist');

/**
 * Serves the committed guest artifacts (kernel, initrd, BIOS, MANIFEST) at `guest/` in dev and
 * emits them into the static build, so they live in git once, under kernel-images/dist/.
 */
function guestArtifacts(): Plugin {
  return {
    name: 'slipway-guest-artifacts',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /^\/guest\/([\w.-]+)$/.exec(req.url?.split('?')[0] ?? '');
        const file = match && join(guestDist, match[1]!);
        if (!file || !existsSync(file)) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const name of readdirSync(guestDist)) {
        this.emitFile({ type: 'asset', fileName: `guest/${name}`, source: readFileSync(join(guestDist, name)) });
      }
    },
  };
}

/**
 * Builds src/sw.ts as `sw.js` next to index.html and hands it the list to precache: every built
 * file but the catalogue blobs (fetched on demand), with a version hashed from their contents so a
 * new build replaces the old caches. Build only: the dev server registers no service worker.
 */
function serviceWorker(): Plugin {
  const catalogueIndexes = ['catalogue/index.json', 'catalogue/catalogue.json'];
  return {
    name: 'slipway-service-worker',
    apply: 'build',
    // Not import.meta.env.PROD: that follows NODE_ENV, which vitest sets to `test` for its builds.
    config: () => ({ define: { 'import.meta.env.SLIPWAY_SW': 'true' } }),
    buildStart() {
      this.emitFile({ type: 'chunk', id: join(projectRoot, 'src/sw.ts'), fileName: 'sw.js' });
    },
    generateBundle: {
      // After the HTML, worker and guest files are in the bundle.
      order: 'post',
      handler(_options, bundle) {
        const sw = bundle['sw.js'] as Rolldown.OutputChunk;
        const hash = createHash('sha256');
        const files = Object.keys(bundle).filter((f) => f !== 'sw.js').sort();
        for (const name of files) {
          const item = bundle[name]!;
          hash.update(name).update(item.type === 'chunk' ? item.code : item.source);
        }
        for (const name of catalogueIndexes) hash.update(name).update(readFileSync(join(projectRoot, 'public', name)));
        // '' is the folder itself: the address the page is normally opened at.
        const precache = { version: hash.digest('hex').slice(0, 16), files: ['', ...files, ...catalogueIndexes] };
        sw.code = `const SLIPWAY_PRECACHE = ${JSON.stringify(precache)};\n${sw.code}`;
      },
    },
  };
}

export default defineConfig({
  // The page lives in src/ (the top level of the repository is fixed); the build goes to dist/.
  root: join(projectRoot, 'src'),
  base: './',
  publicDir: join(projectRoot, 'public'),
  plugins: [svelte({ configFile: false, preprocess: vitePreprocess() }), guestArtifacts(), serviceWorker()],
  worker: { format: 'es' },
  // The engine worker and v86 are large single chunks by nature; no splitting would help a boot.
  build: { target: 'es2022', outDir: join(projectRoot, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { fs: { allow: [projectRoot] } },
});
