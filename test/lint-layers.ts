// Import-direction check (STYLE.md §1): dependencies point one way, and only src/worker/vm/
// imports v86. Run by `npm test`; prints each violation as file: import and exits 1.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');

/** Single files a layer may import from a folder it may not otherwise reach. */
const allowedFiles: Record<string, string[]> = {
  cli: ['engine/api/types.ts'],
};

/**
 * Everything outside src/engine/ is a client of the daemon, as the page is: of src/engine/ it may
 * import only these (the Engine API's types, the Daemon that serves it and its HTTP server's
 * connection types, and the catalogue adapter it is given), never a service behind them.
 */
const engineEntryPoints = ['engine/api/types.ts', 'engine/daemon.ts', 'engine/api/http/index.ts', 'engine/image/catalogue-source.ts'];

/** Folders under src/ and the src/ folders each may import from. */
const allowed: Record<string, string[]> = {
  protocol: ['protocol'],
  lib: ['lib', 'protocol'],
  engine: ['engine', 'protocol', 'lib'],
  // The CLI is a client of the Engine API: of the daemon it sees the API's types only (below).
  cli: ['cli', 'protocol', 'lib'],
  worker: ['worker', 'engine', 'cli', 'protocol', 'lib'],
  client: ['client', 'protocol', 'lib'],
  state: ['state', 'client', 'protocol', 'lib'],
  share: ['share', 'lib'],
  ui: ['ui', 'state', 'client', 'share', 'protocol', 'lib'],
  platform: ['platform', 'worker', 'protocol', 'lib'],
  runner: ['runner', 'platform', 'worker', 'engine', 'cli', 'protocol', 'lib'],
  'main.ts': ['ui', 'state', 'client', 'protocol', 'lib'],
};

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|svelte)$/.test(name) && !/\.test\.ts$/.test(name)) yield path;
  }
}

const problems: string[] = [];
for (const file of files(src)) {
  const rel = relative(src, file);
  const layer = rel.split('/')[0]!;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
    const spec = m[1]!;
    if (spec === 'v86' && !rel.startsWith('worker/vm/')) problems.push(`${rel}: imports v86 (only src/worker/vm/ may)`);
    if (!spec.startsWith('.')) continue;
    const targetPath = relative(src, resolve(dirname(file), spec));
    const target = targetPath.split('/')[0]!;
    const ok = allowed[layer];
    if (!ok) problems.push(`${rel}: unknown layer "${layer}" (add it to test/lint-layers.ts)`);
    else if (!ok.includes(target) && !allowedFiles[layer]?.includes(targetPath)) problems.push(`${rel}: ${layer} must not import ${target} (${spec})`);
    else if (target === 'engine' && layer !== 'engine' && !engineEntryPoints.includes(targetPath)) {
      problems.push(`${rel}: a client of the daemon must not import ${targetPath} (only ${engineEntryPoints.join(', ')})`);
    }
  }
  if (/^(protocol|engine|cli|worker|lib)\//.test(rel) && /from\s+['"]node:/.test(text)) {
    problems.push(`${rel}: Node built-ins are not allowed in ${layer}`);
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layers: ok');
