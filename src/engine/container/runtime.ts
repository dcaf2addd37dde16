// What the daemon asks of the guest for a container: an overlay rootfs over the image tree the
// engine wrote into the 9p share, and `crun` to run it. Every guest process costs a fork in the
// emulator (~50 ms cold), so each operation is one spawn, and starting a container is one
// process (the agent's slipway-ctr) that mounts and then execs crun.
import { LAYERS_ROOT } from '../host-disk.ts';
import { processOutput } from '../../lib/streams.ts';
import { GUEST_SHARE_PATH, type GuestPort, type GuestProcess } from '../../protocol/guest/port.ts';

const decoder = new TextDecoder();

/** Guest-side places; the bundle lives on guest tmpfs, specs arrive through the 9p share. */
export const GuestPaths = {
  bundle: (id: string) => `/run/slipway/c/${id}`,
  /** The writable layer on the Docker host's disk: upper/ and work/ (slipway-ctr makes them). */
  layer: (id: string) => `${LAYERS_ROOT}/${id}`,
  /** The container's cgroup parent: it outlives crun's own cgroup, so OOM kills can be read after exit. */
  cgroupParent: (id: string) => `/slipway/${id}`,
  cgroup: (id: string) => `/slipway/${id}/ctr`,
  /** Host-side (9p) folder of a container: specs, hosts, hostname, resolv.conf. */
  shared: (id: string) => `/containers/${id}`,
  sharedInGuest: (id: string) => `${GUEST_SHARE_PATH}/containers/${id}`,
  image: (imageId: string) => `/images/${imageId.replace(/^sha256:/, '').slice(0, 32)}`,
} as const;

const RUNTIME_PATH = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin';

export interface StartRequest {
  id: string;
  /** Guest path of the image tree (overlay lower dir). */
  lowerDir: string;
  /** Guest path of the OCI spec. */
  specPath: string;
  tty: boolean;
  /** Settle the process's `notified` once the container's process runs (a poststart hook). */
  notify?: boolean;
  /** Created in the container's upper dir when the image lacks it (Docker does the same). */
  workdir: string;
  /** The writable layer's quota, set when the layer is made (its first start or mount). */
  layerBytes: number;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Cleanup waits for this much quiet (or this many queued containers). */
const REMOVAL_IDLE_MS = 400;
const REMOVAL_BATCH = 16;

/**
 * Signals containers, one `id:signal` argument each, with the shell's own `kill`: a `crun kill`
 * is a dynamically linked 6 MB program that costs 0.3–1.7 s of the emulated CPU per call, the
 * builtin a fraction of one fork. The init's PID is crun's (`/run/crun/ID/status`, which exists
 * while `crun run` runs the container), so the signal reaches what `crun kill` would signal; a
 * state file without a PID this script can read falls back to `crun kill`. Prints `E index
 * reason` for each signal it could not send.
 */
const KILL_SCRIPT = [
  'i=0',
  'for a do',
  '  id=${a%:*} s=${a##*:} p=',
  '  f=/run/crun/$id/status',
  '  if [ -r "$f" ]; then',
  '    while IFS= read -r l; do case $l in *\'"pid":\'*) p=${l##*:}; p=${p%,}; p=${p# }; break;; esac; done < "$f"',
  '  fi',
  '  if [ -n "$p" ]; then kill -"$s" "$p" 2>/dev/null || echo "E $i kill: No such process"',
  '  elif [ -e "$f" ]; then crun kill "$id" "$s" >/dev/null 2>&1 || echo "E $i crun kill $id $s failed"',
  '  else echo "E $i error opening file \\`$f\\`: No such file or directory"',
  '  fi',
  '  i=$((i + 1))',
  'done',
].join('\n');

export class GuestRuntime {
  readonly #guest: GuestPort;
  readonly #removals: string[] = [];
  readonly #removalWaiters: (() => void)[] = [];
  #removalTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #kills: { id: string; signal: number; settle: { resolve(r: CommandResult): void; reject(e: unknown): void } }[] = [];

  constructor(guest: GuestPort) {
    this.#guest = guest;
  }

