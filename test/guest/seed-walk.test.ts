// Defects found by typing the seed tutorials into a fresh Slipway, each from the seed command that
// found it: file bind mounts, `{{.Mounts}}`, `docker cp` of the files Docker bind-mounts, failed
// runs that left containers behind, `system prune -a` and an image in use, and the small ones.
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

useGuest((g) => (guest = g), {
  ready: async (guest) => {
    await sh(guest, 'docker pull -q busybox >/dev/null');
  },
  cleanEach: true,
});

describe('seed walk', () => {
  it('bind-mounts a single file and a socket (seed 002: UID/GID on bind mounts)', async () => {
    const file = await sh(guest, 'cd /root && echo hi > test-file && docker run --rm -v $(pwd)/test-file:/test-file busybox sh -c "ls -l /test-file; cat /test-file"');
    expect(file.stderr).toBe('');
    expect(file.stdout).toMatch(/^-rw-r--r-- +1 root +root +3 .* \/test-file\nhi\n$/);
    expect(file.code).toBe(0);
    // The daemon's API socket, as "mount the Docker socket" lessons do it.
    const socket = await sh(guest, 'docker run --rm -v /var/run/docker.sock:/var/run/docker.sock busybox ls -l /var/run/docker.sock');
    expect(socket.stdout).toMatch(/^s/);
    expect(socket.code).toBe(0);
  }, 120_000);

  it("prints {{.Mounts}} as Docker's structs (seed 000: volumes)", async () => {
    await sh(guest, 'docker run -d -v /data --name m busybox sleep 100');
    const r = await sh(guest, "docker inspect -f '{{.Mounts}}' m");
    expect(r.stdout).toMatch(/^\[\{volume ([0-9a-f]{64}) \/var\/lib\/docker\/volumes\/\1\/_data \/data local {2}true \}\]\n$/);
    expect((await sh(guest, "docker inspect -f '{{.Id}}' m")).stdout).toMatch(/^[0-9a-f]{64}\n$/);
  }, 60_000);

  it('copies the files Docker bind-mounts with their content (seed 001: docker cp)', async () => {
    await sh(guest, 'docker run -d -h myhost --name h busybox sleep 100');
    const r = await sh(guest, 'cd /tmp && docker cp h:/etc/hostname . && cat hostname && docker cp h:/etc/hosts - >/dev/null; docker cp h:/etc/hosts hosts && grep -c myhost hosts');
    expect(r.stdout).toBe('myhost\n1\n');
  }, 60_000);

  it('leaves no container behind for an unknown network, and a Created one for a used port', async () => {
    const net = await sh(guest, 'docker run -d --network nosuch busybox true');
    expect(net).toEqual({ stdout: '', stderr: "docker: Error response from daemon: network nosuch not found\n\nRun 'docker run --help' for more information\n", code: 125 });
    expect((await sh(guest, 'docker ps -aq')).stdout).toBe('');

    await sh(guest, 'docker run -d -p 8000:80 --name w1 busybox httpd -f -p 80');
    const port = await sh(guest, 'docker run -d -p 8000:80 --name w2 busybox httpd -f -p 80');
    expect(port.code).toBe(125);
    expect(port.stderr).toMatch(
      /^docker: Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint w2 \([0-9a-f]{64}\): Bind for 0\.0\.0\.0:8000 failed: port is already allocated\n/,
    );
    expect((await sh(guest, "docker ps -a --format '{{.Names}} {{.State}}' | sort")).stdout).toBe('w1 running\nw2 created\n');
    // The used port still reaches the first container.
    expect((await sh(guest, 'docker rm -f w1 >/dev/null && docker start w2 && docker port w2')).stdout).toBe('w2\n80/tcp -> 0.0.0.0:8000\n80/tcp -> [::]:8000\n');
  }, 60_000);

  it('system prune -a keeps every tag of an image a container uses', async () => {
    await sh(guest, 'docker tag busybox mybox && docker run -d --name u mybox sleep 100');
    await sh(guest, 'docker system prune -af');
    expect((await sh(guest, "docker images --format '{{.Repository}}:{{.Tag}}' | sort")).stdout).toBe('busybox:latest\nmybox:latest\n');
  }, 60_000);

  it("refuses at create what moby's daemon refuses, creating nothing", async () => {
    const refused = (message: string) => ({ stdout: '', stderr: `docker: Error response from daemon: ${message}\n\nRun 'docker run --help' for more information\n`, code: 125 });
    expect(await sh(guest, 'docker run --rm -m 4m busybox true')).toEqual(refused('Minimum memory limit allowed is 6MB'));
    expect(await sh(guest, 'docker run --rm -m 64m --memory-swap 32m busybox true')).toEqual(refused('Minimum memoryswap limit should be larger than memory limit, see usage'));
    expect(await sh(guest, 'docker run --rm --cpus 999 busybox true')).toEqual(refused('Range of CPUs is from 0.01 to 1.00, as there are only 1 CPUs available'));
    expect(await sh(guest, 'docker run --rm -w rel busybox true')).toEqual(refused("the working directory 'rel' is invalid, it needs to be an absolute path"));
    expect(await sh(guest, 'docker run --rm --network container:nosuch busybox true')).toEqual(refused('No such container: nosuch'));
    expect(await sh(guest, 'docker run --rm -v /tmp:rel busybox true')).toEqual(
      refused(`invalid volume specification: '/tmp:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`),
    );
    expect((await sh(guest, 'docker ps -aq')).stdout).toBe('');
  }, 60_000);

  it('answers the small ones as Docker v28 does', async () => {
    expect((await sh(guest, "docker version --format '{{.Server.APIVersion}}'")).stdout).toBe('1.50\n');
    expect((await sh(guest, 'docker frobnicate')).code).toBe(1);
    const imported = await sh(guest, 'docker import --help | head -1; docker import x');
    expect(imported.stdout).toBe('Usage:  docker import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]\n');
    expect(imported.stderr).not.toContain('unknown command');
    expect(await sh(guest, 'docker pull scratch')).toEqual({ stdout: 'Using default tag: latest\n', stderr: "Error response from daemon: 'scratch' is a reserved name\n", code: 1 });
  }, 60_000);
});
