// The thin client's sessions while the daemon is still starting (the first prompt comes before
// it): a session waits for it, and a daemon that failed to start is Docker's "Cannot connect".
import { describe, expect, it } from 'vitest';
import type { ByteSink, ByteSource, ClientSession, Disposable, GuestPort } from '../protocol/guest/port.ts';
import type { Daemon } from '../engine/daemon.ts';
import { serveCliSessions } from './cli-session.ts';

const NONE: Disposable = { dispose: () => undefined };

/** A session from `docker ARGV…` recording what the client is sent and how it exits. */
function session(argv: string[]): { session: ClientSession; stdout: string[]; stderr: string[]; exited: Promise<number> } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const sink = (into: string[]): ByteSink => ({
    write: async (bytes) => void into.push(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes)),
    end: () => undefined,
  });
  const stdin: ByteSource = {
    read: () => Promise.resolve(null),
    async *[Symbol.asyncIterator]() {},
  };
  return {
    session: {
      request: { flags: 0, rows: 24, cols: 80, cwd: '/root', argv, env: [] },
      stdin,
      openStdin: () => undefined,
      stdout: sink(stdout),
      stderr: sink(stderr),
      onResize: () => NONE,
      onSignal: () => NONE,
      exit,
      disconnected: new Promise(() => undefined),
    },
    stdout,
    stderr,
    exited,
  };
}

/** A guest whose only part used here is its session listener. */
function guestWithSessions(): { guest: GuestPort; open: (s: ClientSession) => void } {
  let handler: ((s: ClientSession) => void) | null = null;
  const guest = { onSession: (h: (s: ClientSession) => void) => ((handler = h), NONE) } as Pick<GuestPort, 'onSession'>;
  return { guest: guest as GuestPort, open: (s) => handler!(s) };
}

describe('serveCliSessions', () => {
  it('answers with Docker\'s "Cannot connect" and exit 1 when the daemon failed to start', async () => {
    const { guest, open } = guestWithSessions();
    serveCliSessions(guest, Promise.reject(new Error("the Docker host's disk did not mount")));
    const client = session(['ps']);
    open(client.session);
    expect(await client.exited).toBe(1);
    expect(client.stderr.join('')).toBe('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n');
    expect(client.stdout).toEqual([]);
  });

  it('holds a session that comes before the daemon started, and runs it once it has', async () => {
    const { guest, open } = guestWithSessions();
    let started!: (daemon: Daemon) => void;
    serveCliSessions(guest, new Promise<Daemon>((resolve) => (started = resolve)));
    const client = session(['--version']);
    open(client.session);
    const early = await Promise.race([client.exited, new Promise((r) => setTimeout(() => r('waiting'), 50))]);
    expect(early).toBe('waiting');
    // `docker --version` asks the daemon nothing: the session needs only the daemon's facts.
    const daemon = { facts: { agentBuildId: 'test-build' }, noteUserActivity: () => undefined, now: () => 0, localFiles: {}, api: {} };
    started(daemon as unknown as Daemon);
    expect(await client.exited).toBe(0);
    expect(client.stdout.join('')).toMatch(/^Docker version \S+, build \S+\n$/);
  });
});
