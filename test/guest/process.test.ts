// Processes through the agent: exit codes, signals, ptys, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Errno } from '../../src/protocol/guest/constants.ts';
import { GuestSpawnError } from '../../src/protocol/guest/port.ts';
import { readText } from '../../src/lib/streams.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { bootGuest, readUntil, sh } from './harness.ts';

let guest: NodeGuest;
beforeAll(async () => {
  guest = await bootGuest();
});
afterAll(() => guest?.stop());

describe('guest processes', () => {
  it('reports exit codes', async () => {
    expect(await sh(guest, 'exit 7')).toEqual({ stdout: '', stderr: '', code: 7 });
    expect(await sh(guest, 'echo out; echo err >&2; false')).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 1 });
  });

  it('reports death by signal', async () => {
    const proc = await guest.machine.port.spawn({ argv: ['sh', '-c', 'kill -TERM $$'] });
    expect(await proc.exited).toEqual({ code: -1, signal: 15 });
  });

  it('delivers a signal sent from the host', async () => {
    const proc = await guest.machine.port.spawn({ argv: ['sh', '-c', 'echo ready; sleep 30'] });
    await readUntil(proc.stdout, /ready\n/);
    proc.signal(9);
    expect(await proc.exited).toEqual({ code: -1, signal: 9 });
  });

  it('fails a spawn of a missing program with ENOENT, and bash says 127', async () => {
    const missing = guest.machine.port.spawn({ argv: ['/no/such/program'] });
    await expect(missing).rejects.toBeInstanceOf(GuestSpawnError);
    await expect(missing).rejects.toMatchObject({ errno: Errno.ENOENT, message: 'exec /no/such/program: No such file or directory' });
    const r = await sh(guest, 'no-such-command');
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/no-such-command: command not found/);
  });

  it('runs on a pty of the requested size, echoes input and follows resizes', async () => {
    const proc = await guest.machine.port.spawn({
      argv: ['/bin/sh', '-c', 'stty size; read line; echo "got:$line"; stty size'],
      pty: { rows: 30, cols: 100 },
    });
    const seen = { text: '' };
    await readUntil(proc.stdout, /30 100\r\n/, seen);
    proc.resize(40, 120);
    await proc.stdin.write('hello\n');
    await readUntil(proc.stdout, /40 120\r\n/, seen);
    expect(seen.text).toBe('30 100\r\nhello\r\ngot:hello\r\n40 120\r\n');
    expect(await proc.exited).toEqual({ code: 0, signal: 0 });
  });

  it('shields the agent from the OOM killer; shells and containers keep the default score', async () => {
    const r = await sh(guest, 'for p in $(pidof slipway-agent); do cat /proc/$p/oom_score_adj; done | sort -u; cat /proc/self/oom_score_adj');
    expect(r.stdout).toBe('-999\n0\n');
  });

  it('gives the login shell the Slipway prompt, home and hostname', async () => {
    const r = await sh(guest, 'echo "$HOME $(hostname) $(pwd)"; echo "$PS1"');
    expect(r.stdout).toBe('/root slipway /root\n\\u@\\h:\\w\\$ \n');
  });

  it('answers docker version through the thin client, and 1 for unknown commands (a plain error in docker/cli)', async () => {
    const v = await sh(guest, 'docker version');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^Client:\n Version: +28\.2\.2-slipway\n API version: +1\.50\n/);
    expect(v.stdout).toContain(`\n  Kernel Version:   ${guest.report.hello.kernelRelease}\n`);
    const u = await sh(guest, 'docker frobnicate --now');
    expect(u).toEqual({
      stdout: '',
      stderr: "docker: unknown command: docker frobnicate --now\n\nRun 'docker --help' for more information\n",
      code: 1,
    });
    const sub = await sh(guest, 'ID=$(docker version | head -1); echo "[$ID]"');
    expect(sub.stdout).toBe('[Client:]\n');
  });

  it('survives garbage on the wire', async () => {
    const garbage = new Uint8Array(5000).map((_, i) => (i * 7919) & 0xff);
    garbage.set([0x53, 0x57, 0x99, 0, 1, 0, 0, 0, 0xff, 0xff, 0, 0], 100);
    guest.machine.connection.sendRaw(garbage);
    expect(await guest.machine.port.ping()).toBeGreaterThan(0);
    const proc = await guest.machine.port.spawn({ argv: ['echo', 'still here'] });
    expect(await readText(proc.stdout)).toBe('still here\n');
  });
});

describe('agent restart', () => {
  it('is restarted by /init; the host fails its streams and carries on with the new agent', async () => {
    const hello = guest.machine.connection.waitHello();
    const victim = await guest.machine.port.spawn({ argv: ['sh', '-c', 'sleep 1; kill -9 $PPID; sleep 30'] });
    const first = await hello;
    expect(first.buildId).toBe(guest.report.hello.buildId);
    await expect(victim.exited).rejects.toThrow('guest agent restarted');
    const proc = await guest.machine.port.spawn({ argv: ['echo', 'new agent'] });
    expect(await readText(proc.stdout)).toBe('new agent\n');
    expect((await sh(guest, 'docker version >/dev/null; echo $?')).stdout).toBe('0\n');
  });
});
