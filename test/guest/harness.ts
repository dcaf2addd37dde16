// Boots a real guest for scenario tests (snapshot cache shared by all test files of a run).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { readText } from '../../src/lib/streams.ts';
import { processAlive } from '../../src/platform/disk-node.ts';
import { projectRoot } from '../../src/platform/node.ts';
import { startGuest, type GuestOptions, type NodeGuest } from '../../src/runner/guest.ts';
import { loginShell, shellExitCode } from '../../src/worker/vm/shell.ts';

export const testHome = process.env.SLIPWAY_TEST_HOME ?? join(projectRoot, '.slipway/test-host');

/**
 * A guest on the test home's snapshot cache. Without a store of its own it gets one per test
 * process: the Docker host's disk lives with the store, and two emulators must not share one.
 */
export function bootGuest(options: Omit<GuestOptions, 'home'> = {}): Promise<NodeGuest> {
  return startGuest({ home: testHome, storeDir: options.storeDir ?? processStore(), ...options });
}

function processStore(): string {
  const root = join(testHome, 'stores');
  // Stores of test processes that are gone (their disks are sparse, but not free).
  for (const name of (() => {
    try {
      return readdirSync(root);
    } catch {
      return [];
    }
  })()) {
    if (Number(name) !== process.pid && !processAlive(Number(name))) rmSync(join(root, name), { recursive: true, force: true });
  }
  return join(root, String(process.pid));
}

export interface FileGuest {
  /** Stops the guest and boots a new one on the same store: a reboot of the Docker host. */
  reboot(): Promise<void>;
}

export interface FileGuestOptions {
  /** Runs once after the boot (images to pull, containers the scenarios share). */
  ready?: (guest: NodeGuest) => Promise<unknown>;
  readyTimeoutMs?: number;
  /** Removes every container (and its anonymous volumes) after each scenario. */
  cleanEach?: boolean;
}

/**
 * One booted guest shared by a test file's scenarios, on a store of its own: booted before them
 * (`set` receives it, again after a reboot), stopped and its store removed after them.
 */
export function useGuest(set: (guest: NodeGuest) => void, options: FileGuestOptions = {}): FileGuest {
  let store = '';
  let current: NodeGuest | undefined;
  const boot = async () => {
    current = await bootGuest({ storeDir: store });
    set(current);
  };
  beforeAll(async () => {
    store = mkdtempSync(join(tmpdir(), 'slipway-store-'));
    await boot();
    await options.ready?.(current!);
  }, options.readyTimeoutMs ?? 120_000);
  if (options.cleanEach) {
    afterEach(async () => {
      await sh(current!, 'docker ps -aq | xargs -r docker rm -f -v >/dev/null');
    }, 60_000);
  }
  afterAll(async () => {
    await current?.stop();
    rmSync(store, { recursive: true, force: true });
  });
  return {
    reboot: async () => {
      await current!.stop();
      await boot();
    },
  };
}

export interface ShellResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command in a bash login shell on the guest, as `npm run play -- CMD` does. */
export async function sh(guest: NodeGuest, command: string, stdin?: Uint8Array | string): Promise<ShellResult> {
  const proc = await guest.machine.port.spawn(loginShell(command));
  // Feed and read at once; a command that exits without reading all its input just ends the feed.
  const feeding = (stdin === undefined ? Promise.resolve() : proc.stdin.write(stdin)).then(
    () => proc.stdin.end(),
    (e: Error) => {
      if ((e as { code?: string }).code !== 'EPIPE') throw e;
    },
  );
  const [stdout, stderr, status] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited, feeding]);
  return { stdout, stderr, code: shellExitCode(status) };
}

/** Reads a source until its text matches `pattern` (without waiting for the end). */
export async function readUntil(source: { read(): Promise<Uint8Array | null> }, pattern: RegExp, seen = { text: '' }): Promise<string> {
  const decoder = new TextDecoder();
  while (!pattern.test(seen.text)) {
    const chunk = await source.read();
    if (chunk === null) throw new Error(`stream ended before ${pattern}; got ${JSON.stringify(seen.text)}`);
    seen.text += decoder.decode(chunk, { stream: true });
  }
  return seen.text;
}

export interface SpecOptions {
  name: string;
  args: string[];
  env?: string[];
  cwd?: string;
  memoryBytes?: number;
}

/** A minimal OCI runtime spec: the five namespaces Docker uses plus cgroup, with cgroup limits. */
export function ociSpec({ name, args, env = ['PATH=/bin'], cwd = '/', memoryBytes = 16 << 20 }: SpecOptions): string {
  return JSON.stringify({
    ociVersion: '1.0.2',
    process: { terminal: false, user: { uid: 0, gid: 0 }, args, env, cwd },
    root: { path: 'rootfs' },
    hostname: name,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/sys/fs/cgroup', type: 'cgroup2', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'mount' }, { type: 'uts' }, { type: 'ipc' }, { type: 'network' }, { type: 'cgroup' }],
      resources: { memory: { limit: memoryBytes, swap: memoryBytes }, pids: { limit: 32 } },
      cgroupsPath: `/slipway-test/${name}`,
    },
  });
}
