// The guest's `docker` thin client, answered: each session (argv, cwd, DOCKER_* environment, tty
// state, stdin) runs the CLI against the daemon's Engine API, with the guest shell's files as the
// client's (ClientFiles). Wired here, outside the daemon, because the CLI is a client of it.
import type { ClientSession, Disposable, GuestPort } from '../protocol/guest/port.ts';
import { SessionFlag } from '../protocol/guest/constants.ts';
import { runCli } from '../cli/main.ts';
import type { CommandIO } from '../cli/io.ts';
import type { Daemon } from '../engine/daemon.ts';
import { ClientLink, isClientGone } from './client-link.ts';

/** Docker's words when the client finds no daemon (docker/cli's exit code 1). */
const NO_DAEMON = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

/**
 * Answers every `docker` session the guest opens until disposed. The daemon may still be
 * starting (the first prompt comes before it): a session waits for it.
 */
export function serveCliSessions(guest: GuestPort, daemon: Daemon | Promise<Daemon>): Disposable {
  const started = Promise.resolve(daemon);
  started.catch(() => undefined); // each session reports a failed start itself
  return guest.onSession((session) => {
    // handleCliSession settles every error itself; a bug that still escapes must not take the worker down.
    void started.then(
      (running) => handleCliSession(session, running),
      async () => {
        const client = new ClientLink(session);
        await client.stderr.write(`${NO_DAEMON}\n`).catch(() => undefined);
        client.end(1);
      },
    ).catch(() => session.exit(125));
  });
}

export async function handleCliSession(session: ClientSession, daemon: Daemon): Promise<void> {
  const { argv, env, cwd, flags, rows, cols } = session.request;
  if (argv[0] !== 'version') daemon.noteUserActivity();
  const envMap = new Map(env.map((kv) => [kv.slice(0, Math.max(0, kv.indexOf('='))), kv.slice(kv.indexOf('=') + 1)]));
  const client = new ClientLink(session);
  // Docker's CLI dies on SIGINT/SIGTERM unless the command forwards signals (run, attach).
  let signalsClaimed = false;
  const defaultSignals = session.onSignal((signo) => {
    if (!signalsClaimed) client.end(128 + signo);
  });
  const io: CommandIO = {
    stdout: client.stdout,
    stderr: client.stderr,
    env: envMap,
    cwd,
    stdin: session.stdin,
    terminal: {
      stdin: (flags & SessionFlag.STDIN_TTY) !== 0,
      stdout: (flags & SessionFlag.STDOUT_TTY) !== 0,
      stderr: (flags & SessionFlag.STDERR_TTY) !== 0,
      rows: rows || 24,
      cols: cols || 80,
    },
    openStdin: (o) => session.openStdin(o),
    onResize: (l) => session.onResize(l),
    onSignal: (l) => {
      signalsClaimed = true;
      return session.onSignal(l);
    },
    disconnected: client.gone,
    files: daemon.localFiles,
  };
  let code: number;
  try {
    code = await runCli(argv, io, { api: daemon.api, clientBuildId: daemon.facts.agentBuildId, now: () => daemon.now() });
  } catch (e) {
    // The client went away mid-command: nothing left to tell it.
    if (!isClientGone(e)) await client.stderr.write(`docker: ${(e as Error).message}\n`).catch(() => undefined);
    code = 125;
  } finally {
    defaultSignals.dispose();
  }
  client.end(code);
}
