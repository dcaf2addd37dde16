// The page in Chromium: terminal tabs on the guest, and panels that follow the engine live — a
// container started in the terminal appears, its stop button stops it, and `docker ps` agrees.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPageHarness, waitForScreen, type PageHarness } from './page-harness.ts';

let harness: PageHarness;

beforeAll(async () => {
  harness = await startPageHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** Text of the visible terminal tab's screen. */
const visibleScreen = (page: Page) => page.locator('.pane:not(.hidden) .xterm-rows');


describe('the page', () => {
  it('mirrors the engine in its panels and runs one shell per tab', async () => {
    const context = await harness.browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 700 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(harness.url);

    await waitForScreen(page, 'root@slipway', 240_000);
    expect(await page.locator('.status-bar').getAttribute('data-status')).toBe('ready');
    await page.keyboard.type(`docker run -d --name web -v webdata:/data busybox sh -c 'echo web-says-hi; exec sleep 1000'\n`, { delay: 10 });

    // No reload, no polling: the engine's events bring the row.
    const web = page.locator('[data-container="web"]');
    await web.and(page.locator('[data-state="running"]')).waitFor({ timeout: 90_000 });
    expect(await web.locator('.image').textContent()).toBe('busybox');
    expect(await web.locator('.status').textContent()).toMatch(/^Up /);
    await page.locator('[data-image="busybox:latest"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('.status-bar .containers').textContent()).toBe('containers: 1 running / 1 total');
    const volume = page.locator('[data-volume="webdata"]');
    await volume.waitFor({ timeout: 10_000 });
    expect(await volume.locator('.used').textContent()).toBe('web');

    // The panel's logs and shell buttons open tabs running the docker commands.
    await web.locator('[data-action="logs"]').click();
    await waitForScreen(page, 'web-says-hi', 60_000);
    expect(await page.locator('.tab.active .title').textContent()).toBe('logs web');
    await page.locator('.tab.active .close').click();
    await web.locator('[data-action="shell"]').click();
    await waitForScreen(page, '/ #', 60_000);
    await page.keyboard.type('echo in-$(hostname)-$(ls /data | wc -l)\n', { delay: 10 });
    await page.waitForFunction(() => /in-[0-9a-f]{12}-0/.test(document.querySelector('.pane:not(.hidden) .xterm-rows')?.textContent ?? ''), null, { timeout: 30_000 });
    await page.locator('.tab.active .close').click();
    expect(await page.locator('.tab').count()).toBe(1);

    // busybox's sleep ignores SIGTERM as PID 1: stop waits out Docker's 10 s, then kills.
    await web.locator('[data-action="stop"]').click();
    await web.and(page.locator('[data-state="exited"]')).waitFor({ timeout: 30_000 });
    expect(await web.locator('.status').textContent()).toMatch(/^Exited \(137\) /);
    expect(await page.locator('.status-bar .containers').textContent()).toBe('containers: 0 running / 1 total');

    await page.getByRole('button', { name: 'New terminal' }).click();
    expect(await page.locator('.tab').count()).toBe(2);
    await waitForScreen(page, 'root@slipway', 30_000);
    await page.keyboard.type("docker ps -a --format '{{.Names}} {{.State}}'\n", { delay: 10 });
    await waitForScreen(page, 'web exited', 30_000);
    expect(await visibleScreen(page).textContent()).not.toContain('docker: ');

    // Tagging emits no engine event: the end of the `docker` command refreshes the panel.
    await page.keyboard.type('docker tag busybox mybox:1\n', { delay: 10 });
    await page.locator('[data-image="busybox:latest"] .tag', { hasText: 'mybox:1' }).waitFor({ timeout: 10_000 });
    // The daemon's refusal reaches the page in its own words.
    await page.locator('[data-image="busybox:latest"] [data-action="remove"]').click();
    await page.getByRole('alert').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('alert').textContent()).toContain('conflict: unable to delete ');

    await page.locator('[data-lang="ru"]').click();
    await page.getByRole('heading', { name: /^Контейнеры/ }).waitFor({ timeout: 5_000 });
    expect(await page.locator('.status-bar .containers').textContent()).toBe('контейнеры: 0 запущено / 1 всего');

    await page.locator('.tab').nth(1).getByRole('button', { name: 'Закрыть терминал' }).click();
    expect(await page.locator('.tab').count()).toBe(1);

    // A volume in use is refused; once its container is gone the panel removes it.
    await page.locator('[data-lang="en"]').click();
    await volume.locator('[data-action="remove"]').click();
    await page.getByRole('alert').filter({ hasText: 'volume is in use' }).waitFor({ timeout: 10_000 });
    await page.locator('.pane:not(.hidden) .xterm').click();
    await page.keyboard.type('docker rm web\n', { delay: 10 });
    await web.waitFor({ state: 'detached', timeout: 30_000 });
    await volume.locator('[data-action="remove"]').click();
    await volume.waitFor({ state: 'detached', timeout: 30_000 });
    expect(errors).toEqual([]);
    await context.close();
  }, 360_000);
});
