// Time from a `docker run -d -p …` typed in a guest shell to the first HTTP 200 on the published
// port, as a user polling `curl localhost:PORT` would see it: each probe is a TCP connection to
// the guest's published port (the agent's listener, then the engine's relay into the
// container). Probes come from the host, so the polling itself costs the guest no forks.
import { readText } from '../../src/lib/streams.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { shellEnv } from '../../src/worker/vm/shell.ts';

/**
 * A refused probe still costs the guest an accept, a connect over the bridge and two closes
 * (~20 ms of emulated CPU): polling every 100 ms took python's start from ~8 s to ~20 s on a
 * loaded host. Every 250 ms costs little and reads the figure to a quarter second.
 */
const PROBE_INTERVAL_MS = 250;
/** A cold interpreter on a loaded machine can take a minute; past this the figure is a failure. */
const GIVE_UP_MS = 180_000;

/** One `GET /` over the published port: the status line, or null when nothing answered. */
async function probe(guest: NodeGuest, port: number): Promise<string | null> {
  let socket;
  try {
    socket = await guest.machine.port.connect('127.0.0.1', port);
  } catch {
    return null;
  }
  try {
    await socket.input.write(new TextEncoder().encode('GET / HTTP/1.0\r\nHost: localhost\r\n\r\n'));
    socket.input.end();
    const answer = await readText(socket.output);
    return answer ? answer.slice(0, answer.indexOf('\r\n')) : null;
  } catch {
    return null;
  } finally {
    socket.close();
  }
}

/** Milliseconds from sending `command` to a guest shell until GET / on `port` answers 200. */
export async function httpReadyMs(guest: NodeGuest, command: string, port: number): Promise<number> {
  const shell = await guest.machine.port.spawn({ argv: ['/bin/bash', '--norc', '--noprofile', '-c', command], env: shellEnv(), cwd: '/root' });
  shell.stdin.end();
  const output = Promise.all([readText(shell.stdout), readText(shell.stderr)]);
  const started = performance.now();
  while (performance.now() - started < GIVE_UP_MS) {
    const status = await probe(guest, port);
    if (status && /^HTTP\/1\.[01] 200\b/.test(status)) {
      const ready = performance.now() - started;
      await shell.exited;
      return ready;
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
  const [stdout, stderr] = await output;
  throw new Error(`no HTTP 200 on port ${port} within ${GIVE_UP_MS} ms after: ${command}\n${stdout}${stderr}`);
}
