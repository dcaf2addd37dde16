// npm run screenshot: boots the page in headless Chromium, types a command into the terminal and
// saves public/screenshot.png for the README.
import { createServer } from 'vite';
import { launchChromium } from './browser.ts';

const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
await server.listen();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 560 } });
  await page.goto(server.resolvedUrls!.local[0]!);
  await page.waitForSelector('.xterm-screen', { timeout: 120_000 });
  await page.waitForFunction(() => document.querySelector('.xterm-rows')?.textContent?.includes('root@slipway'), null, { timeout: 60_000 });
  await page.keyboard.type('docker run --rm hello-world | head -4; docker run -d --name web -p 8080:80 nginx\n', { delay: 20 });
  await page.waitForFunction(() => /[0-9a-f]{64}/.test(document.querySelector('.xterm-rows')?.textContent ?? ''), null, { timeout: 120_000 });
  await page.keyboard.type('docker ps\n', { delay: 20 });
  await page.waitForFunction(() => document.querySelector('.xterm-rows')?.textContent?.includes('->80/tcp'), null, { timeout: 30_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'public/screenshot.png' });
  console.log('saved public/screenshot.png');
} finally {
  await browser.close();
  await server.close();
}
