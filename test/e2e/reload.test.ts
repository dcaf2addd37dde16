// Ten page reloads mid-work, in one browser profile (IndexedDB kept): a reload is a reboot of the
// Docker host, and nothing confirmed before it may be lost. Reloads land the instant an editor save
// says saved, 1.5 s after containers' confirmed writes to volumes (one without a restart policy,
// one with --restart always), during a pull (fetching; downloaded), during boot (page just up;
// snapshot being restored) and at the first prompt. After each (or each short run of them) one
// terminal command checks that the shell answers, `docker ps -a` and `docker images` list without
// errors, and everything confirmed so far is there: the saved text, a file in a container's own
// layer, the volumes' files as 1..N one number a line (nothing torn, nothing missing).
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

const PROMPT = 'root@slipway';
/** The window between a confirmed write and the reload: the disk commits within ~0.5 s. */
const WINDOW_MS = 1500;
const volumeFile = (volume: string, file: string) => `/var/lib/docker/volumes/${volume}/_data/${file}`;
/** Appends 1, 2, 3… to /d/n (going on from its line count after a restart), the latest to /d/last. */
const WRITER = `sh -c 'i=$(cat /d/n 2>/dev/null | wc -l); while :; do i=$((i+1)); echo $i >> /d/n; echo $i > /d/last; sleep 0.1; done'`;

let marks = 0;

/** Types a command into the visible terminal (as one input, as a paste would: fast). */
async function type(page: Page, command: string): Promise<void> {
  await page.locator('.pane:not(.hidden) .xterm').click();
  await page.keyboard.insertText(command);
  await page.keyboard.press('Enter');
}

/**
 * Runs `script` in the guest shell on a cleared screen and returns its output lines (stdout and
 * stderr). The output is framed by markers the shell computes ($((n))), which the typed line
 * never shows; the script's output must fit on the screen.
 */
