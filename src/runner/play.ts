// npm run play -- [--verbose] [--cold] [--api-socket PATH] ['<shell command>']
// Boots the guest (from the snapshot cache when it can), runs the command in a bash login shell,
// streams its output and exits with its code. Without a command: an interactive guest shell.
// SIGINT, SIGTERM and SIGHUP end every mode as a clean exit does (the Docker host checkpointed),
// with 128 + the signal's number.
import type { ByteSink, ByteSource, GuestProcess } from '../protocol/guest/port.ts';
import { loginShell, shellExitCode } from '../worker/vm/shell.ts';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { listenApiSocket } from './api-socket.ts';
import { listenExitSignals } from './exit-signals.ts';
import { startGuest, type NodeGuest } from './guest.ts';

const usage = `Usage: npm run play -- [--verbose] [--cold] [--api-socket PATH] ['<shell command>']

Runs the command in a bash login shell on the Slipway guest and exits with its exit code.
Without a command, attaches this terminal to an interactive guest shell (Ctrl-D ends it).

  --verbose          show the guest's boot log and protocol diagnostics on stderr
  --cold             ignore the cached boot snapshot (and replace it)
  --api-socket PATH  also serve the Docker Engine API on this unix socket of this machine, so
                     host tools drive the daemon: DOCKER_HOST=unix://PATH docker ps. Without a
                     command and without a terminal, serves until SIGINT/SIGTERM/SIGHUP.

SIGINT, SIGTERM or SIGHUP saves the workspace, volumes and containers' changes, then exits with
128 + the signal's number.

State (snapshot cache, the Docker host's store) lives in $SLIPWAY_HOME (default .slipway/).
SLIPWAY_WARM_UP=0 skips the containers run after boot to warm the emulator's JIT up (tests that
restart the runner often, where they only compete with the first requests).
`;

async function main(argv: string[]): Promise<number> {
  let verbose = false;
  let coldBoot = false;
  let apiSocket: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--verbose' || arg === '-v') verbose = true;
    else if (arg === '--cold') coldBoot = true;
    else if (arg === '--api-socket' || arg.startsWith('--api-socket=')) {
      apiSocket = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!apiSocket) {
        process.stderr.write('slipway: --api-socket needs a path\n');
        return 125;
      }
    }
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(usage);
      return 0;
    } else words.push(arg);
  }
  const command = words.length > 0 ? words.join(' ') : undefined;
  const interactive = command === undefined;
  const tty = process.stdin.isTTY && process.stdout.isTTY;
  // Heard from the start: a signal during the boot must not kill the runner without its answer.
  const signalled = listenExitSignals().received.then((signo) => {
    // After a hangup the terminal is gone: output written while stopping must not crash the exit.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    return 128 + signo;
  });
  const booted = await Promise.race([startGuest({ verbose, coldBoot, warmUp: process.env.SLIPWAY_WARM_UP !== '0' }), signalled]);
  // Nothing is saved before the guest is up, and whatever the boot commits to the store, it
  // commits atomically: exit at once.
  if (typeof booted === 'number') return booted;
  const guest = booted;
  let closeListener = async () => {};
  try {
    if (apiSocket) {
      const listener = await listenApiSocket(resolve(apiSocket), guest.daemon.http);
      closeListener = () => listener.close();
      process.once('exit', () => rmSync(listener.path, { force: true }));
      if (verbose) process.stderr.write(`[slipway] Engine API on unix://${listener.path}\n`);
      // Serves until a signal.
      if (interactive && !tty) return await signalled;
    }
    if (interactive && !tty) {
      // No terminal to attach: read the script from stdin instead, like `bash -s`.
      return await runWith(guest, loginShell('exec bash -l -s', undefined, process.env.TERM), false, verbose, signalled);
    }
    if (verbose) process.stderr.write(`[slipway] ${guest.report.mode} boot: ${guest.report.bootMs.toFixed(0)} ms\n`);
    const pty = tty ? { rows: process.stdout.rows ?? 24, cols: process.stdout.columns ?? 80 } : undefined;
    return await runWith(guest, loginShell(command, pty, process.env.TERM), tty, verbose, signalled);
  } finally {
    // A clean exit and a signal alike shut the Docker host down (checkpointed).
    await closeListener();
    await guest.stop();
  }
}

/** Runs the shell until it exits (its exit code) or a signal comes (128 + its number). */
async function runWith(
  guest: NodeGuest,
  options: ReturnType<typeof loginShell>,
  tty: boolean,
  verbose: boolean,
  signalled: Promise<number>,
): Promise<number> {
  let proc: GuestProcess;
  try {
    proc = await guest.machine.connection.spawn(options);
  } catch (e) {
    process.stderr.write(`slipway: cannot start the guest shell: ${(e as Error).message}\n`);
    return 125;
  }
  const restore = tty ? attachTerminal(proc) : () => {};
  const forwarding = forwardStdin(proc.stdin, tty);
  let stopping = false;
  const ended = (async () => {
    try {
      await Promise.all([pipeTo(proc.stdout, process.stdout), pipeTo(proc.stderr, process.stderr)]);
      return shellExitCode(await proc.exited);
    } catch (e) {
      // Once a signal stops the guest, its streams end this way; that is no news.
      if (stopping) return 125;
      process.stderr.write(`slipway: guest connection lost: ${(e as Error).message}\n`);
      if (verbose) process.stderr.write(guest.machine.serialLog);
      return 125;
    }
  })();
  try {
    return await Promise.race([ended, signalled.then((code) => ((stopping = true), code))]);
  } finally {
    // The terminal back to normal before the checkpoint, which may take a while.
    restore();
    forwarding.stop();
  }
}

async function pipeTo(source: ByteSource, sink: NodeJS.WriteStream): Promise<void> {
  for await (const chunk of source) {
    if (!sink.write(chunk)) await new Promise((resolve) => sink.once('drain', resolve));
  }
}

function forwardStdin(sink: ByteSink, tty: boolean): { stop(): void } {
  const stdin = process.stdin;
  if (!tty && stdin.isTTY) {
    // A terminal on stdin but a pipe on stdout: the command gets no input, as with `ssh -n`.
    sink.end();
    return { stop: () => {} };
  }
  const onData = (chunk: Buffer) => {
    stdin.pause();
    sink.write(new Uint8Array(chunk)).then(
      () => stdin.resume(),
      () => {},
    );
  };
  const onEnd = () => sink.end();
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  return {
    stop: () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      stdin.unref?.();
    },
  };
}

function attachTerminal(proc: GuestProcess): () => void {
  process.stdin.setRawMode(true);
  const onResize = () => proc.resize(process.stdout.rows, process.stdout.columns);
  process.stdout.on('resize', onResize);
  return () => {
    process.stdout.off('resize', onResize);
    try {
      process.stdin.setRawMode(false);
    } catch {
      // The terminal hung up (SIGHUP): there is no mode left to restore.
    }
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`slipway: ${e.message}\n`);
    process.exit(125);
  },
);