  /**
   * Starts `crun run` through the agent's `slipway-ctr` (cgroup parent, overlay rootfs, working
   * dir, then exec crun: one process, where a shell script cost two more forks). The returned
   * process lives as long as the container; its exit status is the container's.
   */
  start(req: StartRequest): Promise<GuestProcess> {
    // The agent listens before the child runs, so the socket lives in a folder that always exists.
    const socket = req.tty ? `/run/console-${req.id.slice(0, 16)}.sock` : '';
    return this.#guest.spawn({
      argv: ['slipway-ctr', 'start', req.id, req.lowerDir, req.specPath, socket, req.workdir],
      env: [RUNTIME_PATH, `SLIPWAY_LAYER_BYTES=${req.layerBytes}`],
      cwd: '/',
      ...(req.tty ? { consoleSocket: socket } : {}),
      ...(req.notify ? { notify: true } : {}),
    });
  }

  /**
   * Mounts a container's overlay rootfs (and its cgroup parent) as its first start in this boot
   * would, without starting it: `slipway-ctr mount`. A later start finds it mounted.
   */
  async mountRootfs(id: string, lowerDir: string, layerBytes: number): Promise<void> {
    const r = await this.run(['env', `SLIPWAY_LAYER_BYTES=${layerBytes}`, 'slipway-ctr', 'mount', id, lowerDir]);
    if (r.code !== 0) throw new Error(r.stderr.trim().replace(/^slipway-ctr: /, '') || `slipway-ctr mount exited ${r.code}`);
  }

  /** `crun exec` of a process spec already written to the share. */
  exec(id: string, processPath: string, tty: boolean, execId: string): Promise<GuestProcess> {
    const socket = `/run/console-${id.slice(0, 16)}-${execId}.sock`;
    const argv = ['crun', 'exec', '--process', processPath];
    if (tty) argv.push('--tty', '--console-socket', socket);
    argv.push(id);
    return this.#guest.spawn({ argv, env: [RUNTIME_PATH], cwd: '/', ...(tty ? { consoleSocket: socket } : {}) });
  }

  /**
   * Signals the container's init, as `crun kill` does. Signals asked for in the same turn (a
   * `docker stop` of many containers) go in one guest process (KILL_SCRIPT).
   */
  kill(id: string, signal: number): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      this.#kills.push({ id, signal, settle: { resolve, reject } });
      if (this.#kills.length === 1) setTimeout(() => void this.#sendKills(), 0);
    });
  }

  async #sendKills(): Promise<void> {
    const batch = this.#kills.splice(0);
    let r: CommandResult;
    try {
      r = await this.run(['sh', '-c', KILL_SCRIPT, 'sh', ...batch.map((k) => `${k.id}:${k.signal}`)]);
    } catch (e) {
      for (const k of batch) k.settle.reject(e);
      return;
    }
    const failures = new Map<number, string>();
    for (const line of r.stdout.split('\n')) {
      const m = /^E (\d+) (.*)$/.exec(line);
      if (m) failures.set(Number(m[1]), m[2]!);
    }
    batch.forEach((k, i) => {
      const failure = r.code !== 0 ? r.stderr.trim() || `exit ${r.code}` : failures.get(i);
      k.settle.resolve(failure === undefined ? { code: 0, stdout: '', stderr: '' } : { code: 1, stdout: '', stderr: failure });
    });
  }

  pause(id: string): Promise<CommandResult> {
    return this.run(['crun', 'pause', id]);
  }

  resume(id: string): Promise<CommandResult> {
    return this.run(['crun', 'resume', id]);
  }

  /**
   * Forgets the container in the guest (rootfs mount, upper dir, cgroups). Batched: removals
   * queue until the guest has been free of new ones for a moment, then go in one process, so
   * back-to-back `docker run --rm` do not pay for each other's cleanup.
   */
  remove(id: string): Promise<void> {
    this.#removals.push(id);
    if (this.#removalTimer) clearTimeout(this.#removalTimer);
    const flush = () => {
      const ids = this.#removals.splice(0);
      this.#removalTimer = null;
      const done = this.run(['slipway-ctr', 'rm', ...ids]).then(() => undefined, () => undefined);
      for (const resolve of this.#removalWaiters.splice(0)) void done.then(resolve);
    };
    this.#removalTimer = this.#removals.length >= REMOVAL_BATCH ? (flush(), null) : setTimeout(flush, REMOVAL_IDLE_MS);
    return new Promise((resolve) => this.#removalWaiters.push(resolve));
  }

  /** Whether the memory controller OOM-killed something in the container since it was created. */
  async oomKilled(id: string): Promise<boolean> {
    const r = await this.run(['cat', `/sys/fs/cgroup${GuestPaths.cgroupParent(id)}/memory.events`]);
    const m = /^oom_kill (\d+)$/m.exec(r.stdout);
    return m !== null && Number(m[1]) > 0;
  }

  /** Runs a guest command and collects its output, stdout as bytes (a tar, say). */
  async runBytes(argv: string[], input?: Uint8Array): Promise<{ code: number; stdout: Uint8Array; stderr: string }> {
    const proc = await this.#guest.spawn({ argv, env: [RUNTIME_PATH], cwd: '/' });
    // Read while feeding: a filter's output fills its pipe before it has read all its input.
    const output = processOutput(proc);
    if (input) await proc.stdin.write(input).catch(() => undefined);
    proc.stdin.end();
    const { stdout, stderr, code } = await output;
    return { code, stdout, stderr: decoder.decode(stderr) };
  }

  /** Runs a short guest command and collects its output. */
  async run(argv: string[]): Promise<CommandResult> {
    const proc = await this.#guest.spawn({ argv, env: [RUNTIME_PATH], cwd: '/' });
    proc.stdin.end();
    const { stdout, stderr, code } = await processOutput(proc);
    return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
  }
}
