// `docker run` when the start fails: what is printed and the exit code, and the API calls made in
// docker/cli's order (attach and wait before start). Removing an --rm container then is the
// daemon's part (ContainerService.start, tested there), not the client's.
import { describe, expect, it } from 'vitest';
import type { AttachedStreams } from '../../../engine/api/types.ts';
import { DaemonError } from '../../../engine/container/state.ts';
import { fakeApi } from '../../testing/fake-api.ts';
import { runDocker } from '../../testing/run-docker.ts';

const ID = 'c'.repeat(64);
const OCI_ERROR = 'failed to create task for container: failed to create shim task: OCI runtime create failed: exec: "nosuch": executable file not found in $PATH: unknown';

function setup() {
  let closed = 0;
  let end!: (how: 'closed') => void;
  const streams: AttachedStreams = {
    tty: false,
    output: (async function* () {})(),
    stdin: null,
    ended: new Promise((resolve) => (end = resolve)),
    close: () => {
      closed++;
      end('closed');
    },
  };
  const { api, calls } = fakeApi({
    containerCreate: async () => ({ Id: ID, Warnings: [] }),
    containerAttach: async () => streams,
    containerWait: (_id, _options, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    containerStart: async () => {
      throw new DaemonError(OCI_ERROR, 'system');
    },
  });
  return { docker: (argv: string[]) => runDocker(api, argv), methods: () => calls.map((c) => c.method), closed: () => closed };
}

const failure = `docker: Error response from daemon: ${OCI_ERROR}\n\nRun 'docker run --help' for more information\n`;

describe('docker run whose start fails', () => {
  it.each([
    ['attached --rm', ['run', '--rm', 'busybox', 'nosuch'], '', ['containerCreate', 'containerAttach', 'containerWait', 'containerStart']],
    ['detached --rm (the ID is printed first)', ['run', '-d', '--rm', 'busybox', 'nosuch'], `${ID}\n`, ['containerCreate', 'containerStart']],
    ['attached, no --rm', ['run', 'busybox', 'nosuch'], '', ['containerCreate', 'containerAttach', 'containerWait', 'containerStart']],
    ['detached, no --rm', ['run', '-d', 'busybox', 'nosuch'], `${ID}\n`, ['containerCreate', 'containerStart']],
  ])('%s', async (_, argv, stdout, methods) => {
    const t = setup();
    expect(await t.docker(argv)).toEqual({ code: 127, stdout, stderr: failure });
    expect(t.methods()).toEqual(methods);
    expect(t.closed()).toBe(methods.includes('containerAttach') ? 1 : 0);
  });
});

describe('docker run attached', () => {
  it('prints the output in order, then exits with the code containerWait gives', async () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    let exited!: (how: 'exited') => void;
    const streams: AttachedStreams = {
      tty: false,
      output: (async function* () {
        yield { stream: 'stdout' as const, data: bytes('one\n') };
        yield { stream: 'stderr' as const, data: bytes('two\n') };
        exited('exited');
      })(),
      stdin: null,
      ended: new Promise((resolve) => (exited = resolve)),
      close: () => undefined,
    };
    const { api, calls } = fakeApi({
      containerCreate: async () => ({ Id: ID, Warnings: [] }),
      containerAttach: async () => streams,
      containerWait: async () => ({ StatusCode: 3 }),
      containerStart: async () => true,
    });
    expect(await runDocker(api, ['run', '--rm', 'busybox', 'sh'])).toEqual({ code: 3, stdout: 'one\n', stderr: 'two\n' });
    expect(calls.find((c) => c.method === 'containerWait')?.args.slice(0, 2)).toEqual([ID, { condition: 'removed' }]);
    expect(calls.find((c) => c.method === 'containerAttach')?.args).toEqual([ID, { stream: true, stdin: false, stdout: true, stderr: true }]);
  });
});

describe('docker run takes output while the start is under way', () => {
  it('does not wait for containerStart before reading (the daemon waits for its reader)', async () => {
    let taken!: () => void;
    const firstTaken = new Promise<void>((resolve) => (taken = resolve));
    let exited!: (how: 'exited') => void;
    const streams: AttachedStreams = {
      tty: false,
      output: (async function* () {
        taken();
        yield { stream: 'stderr' as const, data: new TextEncoder().encode('early\n') };
        exited('exited');
      })(),
      stdin: null,
      ended: new Promise((resolve) => (exited = resolve)),
      close: () => undefined,
    };
    const { api } = fakeApi({
      containerCreate: async () => ({ Id: ID, Warnings: [] }),
      containerAttach: async () => streams,
      containerWait: async () => ({ StatusCode: 0 }),
      // Like ContainerService.start: resolves only once the output before crun's signal was taken.
      containerStart: () => firstTaken.then(() => true),
    });
    expect(await runDocker(api, ['run', 'busybox', 'sh'])).toEqual({ code: 0, stdout: '', stderr: 'early\n' });
  });
});
