// A client may go away at any instant: Ctrl-C, a killed `docker`, a closed tab. Each streaming
// command's client is ended at 12 seeded random points (6 for an attached run) while events flow;
// the daemon must stay up, leave no subscription behind, and still remove the --rm containers
// that were in flight.
import { seeded } from '../fakes/seeded.ts';
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { loginShell } from '../../src/worker/vm/shell.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

const POINTS = 12;
/** An attached run starts a container at each point (6-8 s each on the loaded emulator): fewer. */
const RUN_POINTS = 6;
const SIGNALS = ['INT', 'TERM', 'KILL', 'HUP'] as const;

const streaming: Record<string, string> = {
  events: 'docker events',
  'events --format': "docker events --format '{{.Type}} {{.Action}}'",
  'logs -f': 'docker logs -f --tail 200 ticker',
  attach: 'docker attach --sig-proxy=false ticker',
  'run (attached, --rm)': "docker run --rm busybox sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do echo $i; sleep 0.03; done'",
  // Ends by itself: an exec outlives its client, as in Docker, and twenty endless ones would load the guest.
  exec: "docker exec ticker sh -c 'for i in $(seq 1 40); do echo y; sleep 0.01; done'",
  stats: 'docker stats ticker',
  pull: 'docker pull redis',
};

useGuest((g) => (guest = g), {
  ready: async (guest) => {
    await sh(guest, "docker pull -q busybox >/dev/null && docker run -d --name ticker busybox sh -c 'while :; do echo tick; sleep 0.05; done'");
  },
});

describe('a client going away', () => {
  it.each(Object.entries(streaming))('never takes the daemon down: %s', async (_name, command) => {
    const random = seeded(0x5eed + command.length);
    const baseline = guest.daemon.engine.events.subscriberCount;
    // Events flow the whole time (a tag comes and goes: the daemon's alone, no guest work, cheap
    // for the emulated CPU); the attached run below keeps --rm containers in flight.
    const flow = await guest.machine.port.spawn(loginShell('while :; do docker tag busybox flow >/dev/null; docker rmi flow >/dev/null; done'));
    const steps = Array.from({ length: command.startsWith('docker run') ? RUN_POINTS : POINTS }, (_, i) => {
      const delay = (random() * 0.3).toFixed(3);
      const signal = SIGNALS[i % SIGNALS.length];
      // The delay counts from the client's exec (a signal bash's child gets before it is lost
      // there, as it would be in any shell). A client still there 20 s after its signal is
      // reported (with its state) instead of hanging the test.
      return `${command} >/dev/null 2>&1 & p=$!; until [ "$(cat /proc/$p/comm 2>/dev/null)" != bash ]; do :; done; sleep ${delay}; kill -${signal} $p 2>/dev/null; w=0; while kill -0 $p 2>/dev/null && [ $w -lt 200 ]; do w=$((w+1)); sleep 0.1; done; kill -0 $p 2>/dev/null && { echo "client left running: ${signal} after ${delay} s, $(grep State /proc/$p/status)"; kill -9 $p; }; wait $p`;
    });
    // Job control on, as in a terminal: a background job of a script otherwise starts with SIGINT
    // ignored, and an early kill -INT would be lost before the client installs its handler.
    const killed = await sh(guest, ['set -m', ...steps, 'echo done'].join('\n'));
    expect(killed.stdout).toBe('done\n');
    flow.kill();
    await flow.exited.catch(() => undefined);

    // The daemon still answers, and every --rm container that was in flight goes away.
    expect((await sh(guest, 'docker version >/dev/null')).code).toBe(0);
    const deadline = Date.now() + 30_000;
    let left = '';
    do {
      left = (await sh(guest, "docker ps -a --format '{{.Names}}' | grep -vx ticker")).stdout;
    } while (left !== '' && Date.now() < deadline);
    expect(left).toBe('');
    expect((await sh(guest, "docker inspect -f '{{.State.Running}}' ticker")).stdout).toBe('true\n');
    expect(guest.daemon.engine.events.subscriberCount).toBe(baseline);
  }, 180_000);
});
