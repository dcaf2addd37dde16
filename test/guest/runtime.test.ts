// A real crun container in the guest: namespaces, cgroup v2 limits and an overlay rootfs,
// checked from inside the container.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { bootGuest, ociSpec, sh } from './harness.ts';

let guest: NodeGuest;
beforeAll(async () => {
  guest = await bootGuest();
  const setup = await sh(
    guest,
    `set -e
     B=/tmp/bundle
     mkdir -p $B/lower/bin $B/lower/proc $B/lower/sys $B/lower/dev $B/lower/tmp $B/upper $B/work $B/rootfs
     cp "$(command -v busybox)" $B/lower/bin/busybox
     for a in sh hostname ls cat tail echo; do ln -s busybox $B/lower/bin/$a; done
     mount -t overlay overlay -o lowerdir=$B/lower,upperdir=$B/upper,workdir=$B/work $B/rootfs`,
  );
  expect(setup).toEqual({ stdout: '', stderr: '', code: 0 });
});
afterAll(() => guest?.stop());

const runContainer = (name: string, script: string, memoryBytes = 16 << 20) =>
  sh(guest, `cat > /tmp/bundle/config.json && crun run --bundle /tmp/bundle ${name}`, ociSpec({ name, args: ['sh', '-c', script], memoryBytes }));

describe('crun in the guest', () => {
  it('isolates pid, uts and net namespaces and applies cgroup limits', async () => {
    const r = await runContainer('box1', 'hostname; echo $$; ls /sys/class/net; cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max');
    expect(r).toEqual({ stdout: 'box1\n1\nlo\n16777216\n32\n', stderr: '', code: 0 });
  });

  it('passes the container exit code through', async () => {
    expect((await runContainer('box2', 'exit 42')).code).toBe(42);
  });

  it('OOM-kills a container that exceeds memory.max: exit 137', async () => {
    const r = await runContainer('box3', 'tail /dev/zero', 8 << 20);
    expect(r.code).toBe(137);
  });
});
