import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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
 * Puts the guest's boot snapshot into the static build (src/runner/boot-state.ts, cached in
 * $SLIPWAY_HOME): a first visit restores it instead of booting the kernel. Without it (the
 * snapshot could not be made) the site still works, booting cold.
 */
function bootState(): Plugin {
  return {
    name: 'slipway-boot-state',
    apply: 'build',
    generateBundle() {
      const dir = mkdtempSync(join(tmpdir(), 'slipway-boot-state-'));
      try {
        const tsx = createRequire(import.meta.url).resolve('tsx/cli');
        execFileSync(process.execPath, [tsx, join(projectRoot, 'src/runner/boot-state.ts'), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
        for (const name of ['boot-state.gz', 'boot-state.json']) {
          this.emitFile({ type: 'asset', fileName: `guest/${name}`, source: readFileSync(join(dir, name)) });
        }
      } catch (e) {
        this.warn(`no boot snapshot in the site, first visits boot the kernel: ${(e as Error).message}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
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
        // With a boot snapshot in the site the kernel and initrd are only a fallback: not
        // precached (15 MB nobody needs offline, since the snapshot is cached instead).
        const shipsState = 'guest/boot-state.gz' in bundle;
        const fallback = new Set(shipsState ? ['guest/bzImage', 'guest/initrd.cpio'] : []);
        const files = Object.keys(bundle).filter((f) => f !== 'sw.js' && !fallback.has(f)).sort();
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
  plugins: [svelte({ configFile: false, preprocess: vitePreprocess() }), guestArtifacts(), bootState(), serviceWorker()],
  worker: { format: 'es' },
  // The engine worker and v86 are large single chunks by nature; no splitting would help a boot.
  build: { target: 'es2022', outDir: join(projectRoot, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { fs: { allow: [projectRoot] } },
});
