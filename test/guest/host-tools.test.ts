// The Docker host's own tools that tutorials type next to docker: procps ps behind `docker top`,
// sudo. Typed into a guest shell as a user would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { bootGuest, sh } from './harness.ts';

let guest: NodeGuest;
let store: string;

beforeAll(async () => {
  store = mkdtempSync(join(tmpdir(), 'slipway-store-'));
  guest = await bootGuest({ storeDir: store });
}, 120_000);

afterAll(async () => {
  await guest?.stop();
  rmSync(store, { recursive: true, force: true });
});

describe('docker top', () => {
  beforeAll(async () => {
    expect((await sh(guest, 'docker run -d --name topped busybox sleep 1000')).code).toBe(0);
  }, 120_000);
  afterAll(() => sh(guest, 'docker rm -f topped'), 60_000);

  it('shows ps -ef columns by default, only for the container', async () => {
    const r = await sh(guest, 'docker top topped');
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^UID {3,}PID {3,}PPID {3,}C {3,}STIME {3,}TTY {3,}TIME {3,}CMD$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^root {3,}\d+ {3,}\d+ {3,}\d+ {3,}\d\d:\d\d {3,}\? {3,}\d\d:\d\d:\d\d {3,}sleep 1000$/);
  }, 60_000);

  it('passes BSD and Unix options on to procps ps', async () => {
    const aux = await sh(guest, 'docker top topped aux');
    expect(aux.code).toBe(0);
    const [header, ...rows] = aux.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^USER\s+PID\s+%CPU\s+%MEM\s+VSZ\s+RSS\s+TTY\s+STAT\s+START\s+TIME\s+COMMAND$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^root\s+\d+\s+[\d.]+\s+[\d.]+\s+\d+\s+\d+\s+\?\s+S\w*\s+\d\d:\d\d\s+\d+:\d\d\s+sleep 1000$/);
    const label = await sh(guest, 'docker top topped -axZ');
    expect(label.code).toBe(0);
    expect(label.stdout).toMatch(/^LABEL\s+PID\s+TTY\s+STAT\s+TIME\s+COMMAND\n-\s+\d+\s+\?\s+S\w*\s+\d+:\d\d\s+sleep 1000\n$/);
  }, 60_000);

  it("answers ps's and moby's errors", async () => {
    expect(await sh(guest, 'docker top topped -o user,comm')).toEqual({ stdout: '', stderr: "Error response from daemon: Couldn't find PID field in ps output\n", code: 1 });
    expect(await sh(guest, 'docker top topped -o user=PID')).toEqual({ stdout: '', stderr: 'Error response from daemon: specifying "user=PID" is not allowed\n', code: 1 });
    const bad = await sh(guest, 'docker top topped -Q');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error response from daemon: error: /);
  }, 60_000);

  it('runs procps ps from bash, not the busybox applet', async () => {
    expect((await sh(guest, 'type -p ps; ps -o pid= -p 1')).stdout).toMatch(/^\/usr\/bin\/ps\n +1\n$/);
  }, 60_000);
});

describe('sudo', () => {
  it('runs the command as root with its exit code (seed 004)', async () => {
    const hello = await sh(guest, 'sudo docker run --rm hello-world | head -n 2');
    expect(hello.stdout).toMatch(/^\nHello from \w+!\n$/);
    expect(hello.code).toBe(0);
    expect(await sh(guest, `sudo -E sh -c 'id -u; exit 3'`)).toEqual({ stdout: '0\n', stderr: '', code: 3 });
    expect(await sh(guest, 'sudo -u root -- echo a -n b')).toEqual({ stdout: 'a -n b\n', stderr: '', code: 0 });
    expect(await sh(guest, 'sudo GREETING=hi sh -c \'echo "$GREETING"\'')).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
  }, 120_000);

  it('-i and -s run a shell; -u switches to a passwd user', async () => {
    expect(await sh(guest, 'cd /tmp && sudo -i pwd')).toEqual({ stdout: '/root\n', stderr: '', code: 0 });
    expect(await sh(guest, 'echo \'echo "in $0"\' | sudo -s')).toEqual({ stdout: 'in /bin/bash\n', stderr: '', code: 0 });
    expect(await sh(guest, 'sudo -u nobody id')).toEqual({ stdout: 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n', stderr: '', code: 0 });
  }, 60_000);

  it('fails like sudo for unknown commands, users and options, and for non-root callers', async () => {
    expect(await sh(guest, 'sudo nosuchcmd')).toEqual({ stdout: '', stderr: 'sudo: nosuchcmd: command not found\n', code: 1 });
    expect(await sh(guest, 'sudo -u ghost true')).toEqual({ stdout: '', stderr: 'sudo: unknown user ghost\n', code: 1 });
    expect((await sh(guest, 'sudo --frobnicate true')).code).toBe(1);
    const asNobody = await sh(guest, "su -s /bin/sh nobody -c 'sudo true'");
    expect(asNobody.code).toBe(1);
    expect(asNobody.stderr).toMatch(/^sudo: nobody is not root/);
  }, 60_000);
});
