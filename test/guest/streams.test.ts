// Bulk bytes through the protocol, 9p and TCP: nothing lost, nothing reordered.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, readText } from '../../src/lib/streams.ts';
import { GUEST_SHARE_PATH } from '../../src/protocol/guest/port.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { bootGuest, readUntil, sh } from './harness.ts';

let guest: NodeGuest;
beforeAll(async () => {
  guest = await bootGuest();
});
afterAll(() => guest?.stop());

const MB10 = 10 * 1024 * 1024;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('streams', () => {
  it('carries 10 MB host → guest and guest → host byte-exact', async () => {
    const blob = new Uint8Array(randomBytes(MB10));
    const up = await sh(guest, 'cat > /tmp/blob && sha256sum /tmp/blob && wc -c < /tmp/blob', blob);
    expect(up).toEqual({ stdout: `${sha256(blob)}  /tmp/blob\n${MB10}\n`, stderr: '', code: 0 });
    const proc = await guest.machine.port.spawn({ argv: ['cat', '/tmp/blob'] });
    const down = await readAll(proc.stdout);
    expect(await proc.exited).toEqual({ code: 0, signal: 0 });
    expect(down.length).toBe(MB10);
    expect(sha256(down)).toBe(sha256(blob));
    await sh(guest, 'rm /tmp/blob');
  }, 120_000);

  it('keeps a slow reader from losing bytes (backpressure)', async () => {
    const proc = await guest.machine.port.spawn({ argv: ['sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" x'] });
    let total = 0;
    for (let chunk = await proc.stdout.read(); chunk; chunk = await proc.stdout.read()) {
      total += chunk.length;
      if (total < 600_000) await new Promise((r) => setTimeout(r, 2));
    }
    expect(total).toBe(3_000_000);
    expect((await proc.exited).code).toBe(0);
  }, 60_000);

  it('round-trips files through the 9p share', async () => {
    const bytes = new Uint8Array(randomBytes(300_000));
    await guest.machine.files.write('from-host.bin', bytes);
    const r = await sh(guest, `sha256sum < ${GUEST_SHARE_PATH}/from-host.bin; printf 'guest wrote this' > ${GUEST_SHARE_PATH}/from-guest.txt; sync`);
    expect(r).toEqual({ stdout: `${sha256(bytes)}  -\n`, stderr: '', code: 0 });
    const back = await guest.machine.files.read('from-guest.txt');
    expect(new TextDecoder().decode(back!)).toBe('guest wrote this');
  });

  it('relays TCP both ways: host connects to a guest server, guest connects to a host listener', async () => {
    const server = await guest.machine.port.spawn({ argv: ['sh', '-c', 'echo from-guest-server | nc -l -p 7001'] });
    let socket;
    for (let i = 0; ; i++) {
      try {
        socket = await guest.machine.port.connect('127.0.0.1', 7001);
        break;
      } catch (e) {
        if (i > 50) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(await readUntil(socket.output, /\n/)).toBe('from-guest-server\n');
    socket.close();
    await server.exited;

    const accepted: string[] = [];
    const done = new Promise<void>((resolve) => {
      void guest.machine.port
        .listen('127.0.0.1', 7002, (sock, peer) => {
          expect(peer.address).toBe('127.0.0.1');
          void (async () => {
            accepted.push(await readUntil(sock.output, /\n/));
            await sock.input.write('pong\n');
            sock.input.end();
            resolve();
          })();
        })
        .then((l) => expect(l.port).toBe(7002));
    });
    const client = await sh(guest, 'echo ping | nc -w 2 127.0.0.1 7002');
    await done;
    expect(accepted).toEqual(['ping\n']);
    expect(client.stdout).toBe('pong\n');
  });
});
