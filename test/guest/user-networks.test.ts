// User-defined networks on the real guest: containers on one reach each other by name and alias
// through the Docker host's DNS; a container on another network, or on the default bridge, can
// neither resolve nor reach them; `--network container:` shares one's namespace; a network in use
// cannot be removed; networks and names survive a reboot.
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

const host = useGuest((g) => (guest = g), { readyTimeoutMs: 180_000, ready: (g) => sh(g, 'docker pull -q busybox') });

describe('user-defined networks', () => {
  it('lets containers on a network reach each other by name and alias, and nobody else', async () => {
    const made = await sh(guest, 'docker network create appnet && docker network create --subnet 10.50.0.0/24 --label tier=back othernet');
    expect(made.stdout).toMatch(/^[0-9a-f]{64}\n[0-9a-f]{64}\n$/);
    expect((await sh(guest, "docker network ls --format '{{.Name}} {{.Driver}} {{.Scope}}'")).stdout).toBe('appnet bridge local\nbridge bridge local\nhost host local\nnone null local\nothernet bridge local\n');
    expect((await sh(guest, "docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.Labels.tier}}' appnet othernet")).stdout).toBe('172.18.0.0/16 172.18.0.1 <no value>\n10.50.0.0/24 10.50.0.1 back\n');

    await sh(guest, 'docker run -d --name web1 --network appnet busybox sleep 600 && docker run -d --name db1 --network appnet --network-alias database busybox sleep 600');
    const byName = await sh(guest, 'docker run --rm --network appnet busybox sh -c "ping -c 1 -W 3 web1 >/dev/null && ping -c 1 -W 3 database >/dev/null && echo reached"');
    expect(byName).toEqual({ stdout: 'reached\n', stderr: '', code: 0 });
    const ip = (await sh(guest, "docker inspect -f '{{.NetworkSettings.Networks.appnet.IPAddress}}' web1")).stdout.trim();
    expect(ip).toBe('172.18.0.2');
    expect((await sh(guest, "docker inspect -f '{{json .NetworkSettings.Networks.db1}}{{json .NetworkSettings.Networks.appnet.Aliases}} {{json .NetworkSettings.Networks.appnet.DNSNames}}' db1")).stdout).toMatch(/^null\["database"\] \["db1","[0-9a-f]{12}","database"\]\n$/);

    // Another network and the default bridge: no name, and no route to the address.
    const other = await sh(guest, `docker run --rm --network othernet busybox sh -c "ping -c 1 -W 2 web1; ping -c 1 -W 2 ${ip} >/dev/null || echo unreachable"`);
    expect(other.stdout).toBe('unreachable\n');
    expect(other.stderr).toBe("ping: bad address 'web1'\n");
    const bridged = await sh(guest, `docker run --rm busybox sh -c "ping -c 1 -W 2 web1; ping -c 1 -W 2 ${ip} >/dev/null || echo unreachable"`);
    expect(bridged.stdout).toBe('unreachable\n');
    expect(bridged.stderr).toBe("ping: bad address 'web1'\n");

    // --network container: shares web1's namespace (its address) and nameserver.
    const joined = await sh(guest, 'docker run --rm --network container:web1 busybox sh -c "ip -4 addr show eth0 | grep -o 172.18.0.2; ping -c 1 -W 3 database >/dev/null && echo reached"');
    expect(joined).toEqual({ stdout: '172.18.0.2\nreached\n', stderr: '', code: 0 });

    // In use: refused with Docker's words; once stopped, removed.
    const inUse = await sh(guest, 'docker network rm appnet');
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/^Error response from daemon: error while removing network: network appnet id [0-9a-f]{64} has active endpoints\n$/);
    expect(await sh(guest, 'docker rm -f web1 db1 >/dev/null && docker network rm appnet othernet')).toEqual({ stdout: 'appnet\nothernet\n', stderr: '', code: 0 });
    expect((await sh(guest, 'docker run --rm --network appnet busybox true')).stderr).toBe('docker: Error response from daemon: network appnet not found\n\nRun \'docker run --help\' for more information\n');
  }, 240_000);

  it('keeps networks and name resolution across a reboot of the Docker host', async () => {
    await sh(guest, 'docker network create keepnet >/dev/null && docker run -d --restart always --name keeper --network keepnet busybox sleep 600 >/dev/null');
    await host.reboot();
    const up = await sh(guest, 'for i in $(seq 1 120); do [ "$(docker inspect -f "{{.State.Running}}" keeper)" = true ] && break; sleep 0.5; done; docker network ls -q -f name=keepnet | wc -l');
    expect(up.stdout).toBe('1\n');
    const reached = await sh(guest, 'docker run --rm --network keepnet busybox sh -c "ping -c 1 -W 3 keeper >/dev/null && echo reached"');
    expect(reached).toEqual({ stdout: 'reached\n', stderr: '', code: 0 });
  }, 240_000);
});