async function sh(page: Page, script: string, timeout = 60_000): Promise<string[]> {
  const n = ++marks;
  await type(page, `printf '\\033[H\\033[2J'; echo "P$((${n}))"; { ${script} ; } 2>&1; echo "Q$((${n}))"`);
  const handle = await page.waitForFunction(
    (n) => {
      const rows = Array.from(document.querySelector('.pane:not(.hidden) .xterm-rows')?.children ?? []).map((row) => row.textContent?.trim() ?? '');
      const from = rows.indexOf(`P${n}`);
      const to = rows.indexOf(`Q${n}`);
      return from >= 0 && to > from ? rows.slice(from + 1, to) : null;
    },
    n,
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as string[];
}

/**
 * Prints `TAG count/firstBadLine/endsWithNewline` for a file that must hold 1..count, one number
 * a line: a bad line is shown with its length and bytes. NUL bytes are dropped first: an append
 * the reload caught after ext4 had journaled the file's new size but before its page was written
 * reads back as NULs (as after a power cut on any Linux host), and the restarted writer appends
 * its next line after them. That append was never confirmed; every confirmed line must be there.
 */
const checkCounter = (tag: string, file: string) =>
  `echo "${tag} $(tr -d '\\000' < ${file} | awk 'BEGIN{b=0} b==0 && $0!=NR {b=NR": "length($0)" bytes: "$0} END{print NR"/"b}')/$(tr -d '\\000' < ${file} | tail -c1 | wc -l)"`;

/**
 * Types `command` and resolves with the first of `texts` the terminal shows, however briefly: pull
 * progress lines are redrawn in place, so each screen change is looked at (a MutationObserver).
 */
async function typeUntilShown(page: Page, command: string, texts: string[], timeout: number): Promise<string> {
  await page.evaluate((texts) => {
    const rows = document.querySelector('.pane:not(.hidden) .xterm-rows')!;
    const w = window as unknown as { shown?: string | null };
    w.shown = null;
    const observer = new MutationObserver(() => {
      w.shown = texts.find((t) => rows.textContent?.includes(t)) ?? null;
      if (w.shown) observer.disconnect();
    });
    observer.observe(rows, { childList: true, subtree: true, characterData: true });
  }, texts);
  await type(page, command);
  const handle = await page.waitForFunction(() => (window as unknown as { shown?: string | null }).shown ?? null, null, { timeout, polling: 20 });
  return (await handle.jsonValue()) as string;
}

/** The count of a counter file checked by checkCounter, or an error with what is wrong. */
function counted(line: string | undefined, file: string): number {
  const m = /^\S+ (\d+)\/0\/1$/.exec(line ?? '');
  if (!m) throw new Error(`${file} is not 1..N one a line: ${line}`);
  return Number(m[1]);
}

describe('page reloads', () => {
  it('lose nothing confirmed over ten reloads mid-work', async () => {
    const started = Date.now();
    const context = await harness.browser.newContext({ locale: 'en-US', viewport: { width: 1300, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const log: string[] = [];
    const note = (line: string) => {
      log.push(line);
      if (process.env.SLIPWAY_E2E_VERBOSE) console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${line}`);
    };
    let reloads = 0;

    /** Reloads now; with `ready` (the default), waits for the prompt and says how long it took. */
    async function reload(why: string, ready = true): Promise<void> {
      reloads++;
      const at = Date.now();
      await page.reload({ waitUntil: 'commit' });
      marks = 0;
      if (ready) await waitForScreen(page, PROMPT, 120_000);
      note(`reload ${reloads} (${why})${ready ? `: prompt after ${Date.now() - at} ms` : ''}`);
    }

    /** What must be there after every reload from now on. */
    let notes: string | null = null;
    let dataAtLeast = 0; // w (no restart policy) wrote 1..N to data/n, N ≥ this…
    let dataCount = 0; // …and exactly this many once seen after its reboot: it is exited since
    let rdataAtLeast = 0; // rw (--restart always) writes 1..N to rdata/n, N ≥ this
    let rdataSeen = 0;
    const expectedImages: string[] = [];
    let layerMade = false;

    /**
     * One terminal round trip: the terminal answers, `docker ps -a` and `docker images` list with
     * nothing else printed, and every file confirmed so far is there. `rwRunning`: then waits for
     * rw to be running again; `lay`: a command printing lay's /f.
     */
    async function verify(label: string, { rwRunning = false, lay = '' } = {}): Promise<void> {
      const t = Date.now();
      const script = [
        `docker ps -a --format 'c {{.Names}} {{.State}}' && docker images --format 'i {{.Repository}}:{{.Tag}}' && echo ok`,
        notes !== null ? 'echo "f $(cat notes.txt)"' : '',
        dataAtLeast ? checkCounter('d', volumeFile('data', 'n')) : '',
        rdataAtLeast ? checkCounter('r', volumeFile('rdata', 'n')) : '',
        lay ? `echo "l $(${lay})"; echo "l $(docker diff lay | tr '\\n' ' ')"` : '',
      ].filter(Boolean);
      const out = await sh(page, script.join('; '));
      const answered = Date.now() - t;
      const tagged = (tag: string) => out.filter((line) => line.startsWith(`${tag} `)).map((line) => line.slice(tag.length + 1));
      expect(out.filter((line) => !/^[cidfrl] |^ok$/.test(line)), `${label}: unexpected output`).toEqual([]);
      expect(out, `${label}: docker ps -a && docker images`).toContain('ok');
      const states = new Map(tagged('c').map((line) => line.split(' ') as [string, string]));
      for (const image of expectedImages) expect(tagged('i'), `${label}: docker images`).toContain(image);
      if (notes !== null) expect(tagged('f')[0], `${label}: notes.txt`).toBe(notes);
      if (layerMade) expect(states.get('lay'), `${label}: lay in docker ps -a`).toBe('exited');
      if (lay) {
        expect(tagged('l')[0], `${label}: lay's /f, from its layer`).toBe('kept-42');
        expect(tagged('l')[1], `${label}: docker diff lay`).toContain('A /f');
      }
      if (dataAtLeast) {
        expect(states.get('w'), `${label}: w in docker ps -a`).toBe('exited');
        const n = counted(out.find((line) => line.startsWith('d ')), 'data/n');
        expect(n, `${label}: lines of data/n (${dataAtLeast} confirmed)`).toBeGreaterThanOrEqual(dataAtLeast);
        if (dataCount) expect(n, `${label}: lines of data/n, unchanged since w stopped`).toBe(dataCount);
        dataCount = n;
      }
      if (rdataAtLeast) {
        expect(['running', 'restarting'], `${label}: rw in docker ps -a`).toContain(states.get('rw'));
        const n = counted(out.find((line) => line.startsWith('r ')), 'rdata/n');
        expect(n, `${label}: lines of rdata/n (${rdataAtLeast} confirmed)`).toBeGreaterThanOrEqual(rdataAtLeast);
        rdataSeen = n;
        if (rwRunning) await page.locator('[data-container="rw"][data-state="running"]').waitFor({ timeout: 60_000 });
      }
      note(`  checked in ${Date.now() - t} ms (terminal ${answered} ms)${dataCount ? `; data/n ${dataCount} lines` : ''}${rdataSeen ? `; rdata/n ${rdataSeen} lines` : ''}`);
    }

    /** Values the writers have written to these volumes (their `echo` returned), 1.5 s ago. */
    async function confirmedWrites(...volumes: string[]): Promise<number[]> {
      const read = (volume: string) => `until v=$(cat ${volumeFile(volume, 'last')} 2>/dev/null) && [ -n "$v" ]; do sleep 0.05; done; echo $v`;
      const out = await sh(page, volumes.map(read).join('; '));
      expect(out, `${volumes.join(', ')}: last`).toEqual(volumes.map(() => expect.stringMatching(/^\d+$/)));
      await page.waitForTimeout(WINDOW_MS);
      return out.map(Number);
    }

    /** Writes `text` over the file open in the editor, saves, and returns once it says saved. */
    async function editAndSave(path: string, text: string): Promise<void> {
      await page.locator('.cm-content').click();
      await page.keyboard.press('Control+a');
      await page.keyboard.type(text, { delay: 2 });
      expect(await page.locator('.editor .path').textContent()).toBe(`${path} •`);
      await page.keyboard.press('Control+s');
      await page.locator('.editor .path', { hasText: new RegExp(`^${path.replace('.', '\\.')}$`) }).waitFor({ timeout: 30_000 });
    }

    try {
      // 1. The first visit, reloaded as soon as the boot view is up (a cold boot: kernel download).
      await page.goto(harness.url);
      await page.locator('.boot-view').waitFor({ timeout: 30_000 });
      await reload('first visit, boot view just up');
      await verify('after reload 1');

      // 2. An editor save of a new file, reloaded the instant it says saved.
      page.once('dialog', (dialog) => void dialog.accept('notes.txt'));
      await page.locator('[data-action="new-file"]').click();
      await page.locator('.editor[data-path="notes.txt"]').waitFor({ timeout: 30_000 });
      await editAndSave('notes.txt', 'first words, saved');
      await reload('right after an editor save');
      notes = 'first words, saved';
      await verify('after reload 2');

      // 3. A file in a container's own layer; then two containers writing to volumes, one without a
      // restart policy (exited after the reboot) and one with --restart always (running again, and
      // counting on); the reload comes 1.5 s after a value each has written.
      await type(page, `docker run --name lay busybox sh -c 'cat /f 2>/dev/null || echo kept-$((6*7)) > /f'`);
      await page.locator('[data-container="lay"][data-state="exited"]').waitFor({ timeout: 60_000 });
      expectedImages.push('busybox:latest');
      await type(page, `docker run -d --name w -v data:/d busybox ${WRITER} && docker run -d --name rw --restart always -v rdata:/d busybox ${WRITER}`);
      await page.locator('[data-container="rw"][data-state="running"]').waitFor({ timeout: 60_000 });
      [dataAtLeast, rdataAtLeast] = (await confirmedWrites('data', 'rdata')) as [number, number];
      await reload(`1.5 s after w wrote ${dataAtLeast} and rw ${rdataAtLeast}`);
      layerMade = true;
      // lay's /f, read from its layer on the disk.
      await verify('after reload 3', { rwRunning: true, lay: `cat "$(docker inspect -f '{{.GraphDriver.Data.UpperDir}}' lay)/f"` });

      // 4. During a pull, as it starts fetching the layer.
      const fetching = await typeUntilShown(page, 'docker pull debian', ['Pulling fs layer', 'Downloading', 'Verifying Checksum'], 60_000);
      await reload(`docker pull debian: ${fetching}`);
      await verify('after reload 4');

      // 5, 6. An editor save again (replacing the text) while rw writes; then during the boot that
      // follows, as the page shows the snapshot being restored.
      await page.locator('[data-container="rw"][data-state="running"]').waitFor({ timeout: 60_000 });
      await page.locator('.files [data-path="notes.txt"] .name').click();
      await page.locator('.cm-content', { hasText: notes }).waitFor({ timeout: 30_000 });
      await editAndSave('notes.txt', 'second words, saved too');
      await reload('right after an editor save, rw writing', false);
      notes = 'second words, saved too';
      await page.locator('.boot-view[data-mode="snapshot"]').waitFor({ timeout: 30_000 });
      await reload('during boot, restoring the snapshot');
      await verify('after reload 6');

      // 7. During the pull again, once its layer is downloaded (stored, not yet unpacked).
      const stored = await typeUntilShown(page, 'docker pull debian', ['Download complete', 'Extracting', 'Pull complete'], 60_000);
      await reload(`docker pull debian: ${stored}`);
      await verify('after reload 7');
      // The twice interrupted pull completes now, and the image runs.
      const pulled = await sh(page, `docker pull debian | tail -n 1 && docker run --rm debian sh -c 'echo deb-$((6*7))'`, 120_000);
      expect(pulled).toEqual(['docker.io/library/debian:latest', 'deb-42']);
      expectedImages.push('debian:latest');
      note('  debian pulled and ran');

      // 8, 9, 10. rw again, 1.5 s after a value it wrote; then during the boot that follows, as soon
      // as the page is up; then at the first prompt, as the engine brings rw back.
      rdataAtLeast = (await confirmedWrites('rdata'))[0]!;
      await reload(`1.5 s after rw wrote ${rdataAtLeast}`, false);
      await page.locator('.boot-view').waitFor({ timeout: 30_000 });
      await reload('during boot, page just up');
      await reload('at the first prompt');
      // lay's /f, by the container itself (it writes /f only when /f is missing).
      await verify('after reload 10', { rwRunning: true, lay: 'docker start -a lay' });
    } catch (e) {
      // What the test saw last, for the report.
      const screen = await page.locator('.pane:not(.hidden) .xterm-rows > div').allTextContents().catch(() => []);
      console.log(`${log.join('\n')}\nscreen at the failure:\n${screen.map((row) => row.trimEnd()).join('\n')}`);
      throw e;
    }
    expect(reloads).toBe(10);
    expect(errors).toEqual([]);
    note(`total ${Date.now() - started} ms`);
    await context.close();
  }, 600_000);
});
