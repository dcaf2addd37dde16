// The workspace in Chromium: a file made and edited in the page is what `cat` prints in the
// terminal (and what `docker build` builds), a file written in the terminal appears in the tree,
// and a reload keeps both (and the images and stopped containers). An image built there is
// downloaded as a `docker save` archive and loaded back by a drop on the images panel.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { readTar } from '../../src/lib/tar.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPageHarness, waitForScreen, type PageHarness } from './page-harness.ts';

let harness: PageHarness;

beforeAll(async () => {
  harness = await startPageHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** Types a command into the visible terminal. */
async function type(page: Page, command: string): Promise<void> {
  await page.locator('.pane:not(.hidden) .xterm').click();
  await page.keyboard.type(`${command}\n`, { delay: 5 });
}

describe('the workspace', () => {
  it('shares /root between the editor, the tree and the terminal, and keeps it across a reload', async () => {
    const context = await harness.browser.newContext({ locale: 'en-US', viewport: { width: 1300, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(harness.url);
    await waitForScreen(page, 'root@slipway', 240_000);

    // New file from the tree's toolbar: the name comes from a prompt, the editor opens it.
    page.once('dialog', (dialog) => void dialog.accept('Dockerfile'));
    await page.locator('[data-action="new-file"]').click();
    await page.locator('.editor[data-path="Dockerfile"]').waitFor({ timeout: 30_000 });
    await page.locator('.cm-content').click();
    await page.keyboard.type('FROM busybox\nCMD ["echo", "hi"]\n', { delay: 5 });
    expect(await page.locator('.editor .path').textContent()).toBe('Dockerfile •');
    await page.keyboard.press('Control+s');
    await page.locator('.editor .path', { hasText: /^Dockerfile$/ }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.files [data-path="Dockerfile"]').count()).toBe(1);

    await type(page, 'echo "lines=$(wc -l < Dockerfile) busybox=$(grep -c busybox Dockerfile)"');
    await waitForScreen(page, 'lines=2 busybox=1', 30_000);

    // The saved Dockerfile builds in the terminal; the image shows in the panel and runs.
    await type(page, 'docker build -t hi . && echo "ran: $(docker run --rm hi)"');
    await waitForScreen(page, 'Successfully tagged hi:latest', 120_000);
    await page.locator('[data-image="hi:latest"]').waitFor({ timeout: 30_000 });
    await waitForScreen(page, 'ran: hi', 60_000);

    // The image leaves the tab as a `docker save` archive (real Docker loads it) and comes back
    // by a drop on the images panel.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-image="hi:latest"] [data-action="save"]').click()]);
    expect(download.suggestedFilename()).toBe('hi_latest.tar');
    const saved = readFileSync((await download.path())!);
    const manifest = [...readTar(new Uint8Array(saved))].find((e) => e.path === 'manifest.json')!;
    expect(JSON.parse(new TextDecoder().decode(manifest.data))[0].RepoTags).toEqual(['hi:latest']);
    await type(page, 'docker rmi hi');
    await page.locator('[data-image="hi:latest"]').waitFor({ state: 'detached', timeout: 30_000 });
    await page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'hi_latest.tar', { type: 'application/x-tar' }));
      document.querySelector('.drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, saved.toString('base64'));
    await page.locator('.loaded', { hasText: 'Loaded image: hi:latest' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-image="hi:latest"]').waitFor({ timeout: 30_000 });

    // A build under way shows its step in the images panel until it ends.
    await type(page, "printf 'FROM busybox\\nRUN sleep 4\\n' | docker build -q -t slow -");
    await page.locator('[data-build="slow:latest"]', { hasText: 'RUN sleep 4' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-build="slow:latest"] progress').getAttribute('value')).toBe('2');
    await page.locator('[data-image="slow:latest"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-build="slow:latest"]').waitFor({ state: 'detached', timeout: 30_000 });

    // Written in the terminal: the tree shows it without a refresh, the editor opens it.
    await type(page, 'mkdir -p app && echo "print(42)" > app/main.py');
    await page.locator('.files [data-path="app/main.py"]').waitFor({ timeout: 30_000 });
    await page.locator('.files [data-path="app/main.py"] .name').click();
    await page.locator('.editor[data-path="app/main.py"]').waitFor({ timeout: 30_000 });
    await page.locator('.cm-content', { hasText: 'print(42)' }).waitFor({ timeout: 30_000 });

    // Rename in the tree; the terminal sees the new name.
    page.once('dialog', (dialog) => void dialog.accept('app/app.py'));
    await page.locator('.files [data-path="app/main.py"] [data-action="rename"]').click({ force: true });
    await page.locator('.files [data-path="app/app.py"]').waitFor({ timeout: 30_000 });
    // The tree hears the guest's change at once; the editor follows once the rename is stored.
    await page.locator('.editor[data-path="app/app.py"]').waitFor({ timeout: 30_000 });

    // An image and a stopped container, for the reload too.
    await type(page, 'docker create --name kept busybox echo kept');
    await page.locator('[data-container="kept"]').waitFor({ timeout: 120_000 });

    // Saved within a second of the last change; then a reload is a reboot with the files back.
    await page.waitForTimeout(2_000);
    await page.reload();
    await waitForScreen(page, 'root@slipway', 240_000);
    await page.locator('.files [data-path="app/app.py"]').waitFor({ timeout: 30_000 });
    await page.locator('.files [data-path="Dockerfile"]').waitFor({ timeout: 30_000 });
    await type(page, 'cat app/app.py Dockerfile');
    await waitForScreen(page, 'CMD ["echo", "hi"]', 30_000);
    expect(await page.locator('.pane:not(.hidden) .xterm-rows').textContent()).toContain('print(42)');
    await page.locator('[data-container="kept"][data-state="created"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-image="busybox:latest"]').waitFor({ timeout: 30_000 });

    // Delete from the tree (after a confirmation).
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('.files [data-path="app"] [data-action="delete"]').click({ force: true });
    await page.locator('.files [data-path="app"]').waitFor({ state: 'detached', timeout: 30_000 });
    expect(errors).toEqual([]);
    await context.close();
  }, 600_000);
});
