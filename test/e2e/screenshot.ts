// npm run screenshot: boots the page in headless Chromium, writes a small app in the terminal,
// opens it in the editor, builds and runs it with a volume, and saves public/screenshot.png for the README.
import { createServer } from 'vite';
import { launchChromium } from './browser.ts';

const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
await server.listen();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.resolvedUrls!.local[0]!);
  await page.waitForSelector('.xterm-screen', { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('.xterm-rows')?.textContent?.includes('root@slipway'), null, { timeout: 60_000 });
  const type = (text: string) => page.keyboard.type(text, { delay: 10 });
  await type(`mkdir -p app && printf 'FROM busybox\\nCOPY index.html /www/\\nCMD ["httpd", "-f", "-h", "/www"]\\n' > app/Dockerfile && echo '<h1>hi</h1>' > app/index.html\n`);
  await page.locator('.files [data-path="app/Dockerfile"]').waitFor({ timeout: 30_000 });
  await page.locator('.files [data-path="app/Dockerfile"] .name').click();
  await page.locator('.cm-content', { hasText: 'FROM busybox' }).waitFor({ timeout: 30_000 });
  await page.locator('.pane:not(.hidden) .xterm').click();
  await type('docker build -t web app && docker run -d --name web -p 8080:80 -v data:/data web && docker ps\n');
  await page.waitForFunction(() => document.querySelector('.pane:not(.hidden) .xterm-rows')?.textContent?.includes('->80/tcp'), null, { timeout: 120_000 });
  await page.locator('[data-volume="data"]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'public/screenshot.png' });
  console.log('saved public/screenshot.png');
} finally {
  await browser.close();
  await server.close();
}
