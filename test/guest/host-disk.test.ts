// The Docker host's disk on a real guest: /var/lib/docker is ext4 on v86's IDE disk, whose
// blocks live in the store. Containers' layers and volumes live there across reboots, with full
// overlayfs semantics (opaque directories), each layer bounded by its own quota, a volume's
// Mountpoint live both ways, and a big file that would not fit in guest RAM.
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

const host = useGuest((g) => (guest = g), { readyTimeoutMs: 180_000, ready: (g) => sh(g, 'docker pull -q busybox && docker pull -q debian:bookworm-slim') });

describe('the Docker host disk', () => {
  it('is ext4 on /var/lib/docker, with layers and volumes where Docker keeps them', async () => {
    expect((await sh(guest, "grep ' /var/lib/docker ' /proc/mounts | cut -d' ' -f1-3")).stdout).toBe('/dev/sda /var/lib/docker ext4\n');
    // A write cache the guest flushes: an fsync returns once the store holds the data (vm/barriers.ts).
    expect((await sh(guest, 'cat /sys/block/sda/queue/write_cache')).stdout).toBe('write back\n');
    const id = (await sh(guest, 'docker create --name where busybox true')).stdout.trim();
    await sh(guest, 'docker start where');
    expect((await sh(guest, `docker inspect -f '{{.GraphDriver.Data.UpperDir}}' where`)).stdout).toBe(`/var/lib/docker/containers/${id}/upper\n`);
    expect((await sh(guest, `test -d /var/lib/docker/containers/${id}/upper && echo yes`)).stdout).toBe('yes\n');
    await sh(guest, 'docker rm where');
    // The guest's cleanup follows the answer (as the bundle's always did).
    expect((await sh(guest, `for i in $(seq 50); do test -e /var/lib/docker/containers/${id} || { echo gone; break; }; sleep 0.1; done`)).stdout).toBe('gone\n');
  }, 120_000);

  it("a volume's Mountpoint is live both ways between the guest shell and containers", async () => {
    await sh(guest, 'docker volume create shared');
    const mountpoint = (await sh(guest, `docker volume inspect -f '{{.Mountpoint}}' shared`)).stdout.trim();
    expect(mountpoint).toBe('/var/lib/docker/volumes/shared/_data');
    await sh(guest, `echo from-host > ${mountpoint}/a`);
    expect(await sh(guest, `docker run --rm -v shared:/d busybox sh -c 'cat /d/a; echo from-container > /d/b'`)).toEqual({ stdout: 'from-host\n', stderr: '', code: 0 });
    expect((await sh(guest, `cat ${mountpoint}/b`)).stdout).toBe('from-container\n');
    expect((await sh(guest, `docker system df --format '{{.Type}}: {{.Size}}' | grep Volumes`)).stdout).toBe('Local Volumes: 25B\n');
  }, 120_000);

  it('a container that fills its layer gets ENOSPC alone; the others keep running', async () => {
    const full = await sh(guest, `docker run --rm --storage-opt size=8m busybox sh -c 'dd if=/dev/zero of=/fill bs=1M count=20 2>&1; echo "rc=$?"'`);
    expect(full.stdout).toMatch(/No space left on device|Disk quota exceeded/);
    expect(full.stdout).toMatch(/rc=1\n$/);
    expect(await sh(guest, 'docker run --rm busybox echo still fine')).toEqual({ stdout: 'still fine\n', stderr: '', code: 0 });
    expect(await sh(guest, 'docker run --rm --storage-opt foo=1 busybox true')).toEqual({ stdout: '', stderr: 'docker: Error response from daemon: Unknown option foo\n\nRun \'docker run --help\' for more information\n', code: 125 });
  }, 120_000);

  it('keeps layers, volumes, opaque directories and a 300 MB file across a reboot', async () => {
    // A directory the container deleted and made again must not show the image's files again.
    const opaque = `[ -e /etc/apt/only ] && ls -A /etc/apt || { rm -rf /etc/apt && mkdir /etc/apt && echo new > /etc/apt/only && echo made; }`;
    expect((await sh(guest, `docker run --name op debian:bookworm-slim sh -c '${opaque}'`)).stdout).toBe('made\n');
    // 300 MB, more than the guest's RAM: zeros from the kernel (fast to make), then a tail of its own.
    const big = `[ -f /big ] && { wc -c < /big; tail -c 4 /big; } || { dd if=/dev/zero of=/big bs=1M count=300 2>/dev/null && echo -n tail >> /big && echo wrote; }`;
    expect((await sh(guest, `docker run --name big busybox sh -c '${big}'`)).stdout).toBe('wrote\n');
    await sh(guest, `docker run --rm -v kept:/data busybox sh -c 'echo persisted > /data/f'`);
    await host.reboot();
    expect((await sh(guest, 'docker start -a op')).stdout).toBe('only\n');
    expect((await sh(guest, 'docker start -a big')).stdout).toBe('314572804\ntail');
    expect((await sh(guest, 'docker run --rm -v kept:/data busybox cat /data/f')).stdout).toBe('persisted\n');
  }, 600_000);

  it('restarts always/unless-stopped containers after a reboot, restarting meanwhile, never Exited (255)', async () => {
    await sh(guest, 'docker run -d --name keeper --restart always busybox sleep 1000');
    await sh(guest, 'docker run -d --name plain busybox sleep 1000');
    await host.reboot();
    const states = (await sh(guest, `docker ps -a --filter name=keeper --filter name=plain --format '{{.Names}} {{.State}}'`)).stdout;
    expect(states).toMatch(/^keeper (restarting|running)$/m);
    expect(states).toMatch(/^plain exited$/m);
    expect((await sh(guest, 'docker wait plain')).stdout).toBe('255\n');
    for (let i = 0; i < 100 && (await sh(guest, `docker inspect -f '{{.State.Status}}' keeper`)).stdout !== 'running\n'; i++) await sh(guest, 'sleep 0.2');
    expect((await sh(guest, `docker inspect -f '{{.State.Status}} {{.RestartCount}}' keeper`)).stdout).toMatch(/^running \d+\n$/);
  }, 300_000);
});
