// `docker cp` stays inside the container: symlinks and `..` a container plants resolve inside it,
// for copies in and out, running or stopped (the CVE-2018-15664 class); `-` is a tar stream.
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

// /hostetc and /r point out of the container if resolved on the host; /d is an ordinary folder.
const PLANT = 'ln -s /../../../../../etc /hostetc; ln -s ../../../../../../root /r; ln -s /etc/passwd /pw; mkdir /d; echo in-d > /d/f';

useGuest((g) => (guest = g), {
  ready: async (guest) => {
    await sh(guest, `docker run -d --name evil -h evilhost busybox sh -c '${PLANT}; touch /ready; sleep 1000' && until docker exec evil test -e /ready; do :; done`);
  },
});

describe('docker cp under attack', () => {
  it.each(['running', 'stopped'])('copies in through planted symlinks and .. without touching the host (%s)', async (state) => {
    if (state === 'stopped') await sh(guest, 'docker stop -t 0 evil >/dev/null');
    const r = await sh(
      guest,
      `echo ${state} > /tmp/p; docker cp -q /tmp/p evil:/hostetc/pwned-${state}; docker cp -q /tmp/p evil:/r/pwned-${state}; docker cp -q /tmp/p evil:/../../../../../../usr/pwned-${state}; ls /etc/pwned-${state} /root/pwned-${state} /usr/pwned-${state} 2>&1 | wc -l; ls /etc /root /usr | grep -c pwned`,
    );
    expect(r.stdout).toBe('3\n0\n');
    expect((await sh(guest, `docker cp evil:/etc/pwned-${state} - | tar -xOf -; docker cp evil:/root/pwned-${state} - | tar -xOf -; docker cp evil:/usr/pwned-${state} - | tar -xOf -`)).stdout).toBe(`${state}\n${state}\n${state}\n`);
  }, 60_000);

  it('copies out the container’s files, never the host’s, through the same paths', async () => {
    const r = await sh(guest, 'cd /tmp && docker cp evil:/hostetc/hostname out1 && cat out1 && docker cp evil:/../../etc/passwd out2 && head -1 out2 && docker cp evil:/pw out3 && ls -l out3 | cut -c1 && docker cp -L evil:/pw out4 && head -1 out4');
    expect(r.stdout).toBe('evilhost\nroot:x:0:0:root:/root:/bin/sh\nl\nroot:x:0:0:root:/root:/bin/sh\n');
    expect((await sh(guest, 'head -1 /etc/passwd')).stdout).not.toBe('root:x:0:0:root:/root:/bin/sh\n');
  }, 60_000);

  it('streams a tar to stdout with -, and extracts one from stdin', async () => {
    expect((await sh(guest, 'docker cp evil:/d - | tar -tf - | sort')).stdout).toBe('d/\nd/f\n');
    const r = await sh(guest, 'cd /tmp && echo from-tar > t1 && tar -cf - t1 | docker cp - evil:/d && docker cp evil:/d/t1 - | tar -xOf -');
    expect(r).toEqual({ stdout: 'from-tar\n', stderr: '', code: 0 });
  }, 60_000);

  it("answers a missing path with Docker's messages", async () => {
    expect(await sh(guest, 'docker cp evil:/nope /tmp')).toEqual({ stdout: '', stderr: 'Error response from daemon: Could not find the file /nope in container evil\n', code: 1 });
    expect(await sh(guest, 'docker cp /tmp/nope evil:/')).toEqual({ stdout: '', stderr: 'lstat /tmp/nope: no such file or directory\n', code: 1 });
  }, 60_000);
});
