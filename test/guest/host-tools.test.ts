// The Docker host's own tools that tutorials type next to docker: procps ps behind `docker top`.
// Typed into a guest shell as a user would.
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
