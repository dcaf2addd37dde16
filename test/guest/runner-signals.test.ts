// The runner stopped by a signal, as a terminal, a service manager or a crash stops it: SIGTERM,
// SIGINT and SIGHUP checkpoint and exit 128 + the signal's number in every mode, and what the
// guest wrote to /root and the store holds is there after even a SIGKILL, for the next runner.
// The scenarios run in order on one $SLIPWAY_HOME, each runner finding the previous one's file.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/node.ts';
import { testHome } from './harness.ts';

let home: string;
/** Runners a failed scenario left behind are killed, or the next one finds the store locked. */
const runners = new Set<Runner>();

beforeAll(() => {
  // A store of its own (other runner tests share testHome's), the boot snapshot shared.
  home = mkdtempSync(join(tmpdir(), 'slipway-signals-'));
  mkdirSync(join(testHome, 'snapshots'), { recursive: true });
  symlinkSync(join(testHome, 'snapshots'), join(home, 'snapshots'));
});

afterEach(() => {
  for (const runner of runners) if (runner.child.exitCode === null && runner.child.signalCode === null) group(runner, 'SIGKILL');
  runners.clear();
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Resolves once the store's saved workspace (its record, then its tar blob) holds `text`. */
async function storedWorkspaceContains(text: string): Promise<void> {
  const store = join(home, 'store');
  for (;;) {
    for (const name of readdirSync(join(store, 'meta'), { withFileTypes: true })) {
      if (!name.isFile() || !name.name.endsWith('.json')) continue; // not a record being written
      let record: { key?: string; value?: { digest?: string } };
      try {
        record = JSON.parse(readFileSync(join(store, 'meta', name.name), 'utf8')) as typeof record;
      } catch {
        continue; // being replaced
      }
      const digest = record.key === 'tree/workspace' ? record.value?.digest : undefined;
      if (digest && readFileSync(join(store, 'blobs', 'sha256', digest.slice(7))).includes(text)) return;
    }
    await sleep(50);
  }
}

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
  const runner = { child, printed, exited };
  runners.add(runner);
  return runner;
}

const group = (runner: Runner, signal: NodeJS.Signals) => process.kill(-runner.child.pid!, signal);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('npm run play stopped by a signal', () => {
  it('SIGTERM during a one-shot command: exits 143 after storing the workspace', async () => {
    const runner = play(['echo by-term > /root/term.txt && echo written && sleep 600']);
    await runner.printed('written\n');
    runner.child.kill('SIGTERM');
    expect(await runner.exited).toEqual({ code: 143, stderr: '' });
  }, 120_000);

  it('SIGKILL once a guest write is stored (script on stdin): the next runner has the file', async () => {
    const runner = play([]);
    runner.child.stdin.write('docker ps >/dev/null; cat /root/term.txt; echo by-kill > /root/kill.txt; echo written\n');
    expect(await runner.printed('written\n')).toBe('by-term\nwritten\n');
    // The kill comes once the store holds the write (how long that takes is a bench figure,
    // durability_lag_ms, not something a loaded test machine can time).
    const written = Date.now();
    await storedWorkspaceContains('by-kill\n');
    console.log(`runner-signals: /root write stored ${Date.now() - written} ms after the shell said so`);
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
