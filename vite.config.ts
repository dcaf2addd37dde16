import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte, vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

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

export default defineConfig({
  // The page lives in src/ (the top level of the repository is fixed); the build goes to dist/.
  root: join(projectRoot, 'src'),
  base: './',
  publicDir: join(projectRoot, 'public'),
  plugins: [svelte({ configFile: false, preprocess: vitePreprocess() }), guestArtifacts()],
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: join(projectRoot, 'dist'), emptyOutDir: true },
  server: { fs: { allow: [projectRoot] } },
});
