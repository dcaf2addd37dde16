// Docker volumes on a real guest: named, anonymous and image volumes, copy-up, --volumes-from,
// `rm -v`, the `docker volume` commands, and contents surviving a reboot of the Docker host.
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

const host = useGuest((g) => (guest = g));

describe('docker volumes', () => {
  it('a named volume keeps data between --rm containers; ls, inspect, rm in use', async () => {
    expect(await sh(guest, 'docker volume create v1')).toEqual({ stdout: 'v1\n', stderr: '', code: 0 });
    expect((await sh(guest, `docker run --rm -v v1:/data busybox sh -c 'echo hi > /data/f'`)).code).toBe(0);
    expect(await sh(guest, 'docker run --rm -v v1:/data busybox cat /data/f')).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
    expect((await sh(guest, 'docker volume ls')).stdout).toBe('DRIVER    VOLUME NAME\nlocal     v1\n');
    expect((await sh(guest, `docker volume inspect -f '{{.Driver}} {{.Mountpoint}} {{.Scope}}' v1`)).stdout).toBe('local /var/lib/docker/volumes/v1/_data local\n');
    const id = (await sh(guest, 'docker run -d --name holder -v v1:/data busybox sleep 100')).stdout.trim();
    expect((await sh(guest, `docker inspect -f '{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.Mode}} {{.RW}}{{end}}' holder`)).stdout).toBe('volume v1 /data z true\n');
    expect(await sh(guest, 'docker volume rm v1')).toEqual({ stdout: '', stderr: `Error response from daemon: remove v1: volume is in use - [${id}]\n`, code: 1 });
    await sh(guest, 'docker rm -f holder');
    expect(await sh(guest, 'docker volume rm v1')).toEqual({ stdout: 'v1\n', stderr: '', code: 0 });
    expect(await sh(guest, 'docker volume inspect v1')).toEqual({ stdout: '[]\n', stderr: 'Error response from daemon: get v1: no such volume\n', code: 1 });
    // The same name again is a new, empty volume.
    await sh(guest, 'docker volume create v1');
    expect((await sh(guest, 'docker run --rm -v v1:/data busybox ls -A /data')).stdout).toBe('');
    await sh(guest, 'docker volume rm v1');
  }, 180_000);

  it('copies image content into a new volume; --volumes-from shares; rm -v drops anonymous volumes', async () => {
    expect((await sh(guest, 'docker run --rm -v etc:/etc busybox head -1 /etc/group')).stdout).toBe('root:x:0:\n');
    await sh(guest, 'docker create --name src -v shared:/s -v /anon busybox true');
    expect((await sh(guest, `docker run --rm --volumes-from src busybox sh -c 'echo x > /s/y; echo z > /anon/w'`)).code).toBe(0);
    expect((await sh(guest, 'docker run --rm -v shared:/s busybox cat /s/y')).stdout).toBe('x\n');
    expect((await sh(guest, 'docker volume ls -q | wc -l')).stdout.trim()).toBe('3');
    expect((await sh(guest, 'docker volume ls -q -f dangling=true')).stdout).toBe('etc\n');
    await sh(guest, 'docker rm -v src');
    expect((await sh(guest, 'docker volume ls -q')).stdout).toBe('etc\nshared\n');
    expect(await sh(guest, 'docker volume prune -af')).toMatchObject({ stdout: expect.stringMatching(/^Deleted Volumes:\netc\nshared\n\nTotal reclaimed space: \d/), code: 0 });
  }, 180_000);

  it('volume contents survive a reboot of the Docker host', async () => {
    await sh(guest, `docker run --rm -v keep:/data busybox sh -c 'echo persisted > /data/f'`);
    await host.reboot();
    expect((await sh(guest, 'docker volume ls -q')).stdout).toBe('keep\n');
    expect((await sh(guest, 'docker run --rm -v keep:/data busybox cat /data/f')).stdout).toBe('persisted\n');
  }, 240_000);
});
