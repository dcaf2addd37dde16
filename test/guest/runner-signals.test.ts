// The runner stopped by a signal, as a terminal, a service manager or a crash stops it: SIGTERM,
// SIGINT and SIGHUP checkpoint and exit 128 + the signal's number in every mode, and what the
// guest wrote to /root a little over a second before even a SIGKILL is there for the next runner.
// The scenarios run in order on one $SLIPWAY_HOME, each runner finding the previous one's file.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/node.ts';
import { testHome } from './harness.ts';

/** Issue 11's window: a reload (or a crash) this long after a change must keep it. */
const AFTER_CHANGE_MS = 1200;

let home: string;

beforeAll(() => {
  // A store of its own (other runner tests share testHome's), the boot snapshot shared.
  home = mkdtempSync(join(tmpdir(), 'slipway-signals-'));
  mkdirSync(join(testHome, 'snapshots'), { recursive: true });
  symlinkSync(join(testHome, 'snapshots'), join(home, 'snapshots'));
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Runner {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once stdout (or stderr) holds `text`, with all of that stream so far. */
  printed(text: string, stream?: 'stdout' | 'stderr'): Promise<string>;
  exited: Promise<{ code: number | null; stderr: string }>;
}

/**
 * What `npm run play -- ARGS` runs, in a process group of its own: a terminal signals the whole
 * group, `kill PID` the one process.
 */
function play(args: string[]): Runner {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/runner/play.ts'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, SLIPWAY_HOME: home },
    detached: true,
  });
  const output = { stdout: '', stderr: '' };
  const waiting = new Set<() => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      output[stream] += chunk;
      for (const check of [...waiting]) check();
    });
  }
  // 'close': stdio read to the end, so stderr is complete.
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stderr: output.stderr })));
  const printed = (text: string, stream: 'stdout' | 'stderr' = 'stdout') =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (!output[stream].includes(text)) return;
        waiting.delete(check);
        resolve(output[stream]);
      };
      waiting.add(check);
      check();
      void exited.then(({ code }) => reject(new Error(`runner exited ${code} before printing ${JSON.stringify(text)}: ${JSON.stringify(output)}`)));
    });
  return { child, printed, exited };
}

const group = (runner: Runner, signal: NodeJS.Signals) => process.kill(-runner.child.pid!, signal);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('npm run play stopped by a signal', () => {
  it('SIGTERM during a one-shot command: exits 143 after storing the workspace', async () => {
    const runner = play(['echo by-term > /root/term.txt && echo written && sleep 600']);
    await runner.printed('written\n');
    await sleep(AFTER_CHANGE_MS);
    runner.child.kill('SIGTERM');
    expect(await runner.exited).toEqual({ code: 143, stderr: '' });
  }, 120_000);

  it('SIGKILL 1.2 s after a guest write (script on stdin): the next runner has the file', async () => {
    const runner = play([]);
    // A docker command first, as a user's ends the engine's post-boot warm-up: while that runs
    // (~15 s) a guest process takes 0.3-1 s to start, the save's sync with it, and a guest write
    // is stored 1-2.5 s after it is made (see the report of this change).
    runner.child.stdin.write('docker ps >/dev/null; cat /root/term.txt; echo by-kill > /root/kill.txt; echo written\n');
    expect(await runner.printed('written\n')).toBe('by-term\nwritten\n');
    await sleep(AFTER_CHANGE_MS);
    group(runner, 'SIGKILL');
    expect((await runner.exited).code).toBe(null);
  }, 120_000);

  it('SIGINT to the process group (Ctrl-C), with an API socket: exits 130, socket removed', async () => {
    const socket = join(home, 'docker.sock');
    const runner = play(['--api-socket', socket, 'cat /root/kill.txt; echo written; sleep 600']);
    expect(await runner.printed('written\n')).toBe('by-kill\nwritten\n');
    expect(existsSync(socket)).toBe(true);
    group(runner, 'SIGINT');
    expect(await runner.exited).toEqual({ code: 130, stderr: '' });
    expect(existsSync(socket)).toBe(false);
  }, 120_000);

  it('SIGHUP to a runner serving the API only: exits 129', async () => {
    const socket = join(home, 'docker.sock');
    const runner = play(['--verbose', '--api-socket', socket]);
    runner.child.stdin.end();
    await runner.printed(`[slipway] Engine API on unix://${socket}\n`, 'stderr');
    group(runner, 'SIGHUP');
    expect((await runner.exited).code).toBe(129);
    expect(existsSync(socket)).toBe(false);
  }, 120_000);
});
