// Container networking plumbing in the real guest: the docker0 bridge made at boot, and
// `slipway-net up/down` giving a pinned network namespace a veth on it (what the engine does per
// container, then hands /run/netns/NAME to crun).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readText } from '../../src/lib/streams.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { shellExitCode } from '../../src/worker/vm/shell.ts';
import { bootGuest, ociSpec, sh } from './harness.ts';

let guest: NodeGuest;
beforeAll(async () => {
  // The engine's netns pool would show up in this test's counts.
  guest = await bootGuest({ warmUp: false });
});
afterAll(() => guest?.stop());

/** One spawn of a guest program, as the engine makes it (no shell in between). */
async function run(...argv: string[]) {
  const proc = await guest.machine.port.spawn({ argv });
  const [stdout, stderr, status] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited]);
  return { stdout, stderr, code: shellExitCode(status) };
}

const ok = { stdout: '', stderr: '', code: 0 };
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('container networking', () => {
  it('boots with docker0 at 172.17.0.1/16, up, and forwarding on', async () => {
    const r = await sh(guest, 'ip addr show docker0; ip route; cat /proc/sys/net/ipv4/ip_forward');
    expect(r.stdout).toMatch(/^\d+: docker0: <[A-Z-,]*\bUP\b[A-Z-,]*> /);
    expect(r.stdout).toContain('link/ether 02:42:ac:11:00:01 brd ff:ff:ff:ff:ff:ff\n');
    expect(r.stdout).toContain('inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\n');
    expect(r.stdout).toMatch(/^172\.17\.0\.0\/16 dev docker0 .*src 172\.17\.0\.1 *\n1\n$/m);
  });

  it('gives a namespace exactly lo and eth0 with the address, Docker MAC and default route', async () => {
    expect(await run('slipway-net', 'up', 'a', '--ip', '172.17.0.2/16')).toEqual(ok);
    const r = await sh(guest, 'nsenter --net=/run/netns/a ip addr; nsenter --net=/run/netns/a ip route');
    const links = [...r.stdout.matchAll(/^\d+: ([^:@]+)[@:]/gm)].map((m) => m[1]);
    expect(links).toEqual(['lo', 'eth0']);
    expect(r.stdout).toContain('link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff\n');
    expect(r.stdout).toContain('inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\n');
    expect(r.stdout).toContain('inet 127.0.0.1/8 scope host lo\n');
    // Docker turns IPv6 off on interfaces of networks without IPv6: no fe80:: on eth0.
    expect(r.stdout.slice(r.stdout.indexOf(': eth0'))).not.toContain('inet6');
    expect(r.stdout).toMatch(/^default via 172\.17\.0\.1 dev eth0 *\n172\.17\.0\.0\/16 dev eth0 .*src 172\.17\.0\.2 *\n$/m);
  });

  it('lets containers reach each other by IP, and the guest reach them (as the port relay does)', async () => {
    expect(await run('slipway-net', 'up', 'b', '--ip', '172.17.0.3/16')).toEqual(ok);
    const start = await sh(
      guest,
      'mkdir -p /tmp/www && echo "hello from b" >/tmp/www/index.html && nsenter --net=/run/netns/b httpd -p 80 -h /tmp/www',
    );
    expect(start).toEqual(ok);
    expect(await sh(guest, 'nsenter --net=/run/netns/a wget -q -O- http://172.17.0.3/')).toEqual({ ...ok, stdout: 'hello from b\n' });
    expect(await sh(guest, 'wget -q -O- http://172.17.0.3/')).toEqual({ ...ok, stdout: 'hello from b\n' });

    const socket = await guest.machine.port.connect('172.17.0.3', 80);
    await socket.input.write('GET / HTTP/1.0\r\n\r\n');
    socket.input.end();
    const response = await readText(socket.output);
    expect(response).toMatch(/^HTTP\/1\.[01] 200 OK\r\n/);
    expect(response.endsWith('\r\n\r\nhello from b\n')).toBe(true);
  });

  // The guest forwards and has no route out: it answers ICMP "net unreachable". The first SYN's
  // answer lands while connect() still holds the socket, so TCP reports it on the 1 s retransmit.
  it('fails outside connections within 2 s with "Network is unreachable" (there is no uplink)', async () => {
    const r = await sh(
      guest,
      `TIMEFORMAT=%R; time nsenter --net=/run/netns/a wget -q -O- http://8.8.8.8/; time nsenter --net=/run/netns/a nc 1.1.1.1 443 </dev/null`,
    );
    const [wget, wgetSeconds, nc, ncSeconds] = r.stderr.trim().split('\n');
    expect(wget).toBe("wget: can't connect to remote host (8.8.8.8): Network is unreachable");
    expect(nc).toBe("nc: can't connect to remote host (1.1.1.1): Network is unreachable");
    expect(Number(wgetSeconds)).toBeLessThan(2);
    expect(Number(ncSeconds)).toBeLessThan(2);
  });

  it('joins crun to the pinned namespace by path', async () => {
    const setup = await sh(
      guest,
      `set -e
       B=/tmp/netbundle
       mkdir -p $B/lower/bin $B/lower/proc $B/lower/sys $B/lower/dev $B/upper $B/work $B/rootfs
       cp "$(command -v busybox)" $B/lower/bin/busybox
       for a in sh ip wget; do ln -s busybox $B/lower/bin/$a; done
       mount -t overlay overlay -o lowerdir=$B/lower,upperdir=$B/upper,workdir=$B/work $B/rootfs`,
    );
    expect(setup).toEqual(ok);
    const spec = JSON.parse(ociSpec({ name: 'net1', args: ['sh', '-c', 'ip -o -4 addr show eth0; wget -q -O- http://172.17.0.3/'] }));
    spec.linux.namespaces = spec.linux.namespaces.map((ns: { type: string }) => (ns.type === 'network' ? { type: 'network', path: '/run/netns/a' } : ns));
    const r = await sh(guest, 'cat > /tmp/netbundle/config.json && crun run --bundle /tmp/netbundle net1', JSON.stringify(spec));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\d+: eth0 +inet 172\.17\.0\.2\/16 brd 172\.17\.255\.255 scope global eth0.*\nhello from b\n$/);
  });

  it('makes a --network none namespace with only lo', async () => {
    expect(await run('slipway-net', 'up', 'n', '--none')).toEqual(ok);
    const r = await sh(guest, 'nsenter --net=/run/netns/n ip addr; nsenter --net=/run/netns/n wget -q -O- http://172.17.0.3/');
    expect([...r.stdout.matchAll(/^\d+: ([^:@]+)[@:]/gm)].map((m) => m[1])).toEqual(['lo']);
    expect(r.stdout).toContain('inet 127.0.0.1/8 scope host lo\n');
    expect(r.stderr).toBe("wget: can't connect to remote host (172.17.0.3): Network is unreachable\n");
  });

  it('refuses a second namespace of the same name and bad arguments, leaving nothing behind', async () => {
    expect(await run('slipway-net', 'up', 'a', '--ip', '172.17.0.9/16')).toEqual({
      stdout: '',
      stderr: 'slipway-net: /run/netns/a: network namespace already exists\n',
      code: 1,
    });
    expect(await run('slipway-net', 'up', 'x', '--ip', '172.17.0.9')).toEqual({
      stdout: '',
      stderr: 'slipway-net: invalid address 172.17.0.9 (want ADDRESS/LEN)\n',
      code: 1,
    });
    expect(await run('slipway-net', 'up', 'x', '--ip', '172.17.0.9/16', '--bridge', 'br9')).toEqual({
      stdout: '',
      stderr: 'slipway-net: bridge br9 not found\n',
      code: 1,
    });
    expect((await sh(guest, 'ls /run/netns')).stdout).toBe('a\nb\nn\n');
  });

  it('down removes the host veth and the namespace file', async () => {
    expect((await sh(guest, 'killall httpd')).code).toBe(0);
    for (const name of ['a', 'b', 'n']) expect(await run('slipway-net', 'down', name)).toEqual(ok);
    expect(await run('slipway-net', 'down', 'a')).toEqual(ok);
    const r = await sh(guest, 'ip link; ls -A /run/netns; grep -c netns /proc/mounts');
    expect([...r.stdout.matchAll(/^\d+: ([^:@]+)[@:]/gm)].map((m) => m[1])).toEqual(['lo', 'docker0']);
    expect(r.stdout.endsWith('\n0\n')).toBe(true);
  });

  it('takes one spawn each way (median of 10 reported)', async () => {
    const up: number[] = [];
    const down: number[] = [];
    for (let i = 0; i < 10; i++) {
      let t = performance.now();
      expect(await run('slipway-net', 'up', `t${i}`, '--ip', `172.17.1.${i + 2}/16`)).toEqual(ok);
      up.push(performance.now() - t);
      t = performance.now();
      expect(await run('slipway-net', 'down', `t${i}`)).toEqual(ok);
      down.push(performance.now() - t);
    }
    console.log(`slipway-net up: median ${median(up).toFixed(0)} ms, down: median ${median(down).toFixed(0)} ms (spawn round trips)`);
    expect(median(up)).toBeLessThan(1000);
    expect(median(down)).toBeLessThan(1000);
  });
});
