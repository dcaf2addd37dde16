// npm run bench:page [-- --json] [-- --warm N]
// The page as a visitor meets it: the built site served locally, headless Chromium, time from
// navigation to the shell prompt on screen. Cold: a fresh profile (nothing cached, the guest boots
// from its kernel). Warm: the same profile again (boot snapshot in IndexedDB, files from the
// service worker's cache).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { launchChromium } from '../e2e/browser.ts';
import { buildSite, serveStatic } from '../e2e/static-server.ts';

const json = process.argv.includes('--json');
/** `--warm N`: N warm loads, the median reported (one is noisy on a shared machine). */
const warmIndex = process.argv.indexOf('--warm');
const warmRuns = warmIndex > 0 ? Math.max(1, Number(process.argv[warmIndex + 1]) || 1) : 3;
const say = (line: string) => {
  if (!json) process.stderr.write(line + '\n');
};

/** Opens the page and returns the ms from navigation start to the prompt (page clock). */
async function promptMs(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  page.on('console', (m) => { if (m.text().startsWith('[T]')) process.stderr.write(m.text() + '\n'); });
  await page.goto(url);
  const found = await page.waitForFunction(
    () => (document.querySelector('.pane:not(.hidden) .xterm-rows')?.textContent?.includes('root@slipway') ? performance.now() : 0),
    null,
    { timeout: 120_000, polling: 'raf' },
  );
  const ms = (await found.jsonValue()) as number;
  // Settle what the next visit relies on (the service worker's precache), then stop this guest
  // so the next load does not share the CPU with it.
  await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', null, { timeout: 60_000 });
  await page.close();
  return ms;
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'slipway-bench-site-'));
  say('building the site…');
  await buildSite(outDir);
  const server = await serveStatic(outDir, '/');
  const browser = await launchChromium();
  const figures: Record<string, number> = {};
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 700 } });
    say('cold load…');
    figures.page_cold_prompt_ms = await promptMs(context, server.url);
    say('warm load…');
    const warm: number[] = [];
    for (let i = 0; i < warmRuns; i++) warm.push(await promptMs(context, server.url));
    say(`warm loads: ${warm.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    figures.page_warm_prompt_ms = warm.sort((a, b) => a - b)[Math.floor(warm.length / 2)]!;
    await context.close();
  } finally {
    await browser.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }

  const rounded = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  if (json) {
    process.stdout.write(JSON.stringify(rounded) + '\n');
    return;
  }
  const targets: Record<string, string> = {
    page_cold_prompt_ms: '≤ 4000',
    page_warm_prompt_ms: `≤ 1000 (median of ${warmRuns})`,
  };
  const rows = Object.entries(rounded).map(([k, v]) => `${k.padEnd(26)}${String(v).padStart(12)}   ${targets[k] ?? ''}`);
  process.stdout.write(`${'figure'.padEnd(26)}${'value'.padStart(12)}   target\n${rows.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`bench:page: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
