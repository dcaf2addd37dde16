// The guest boots in a browser worker exactly as under Node: real Chromium, real v86, real guest.
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/node.ts';
import { launchChromium } from './browser.ts';

let server: ViteDevServer;
let browser: Browser;

beforeAll(async () => {
  // Served from the project root so the bare test page outside src/ is reachable.
  server = await createServer({ configFile: 'vite.config.ts', root: projectRoot, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('engine worker in Chromium', () => {
  it('boots the guest and answers docker version typed in the guest shell', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL('test/e2e/smoke/index.html', server.resolvedUrls!.local[0]).href);
    await page.waitForFunction(() => 'smoke' in window);
    const boot = await page.evaluate(() => (window as any).smoke.boot('/guest/'));
    expect(boot.mode).toBe('cold');
    expect(boot.kernel).toMatch(/^6\.1\./);
    const result = await page.evaluate(() => (window as any).smoke.run('docker version; echo "exit=$?"'));
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Client:\n Version: +28\.2\.2-slipway\n/);
    expect(result.stdout).toMatch(/\nServer: Slipway Engine\n Engine:\n  Version: +0\.1\.0\n/);
    expect(result.stdout).toMatch(/\n  OS\/Arch: +linux\/386\n/);
    expect(result.stdout).toMatch(/\n crun:\n  Version: +1\.8\.1\n/);
    expect(result.stdout).toMatch(/exit=0\n$/);

    // The engine in the browser: catalogue fetched over HTTP, store in IndexedDB, layers over 9p.
    const run = await page.evaluate(() => (window as any).smoke.run('docker run --rm busybox echo hi; docker images --format "{{.Repository}}:{{.Tag}}"'));
    expect(run.stdout).toBe('hi\nbusybox:latest\n');
    expect(run.stderr).toContain('Status: Downloaded newer image for busybox:latest\n');
    expect(run.code).toBe(0);
    expect(errors).toEqual([]);
  }, 180_000);
});
