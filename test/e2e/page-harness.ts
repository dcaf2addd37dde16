// The page under a Vite dev server and Debian's Chromium, shared by the page's e2e tests.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { projectRoot } from '../../src/platform/node.ts';
import { launchChromium } from './browser.ts';

export interface PageHarness {
  browser: Browser;
  /** The page's address on the dev server. */
  url: string;
  close(): Promise<void>;
}

export async function startPageHarness(): Promise<PageHarness> {
  const server: ViteDevServer = await createServer({ configFile: join(projectRoot, 'vite.config.ts'), logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  const browser = await launchChromium();
  return {
    browser,
    url: server.resolvedUrls!.local[0]!,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Waits until the visible terminal tab's screen shows `text`. */
export async function waitForScreen(page: Page, text: string, timeout: number): Promise<void> {
  await page
    .waitForFunction((t) => document.querySelector('.pane:not(.hidden) .xterm-rows')?.textContent?.includes(t) ?? false, text, { timeout })
    .catch(async (e: Error) => {
      // A failure says what the terminal showed instead.
      const rows = await page
        .evaluate(() => Array.from(document.querySelectorAll('.pane:not(.hidden) .xterm-rows > div') as unknown as ArrayLike<Element>, (r) => r.textContent?.trimEnd() ?? '').filter(Boolean).join('\n'))
        .catch(() => '?');
      throw new Error(`${e.message}\nwaiting for ${JSON.stringify(text)}; the screen shows:\n${rows}`);
    });
}
