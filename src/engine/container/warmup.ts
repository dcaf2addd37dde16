// v86's JIT output is not in the boot snapshot: the first container after a boot or restore
// took 1.0–1.7 s against ~0.2 s warm (ARCHITECTURE.md). Right after boot the engine runs a
// throwaway container through the same path (netns, overlay mount, crun with the seccomp BPF)
// in the background, so the user's first `docker run` finds the guest code compiled.
import type { GuestPort } from '../../protocol/guest/port.ts';
import { processOutput } from '../../lib/streams.ts';
import { GuestPaths, type GuestRuntime } from './runtime.ts';
import { buildRuntimeSpec, type RuntimeSpecInput } from './spec.ts';

/** Measured: 3 runs → first user run 1.4 s, 6 runs → 1.0 s (warm: ~0.35 s). */
const RUNS = 6;

/** How often a running warm-up container checks whether the user wants the CPU back. */
const STOP_POLL_MS = 100;

/** `stop()` is polled between runs: the user's first command should not queue behind us. */
export async function warmUp(guest: GuestPort, runtime: GuestRuntime, stop: () => boolean = () => false): Promise<void> {
  const tree = GuestPaths.image('warmup');
  guest.files.remove(tree);
  await guest.files.writeTree(tree, [{ path: 'bin', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 }]);
  for (let i = 0; i < RUNS && !stop(); i++) {
    const id = `warmup${i}${Date.now().toString(16)}`;
    const net = await runtime.run(['slipway-net', 'up', id.slice(0, 12), '--none']);
    await runThrowaway(guest, runtime, id, `/mnt/host${tree}`, {
      args: ['/bin/true'],
      env: ['PATH=/bin'],
      mounts: [{ type: 'bind', source: '/bin', destination: '/bin', readonly: true }],
      network: net.code === 0 ? { path: `/run/netns/${id.slice(0, 12)}` } : 'none',
    }, stop);
    await runtime.run(['slipway-net', 'down', id.slice(0, 12)]);
  }
}

/** What a throwaway container runs, and in which network. */
export type ThrowawayProcess = Pick<RuntimeSpecInput, 'args' | 'env' | 'mounts' | 'network'>;

/**
 * Runs one container over `lowerDir` to its end, or kills it as soon as `stop()` turns true: the
 * pages it got v86 to compile stay compiled either way. Its files go away afterwards.
 */
export async function runThrowaway(
  guest: GuestPort,
  runtime: GuestRuntime,
  id: string,
  lowerDir: string,
  process: ThrowawayProcess,
  stop: () => boolean,
): Promise<void> {
  const spec = buildRuntimeSpec({
    ...process,
    cwd: '/',
    uid: 0,
    gid: 0,
    hostname: 'warmup',
    tty: false,
    rootfs: 'rootfs',
    cgroupsPath: GuestPaths.cgroup(id),
    seccompForm: 'bpf',
  });
  const specPath = `${GuestPaths.shared(id)}/spec.json`;
  await guest.files.write(specPath, new TextEncoder().encode(JSON.stringify(spec)));
  try {
    const proc = await runtime.start({ id, lowerDir, specPath: `${GuestPaths.sharedInGuest(id)}/spec.json`, tty: false, workdir: '/', layerBytes: 0 });
    proc.stdin.end();
    let ended = false;
    const done = processOutput(proc).finally(() => (ended = true));
    const watch = setInterval(() => {
      if (ended || !stop()) return;
      clearInterval(watch);
      // The guest may be going away (the runner exits): nothing is left to kill then.
      runtime.kill(id, 9).catch(() => undefined);
    }, STOP_POLL_MS);
    await done.finally(() => clearInterval(watch));
  } finally {
    void runtime.remove(id).catch(() => undefined);
    guest.files.remove(GuestPaths.shared(id));
  }
}
