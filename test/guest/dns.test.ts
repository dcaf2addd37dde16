// The Docker host's DNS service in the real guest: containers ask their gateway, the agent relays
// to the engine, and with no way out a lookup fails at once instead of after resolver timeouts.
import { describe, expect, it } from 'vitest';
import type { DnsRequest } from '../../src/engine/network/dns.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

useGuest((g) => (guest = g), {
  ready: async (guest) => {
    // Images in place and v86's JIT warm: the timings below are the lookups', not a first run's.
    await sh(guest, 'docker pull -q debian >/dev/null && docker pull -q busybox >/dev/null && docker run --rm debian true');
  },
  readyTimeoutMs: 180_000,
});

/** Runs `command` in the guest shell and also reports its wall time there, in seconds. */
async function timed(command: string): Promise<{ output: string; code: number; seconds: number }> {
  const r = await sh(guest, `TIMEFORMAT=%R; { time ${command} ; } 2>/tmp/time.out; code=$?; cat /tmp/time.out >&2; exit $code`);
  const lines = r.stderr.trimEnd().split('\n');
  return { output: r.stdout + lines.slice(0, -1).join('\n'), code: r.code, seconds: Number(lines.at(-1)) };
}

/*
 * Lookups are timed inside the container, so the figure is the resolver's and not the container
 * start's, which a loaded host stretches past a second. A nameserver that does not answer costs
 * glibc and busybox 5 s per attempt: 2 s tells an answer from a timeout.
 */

/** `getent hosts NAME` in a debian container, timed there by bash. */
async function getentInContainer(runArgs: string, name: string): Promise<{ output: string; code: number; seconds: number }> {
  const r = await sh(guest, `docker run --rm ${runArgs} debian bash -c 'TIMEFORMAT=%R; time getent hosts ${name}'`);
  return { output: r.stdout, code: r.code, seconds: Number(r.stderr.trim().split('\n').at(-1)) };
}

/** `nslookup NAME` in a busybox container, timed there by busybox `time` (stdout and stderr joined). */
async function nslookupInContainer(runArgs: string, name: string): Promise<{ output: string; code: number; seconds: number }> {
  const r = await sh(guest, `docker run --rm ${runArgs} busybox time nslookup ${name} 2>&1`);
  const real = /^real\s+(\d+)m\s*([\d.]+)s$/m.exec(r.stdout);
  const output = r.stdout.replace(/^(real|user|sys)\s.*\n/gm, '');
  return { output, code: r.code, seconds: real ? Number(real[1]) * 60 + Number(real[2]) : NaN };
}

/** Questions that reached the end of the engine's resolver chain while `run` ran. */
async function questionsDuring<T>(run: () => Promise<T>): Promise<{ result: T; questions: string[] }> {
  const questions: string[] = [];
  const spy = guest.daemon.engine.dns.addResolver((r: DnsRequest) => (questions.push(`${r.question.name}/${r.question.type}@${r.server}`), null));
  try {
    return { result: await run(), questions };
  } finally {
    spy.dispose();
  }
}

describe('DNS for containers', () => {
  it('points containers at their gateway unless --dns is given; inspect keeps Dns empty', async () => {
    expect((await sh(guest, 'docker run --rm busybox cat /etc/resolv.conf')).stdout).toBe('nameserver 172.17.0.1\n');
    expect((await sh(guest, 'docker run --rm --dns 1.2.3.4 busybox cat /etc/resolv.conf')).stdout).toBe('nameserver 1.2.3.4\n');
    expect((await sh(guest, 'docker run --rm --network none busybox cat /etc/resolv.conf')).stdout).toBe('nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
    expect((await sh(guest, 'docker run --rm --network host busybox cat /etc/resolv.conf')).stdout).toBe('nameserver 127.0.0.1\n');
    await sh(guest, 'docker create --name plain busybox >/dev/null; docker create --name given --dns 1.2.3.4 busybox >/dev/null');
    expect((await sh(guest, `docker inspect -f '{{json .HostConfig.Dns}}' plain given`)).stdout).toBe('[]\n["1.2.3.4"]\n');
    await sh(guest, 'docker rm plain given >/dev/null');
  }, 120_000);

  it('fails getent for an outside name at once (exit 2), asking the engine', async () => {
    const { result, questions } = await questionsDuring(() => sh(guest, 'docker run --rm debian getent hosts example.org'));
    expect(result).toEqual({ stdout: '', stderr: '', code: 2 });
    // AAAA then A (getent's order), each tried twice: glibc moves on from SERVFAIL at once.
    expect(questions.length).toBeGreaterThan(0);
    expect(questions.length).toBeLessThanOrEqual(4);
    expect(new Set(questions)).toEqual(new Set(['example.org/28@172.17.0.1', 'example.org/1@172.17.0.1']));
    const timedLookup = await getentInContainer('', 'example.org');
    expect(timedLookup.code).toBe(2);
    expect(timedLookup.seconds).toBeLessThan(2);
  }, 60_000);

  it('makes busybox nslookup report the failure at once', async () => {
    const r = await nslookupInContainer('', 'example.org');
    expect(r.output).toContain("** server can't find example.org: SERVFAIL");
    expect(r.output).toContain('Server:\t\t172.17.0.1');
    expect(r.code).toBe(1);
    expect(r.seconds).toBeLessThan(2);
  }, 60_000);

  it('answers the guest itself and host-network containers on 127.0.0.1', async () => {
    const r = await timed('nslookup example.org 2>&1');
    expect(r.output).toContain("** server can't find example.org: SERVFAIL");
    expect(r.seconds).toBeLessThan(2);
    const host = await getentInContainer('--network host', 'example.org');
    expect(host.code).toBe(2);
    expect(host.seconds).toBeLessThan(2);
  }, 60_000);

  it('is served again by a restarted agent', async () => {
    const hello = guest.machine.connection.waitHello();
    const victim = guest.machine.port.spawn({ argv: ['sh', '-c', 'kill -9 $PPID'] });
    victim.then((p) => p.exited).catch(() => undefined);
    await hello;
    const r = await nslookupInContainer('', 'example.org');
    expect(r.output).toContain("** server can't find example.org: SERVFAIL");
    expect(r.seconds).toBeLessThan(2);
  }, 60_000);
});
