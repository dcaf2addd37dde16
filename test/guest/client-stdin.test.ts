// The guest `docker` client leaves stdin and the terminal alone until the daemon opens stdin
// (STDIN_OPEN): a script's next lines stay for the next command, as with Docker's CLI without -i.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readText } from '../../src/lib/streams.ts';
import { nodePlatform } from '../../src/platform/node.ts';
import type { ClientSession, Disposable } from '../../src/protocol/guest/port.ts';
import { Machine } from '../../src/worker/vm/machine.ts';
import { loginShell, shellExitCode } from '../../src/worker/vm/shell.ts';
import { readUntil, testHome } from './harness.ts';

// The sessions are served by each test's own handler instead of the engine: this is about the
// client and the protocol, whatever the daemon does with the command.
let machine: Machine;
beforeAll(async () => {
  machine = (await Machine.boot({ platform: nodePlatform(testHome) })).machine;
});
afterAll(() => machine?.stop());

async function shell(command: string, stdin: string) {
  const proc = await machine.port.spawn(loginShell(command));
  await proc.stdin.write(stdin);
  proc.stdin.end();
  const [stdout, stderr, status] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited]);
  return { stdout, stderr, code: shellExitCode(status) };
}

/** Serves sessions with `handler` instead of the daemon for the duration of `body`. */
async function withSessions<T>(handler: (session: ClientSession) => Promise<void>, body: () => Promise<T>): Promise<T> {
  const serving: Disposable = machine.port.onSession((session) => void handler(session));
  try {
    return await body();
  } finally {
    serving.dispose();
  }
}

describe('docker client stdin', () => {
  it('leaves the rest of a piped script to the shell (the daemon does not open stdin)', async () => {
    const version = async (session: ClientSession) => {
      await session.stdout.write(`Client:\n Version: ${session.request.argv.join(' ')}\n`);
      session.exit(0);
    };
    await withSessions(version, async () => {
      const r = await shell('docker version >/dev/null; read x; echo "got $x"', 'hello\n');
      expect(r).toEqual({ stdout: 'got hello\n', stderr: '', code: 0 });
      // The same through bash reading its script from stdin: docker must not swallow line 2.
      const piped = await shell('bash', 'docker version\necho after\n');
      expect(piped).toEqual({ stdout: 'Client:\n Version: version\nafter\n', stderr: '', code: 0 });
    });
  });

  it('relays stdin once the daemon opens it, until EOF', async () => {
    const echo = async (session: ClientSession) => {
      session.openStdin({ raw: false });
      for await (const chunk of session.stdin) await session.stdout.write(chunk);
      session.exit(3);
    };
    const r = await withSessions(echo, () => shell('printf "abc\\ndef\\n" | docker echo; echo "code $?"', ''));
    expect(r).toEqual({ stdout: 'abc\ndef\ncode 3\n', stderr: '', code: 0 });
  });

  it('switches a tty to raw mode only when asked, and restores it at exit', async () => {
    const mode = "stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\?icanon'";
    let got = '';
    const raw = async (session: ClientSession) => {
      session.openStdin({ raw: true });
      // Raw mode: one key arrives without Enter.
      got = new TextDecoder().decode((await session.stdin.read())!);
      session.exit(0);
    };
    await withSessions(raw, async () => {
      const proc = await machine.port.spawn(loginShell(`echo "before $(${mode})"; docker raw; echo "after $(${mode})"`, { rows: 24, cols: 80 }));
      const seen = { text: '' };
      await readUntil(proc.stdout, /before icanon\r\n/, seen);
      // Until the client is raw a key waits for Enter; keep offering one until it gets through.
      const typing = setInterval(() => void proc.stdin.write('q').catch(() => {}), 200);
      try {
        await readUntil(proc.stdout, /after icanon\r\n/, seen);
      } finally {
        clearInterval(typing);
      }
      proc.kill();
    });
    expect(got).toMatch(/^q+$/);
  });
});
