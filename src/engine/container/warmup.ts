// v86's JIT output is not in the boot snapshot: the first container after a boot or restore
// took 1.0–1.7 s against ~0.2 s warm (ARCHITECTURE.md). Right after boot the engine runs a
// throwaway container through the same path (netns, overlay mount, crun with the seccomp BPF)
// in the background, so the user's first `docker run` finds the guest code compiled.
import type { GuestPort } from '../../protocol/guest/port.ts';
import { readAll } from '../../lib/streams.ts';
import { GuestPaths, type GuestRuntime } from './runtime.ts';
import { buildRuntimeSpec } from './spec.ts';

/** Measured: 3 runs → first user run 1.4 s, 6 runs → 1.0 s (warm: ~0.35 s). */
const RUNS = 6;

/** `stop()` is polled between runs: the user's first command should not queue behind us. */
export async function warmUp(guest: GuestPort, runtime: GuestRuntime, stop: () => boolean = () => false): Promise<void> {
  const tree = GuestPaths.image('warmup');
  guest.files.remove(tree);
  await guest.files.writeTree(tree, [{ path: 'bin', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 }]);
  for (let i = 0; i < RUNS && !stop(); i++) {
    const id = `warmup${i}${Date.now().toString(16)}`;
    const net = await runtime.run(['slipway-net', 'up', id.slice(0, 12), '--none']);
    const spec = buildRuntimeSpec({
      args: ['/bin/true'],
      env: ['PATH=/bin'],
      cwd: '/',
      uid: 0,
      gid: 0,
      hostname: 'warmup',
      tty: false,
      rootfs: 'rootfs',
      mounts: [{ type: 'bind', source: '/bin', destination: '/bin', readonly: true }],
      network: net.code === 0 ? { path: `/run/netns/${id.slice(0, 12)}` } : 'none',
      cgroupsPath: GuestPaths.cgroup(id),
      seccompForm: 'bpf',
    });
    const specPath = `${GuestPaths.shared(id)}/spec.json`;
    await guest.files.write(specPath, new TextEncoder().encode(JSON.stringify(spec)));
    const proc = await runtime.start({ id, lowerDir: `/mnt/host${tree}`, specPath: `${GuestPaths.sharedInGuest(id)}/spec.json`, tty: false, workdir: '/' });
    proc.stdin.end();
    await Promise.all([readAll(proc.stdout), readAll(proc.stderr), proc.exited]);
    await runtime.run(['slipway-net', 'down', id.slice(0, 12)]);
    void runtime.remove(id).catch(() => undefined);
    guest.files.remove(GuestPaths.shared(id));
  }
}
