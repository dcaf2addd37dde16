// The built site under a sub-path, then offline: one visit caches the page, the guest and the
// catalogue's index (service worker), the boot snapshot and pulled images (IndexedDB); with the
// server gone and the browser offline, a reload still reaches the prompt and runs a container.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { buildSite, serveStatic, type StaticServer } from './static-server.ts';

const PREFIX = '/sub/slipway/';
let outDir: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'slipway-site-'));
  await buildSite(outDir);
  server = await serveStatic(outDir, PREFIX);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function waitForScreen(page: Page, text: string, timeout: number): Promise<void> {
  await page.waitForFunction(
    (t) => document.querySelector('.pane:not(.hidden) .xterm-rows')?.textContent?.includes(t) ?? false,
    text,
    { timeout },
  );
}

describe('the built site', () => {
  it('works under a sub-path, and offline after one visit', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 700 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Requests from the page, its worker and the service worker all stay under the sub-path (blob:
    // URLs are v86's own in-memory workers).
    context.on('request', (r) => {
      if (/^https?:/.test(r.url()) && !r.url().startsWith(server.url)) outside.push(r.url());
    });

    await page.goto(server.url);
    await waitForScreen(page, 'root@slipway', 240_000);
    // Installed means precached (the install step waits for every file).
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', null, { timeout: 60_000 });
    // The first visit restored the boot snapshot the site ships: no kernel or initrd download.
    expect([...server.bodies.keys()]).toEqual(expect.arrayContaining(['guest/boot-state.gz', 'guest/bios.bin']));
    expect([...server.bodies.keys()].filter((path) => /bzImage|initrd/.test(path))).toEqual([]);
    expect(await page.locator('.status-bar .boot').textContent()).toMatch(/^restored in \d+ ms$/);
    // The precache took what the boot had downloaded: no file crossed the wire twice.
    // (index.html excepted: the navigation asked for the folder, the precache for the file.)
    expect([...server.bodies].filter(([path, n]) => n > 1 && path !== 'index.html')).toEqual([]);
    // The shell expands $((…)), so the marker appears only in the output, not in the typed line.
    await page.keyboard.type('docker run --rm busybox echo online-$((40+2))\n', { delay: 10 });
    await waitForScreen(page, 'online-42', 90_000);

    // Cut the network for real (the server is gone) and in the browser's eyes.
    await server.close();
    await context.setOffline(true);
    await page.reload();
    await waitForScreen(page, 'root@slipway', 60_000);
    await page.keyboard.type('docker run --rm busybox echo offline-ok-$((2+2))\n', { delay: 10 });
    await waitForScreen(page, 'offline-ok-4', 60_000);
    const screen = await page.locator('.pane:not(.hidden) .xterm-rows').textContent();
    expect(screen).not.toContain('docker: ');
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 360_000);
});
