// npm run bench [-- --json]
// Guest platform figures on this machine: boot, restore, round trips, stream throughput, sizes.
// Each figure is a median over repeated runs where that makes sense; the ping round trip is the
// protocol's floor and serves as the baseline for the spawn and docker round trips.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAll } from '../../src/lib/streams.ts';
import { projectRoot } from '../../src/platform/node.ts';
import { startGuest, type NodeGuest } from '../../src/runner/guest.ts';
import { shellEnv } from '../../src/worker/vm/shell.ts';
import { httpReadyMs } from './http-ready.ts';

const json = process.argv.includes('--json');
/** `--disk`: only the Docker host disk's figures (one boot). */
const diskOnly = process.argv.includes('--disk');
const buildOnly = process.argv.includes('--build');
const say = (line: string) => {
  if (!json) process.stderr.write(line + '\n');
};

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function spawnTrue(guest: NodeGuest): Promise<void> {
  const p = await guest.machine.port.spawn({ argv: ['/bin/true'] });
  await p.exited;
}

/**
 * A 100 MB file in a container's layer on the Docker host's disk and, as the baseline, on a tmpfs
 * in the same kind of container (where layers were before the disk): each figure is the time of
 * a container doing the I/O minus the time of the same container doing only the rest, so the
 * container's own start is not counted. Reads come after the guest's caches are dropped. Then a
 * container's `write` + `fsync`, which returns once the store holds it.
 */
async function diskFigures(d: NodeGuest): Promise<Record<string, number>> {
  const secs = async (command: string) => {
    const t = performance.now();
    await shellOutput(d, command);
    return (performance.now() - t) / 1000;
  };
  const rates = async (flags: string, dir: string) => {
    const write = `dd if=/dev/zero of=${dir}/f bs=1M count=100 conv=fsync 2>/dev/null`;
    const drop = 'sync; echo 3 > /proc/sys/vm/drop_caches';
    const run = (script: string) => `docker run --rm --privileged ${flags} busybox sh -c '${script}'`;
    await secs(run('true'));
    const base = await secs(run('true'));
    const written = await secs(run(write));
    const read = await secs(run(`${write}; ${drop}; dd if=${dir}/f of=/dev/null bs=1M 2>/dev/null`));
    const dropped = await secs(run(`${write}; ${drop}`));
    return { write: 100 / Math.max(0.001, written - base), read: 100 / Math.max(0.001, read - dropped) };
  };
  const layer = await rates('', '');
  const tmpfs = await rates('--tmpfs /t:size=200m', '/t');
  const lags: number[] = [];
  // The fsync returns once the store holds the data (vm/barriers.ts): the lag is the write and
  // its fsync, timed in the container (the guest's uptime, 10 ms steps).
  for (let i = 0; i < 5; i++) {
    const out = await shellOutput(d, `docker run --rm busybox sh -c 'dd if=/dev/urandom of=/g bs=4k count=16 2>/dev/null; a=$(cut -d" " -f1 /proc/uptime); dd if=/g of=/f bs=4k count=16 conv=fsync 2>/dev/null; b=$(cut -d" " -f1 /proc/uptime); echo $a $b'`);
    const [a, b] = out.trim().split(' ').map(Number);
    lags.push((b! - a!) * 1000);
  }
  return {
    container_disk_write_MBps: layer.write,
    container_disk_read_MBps: layer.read,
    container_tmpfs_write_MBps: tmpfs.write,
    container_tmpfs_read_MBps: tmpfs.read,
    durability_lag_ms: median(lags),
  };
}

/**
 * The 5-step Dockerfile in /root (FROM busybox, COPY a file, two RUN, CMD): a build with
 * no cache, then the same fully cached; and a stdlib-only Python web app on python:3.11-slim.
 */
async function buildFigures(d: NodeGuest): Promise<Record<string, number>> {
  await shellOutput(d, `mkdir -p /root/bench-build && cd /root/bench-build && echo hello > hello.txt && printf 'FROM busybox\nCOPY hello.txt /srv/\nRUN cat /srv/hello.txt > /srv/copy\nRUN echo built >> /srv/copy\nCMD ["cat", "/srv/copy"]\n' > Dockerfile`);
  await shellOutput(d, `mkdir -p /root/bench-py && cd /root/bench-py && printf 'import http.server\nhttp.server.test(http.server.SimpleHTTPRequestHandler, port=8000)\n' > app.py && printf 'FROM python:3.11-slim\nWORKDIR /app\nCOPY app.py .\nENV PYTHONUNBUFFERED=1\nEXPOSE 8000\nCMD ["python", "app.py"]\n' > Dockerfile`);
  const secs = async (command: string) => {
    const t = performance.now();
    await shellOutput(d, command);
    return performance.now() - t;
  };
  const cold: number[] = [];
  const cached: number[] = [];
  const python: number[] = [];
  await secs('cd /root/bench-build && docker build -q --no-cache -t bench-build .');
  for (let i = 0; i < 5; i++) {
    cold.push(await secs('cd /root/bench-build && docker build -q --no-cache -t bench-build .'));
    cached.push(await secs('cd /root/bench-build && docker build -q -t bench-build .'));
  }
  for (let i = 0; i < 3; i++) python.push(await secs('cd /root/bench-py && docker build -q --no-cache -t bench-py .'));
  return { build_cold_ms: median(cold), build_cached_ms: median(cached), build_python_app_ms: median(python) };
}

/** A shell command's stdout. */
async function shellOutput(guest: NodeGuest, command: string): Promise<string> {
  const p = await guest.machine.port.spawn({ argv: ['/bin/bash', '-c', command], env: shellEnv(), cwd: '/root' });
  p.stdin.end();
  const [out] = await Promise.all([readAll(p.stdout), readAll(p.stderr), p.exited]);
  return new TextDecoder().decode(out);
}

/** A command typed into a running guest shell, timed until its output is back (one per run). */
async function shellRoundTrips(guest: NodeGuest, command: string, runs: number): Promise<number[]> {
  const shell = await guest.machine.port.spawn({ argv: ['/bin/bash', '--norc', '--noprofile'], env: shellEnv(), cwd: '/root' });
  const decoder = new TextDecoder();
  let seen = '';
  const waitFor = async (marker: string) => {
    while (!seen.includes(marker)) {
      const chunk = await shell.stdout.read();
      if (!chunk) throw new Error('shell ended');
      seen += decoder.decode(chunk);
    }
    seen = '';
  };
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const marker = `__done_${i}__`;
    const t = performance.now();
    await shell.stdin.write(`${command} >/dev/null; echo ${marker}\n`);
    await waitFor(marker);
    out.push(performance.now() - t);
  }
  shell.stdin.end();
  await shell.exited;
  return out;
}

async function throughput(guest: NodeGuest, bytes: number): Promise<{ h2g: number; g2h: number }> {
  const sink = await guest.machine.port.spawn({ argv: ['sh', '-c', 'cat > /dev/null'] });
  const payload = new Uint8Array(bytes).fill(0x5a);
  const h2gMs = await time(async () => {
    await sink.stdin.write(payload);
    sink.stdin.end();
    await sink.exited;
  });
  // From a tmpfs file with cat's large reads: busybox `head -c` alone manages only ~2 MB/s.
  const prepare = await guest.machine.port.spawn({ argv: ['dd', 'if=/dev/zero', 'of=/tmp/bench.bin', 'bs=65536', `count=${bytes / 65536}`] });
  await prepare.exited;
  const source = await guest.machine.port.spawn({ argv: ['cat', '/tmp/bench.bin'] });
  const g2hMs = await time(async () => {
    const got = await readAll(source.stdout);
    if (got.length !== bytes) throw new Error(`g2h lost bytes: ${got.length} of ${bytes}`);
    await source.exited;
  });
  return { h2g: bytes / 1e6 / (h2gMs / 1000), g2h: bytes / 1e6 / (g2hMs / 1000) };
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  const figures: Record<string, number> = {};
  try {
    if (buildOnly) {
      const g = await startGuest({ home });
      await shellOutput(g, 'docker pull -q busybox; docker pull -q python:3.11-slim');
      await g.daemon.engine.warmedUp;
      Object.assign(figures, await buildFigures(g));
      await g.stop();
      return report(figures);
    }
    if (diskOnly) {
      const g = await startGuest({ home });
      await shellOutput(g, 'docker pull -q busybox');
      await g.daemon.engine.warmedUp;
      Object.assign(figures, await diskFigures(g));
      await g.stop();
      return report(figures);
    }
    say('cold boot…');
    const cold = await startGuest({ home });
    figures.cold_boot_ms = cold.report.bootMs;
    await cold.stop();

    const restores: number[] = [];
    let guest: NodeGuest | null = null;
    for (let i = 0; i < 3; i++) {
      say(`snapshot restore ${i + 1}/3…`);
      guest?.stop();
      guest = await startGuest({ home });
      if (guest.report.mode !== 'snapshot') throw new Error('expected a snapshot restore');
      restores.push(guest.report.bootMs);
    }
    figures.snapshot_restore_ms = median(restores);
    const g = guest!;

    say('round trips…');
    figures.spawn_true_first_ms = await time(() => spawnTrue(g));
    // v86's JIT output is not in the snapshot: guest code paths speed up over their first
    // ~100 runs after a restore. The round-trip figures below are for a warm guest.
    for (let i = 0; i < 150; i++) await spawnTrue(g);
    const pings: number[] = [];
    for (let i = 0; i < 50; i++) pings.push(await g.machine.port.ping());
    figures.ping_roundtrip_ms = median(pings);
    const spawns: number[] = [];
    for (let i = 0; i < 30; i++) spawns.push(await time(() => spawnTrue(g)));
    figures.spawn_true_roundtrip_ms = median(spawns);
    await shellRoundTrips(g, 'docker version', 30); // warm-up
    figures.docker_version_ms = median(await shellRoundTrips(g, 'docker version', 15));

    say('throughput…');
    const rates = [await throughput(g, 16 << 20), await throughput(g, 16 << 20), await throughput(g, 16 << 20)];
    figures.stream_h2g_MBps = median(rates.map((r) => r.h2g));
    figures.stream_g2h_MBps = median(rates.map((r) => r.g2h));
    await shellRoundTrips(g, 'docker pull busybox', 1);
    await shellRoundTrips(g, 'docker pull debian', 1);
    await shellRoundTrips(g, 'docker pull python:3.11-slim', 1);
    const debian = await g.daemon.engine.images.getImage('debian');
    figures.first_use_debian_ms = await time(() => g.daemon.engine.trees.get(debian.id));
    await g.stop();

    say('docker run…');
    const d = await startGuest({ home });
    // The JIT warm-up is the daemon's (a throwaway container right after boot); wait for it, as a
    // user reading the prompt would, before the first real run.
    await d.daemon.engine.warmedUp;
    figures.run_first_after_boot_ms = median(await shellRoundTrips(d, 'docker run --rm busybox echo hi', 1));
    await shellRoundTrips(d, 'docker run --rm busybox echo hi', 20);
    figures.run_rm_echo_ms = median(await shellRoundTrips(d, 'docker run --rm busybox echo hi', 10));
    await shellRoundTrips(d, 'docker run -d --name bench busybox sleep 1000', 1);
    await shellRoundTrips(d, 'docker exec bench echo hi', 15);
    figures.exec_echo_ms = median(await shellRoundTrips(d, 'docker exec bench echo hi', 10));
    await shellRoundTrips(d, 'docker ps', 10);
    figures.ps_ms = median(await shellRoundTrips(d, 'docker ps', 10));
    // The Engine API over the guest's socket, as a real client reaches it (the thin client's
    // `docker ps` above is the same list through the framed protocol).
    const apiPs = 'curl -s --unix-socket /var/run/docker.sock http://localhost/v1.50/containers/json >/dev/null';
    await shellRoundTrips(d, apiPs, 10);
    figures.api_ps_ms = median(await shellRoundTrips(d, apiPs, 10));
    await shellRoundTrips(d, 'docker images', 10);
    figures.images_ms = median(await shellRoundTrips(d, 'docker images', 10));
    // 20 containers whose PID 1 ignores SIGTERM: each stop waits its 10 s, all at once as in Docker.
    await shellRoundTrips(d, 'docker rm -f bench; for i in $(seq 20); do docker run -d busybox sleep 1000; done', 1);
    figures.stop_20_ms = median(await shellRoundTrips(d, 'docker stop $(docker ps -q)', 1));
    // A 30 MB log of short lines; the engine's heap beside it (the log is read as a stream).
    await shellRoundTrips(d, "docker run --name biglog busybox sh -c 'yes a-short-log-line | head -c 30000000'", 1);
    const heapBefore = process.memoryUsage().heapUsed;
    figures.logs_tail_ms = median(await shellRoundTrips(d, 'docker logs --tail 1 biglog', 5));
    figures.logs_tail_heap_delta_MB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

    say('container disk…');
    // A 100 MB file in a container's layer (the Docker host's disk) and, as the baseline, on a
    // tmpfs in the same container (what layers were before the disk): write with fsync, then
    // read back with the guest's caches dropped.
    const disk = await diskFigures(d);
    Object.assign(figures, disk);
    say('docker build…');
    await shellOutput(d, 'docker pull -q python:3.11-slim');
    Object.assign(figures, await buildFigures(d));
    await d.stop();

    say('python http.server…');
    const p = await startGuest({ home });
    // As above: the user's first command after the boot-time warm-up (which now includes the
    // local Python image's interpreter, container/interpreter-warmup.ts).
    await p.daemon.engine.warmedUp;
    figures.python_http_ready_ms = await httpReadyMs(p, 'docker run -d -p 8000:8000 python:3.11-slim python -m http.server', 8000);
    await p.stop();
    // The baseline in the same run: the same first command after a restore with no warm-up at all.
    const bare = await startGuest({ home, warmUp: false });
    figures.python_http_ready_unwarmed_ms = await httpReadyMs(bare, 'docker run -d -p 8000:8000 python:3.11-slim python -m http.server', 8000);
    await bare.stop();

    figures.initrd_bytes = statSync(join(projectRoot, 'kernel-images/dist/initrd.cpio')).size;
    figures.kernel_bytes = statSync(join(projectRoot, 'kernel-images/dist/bzImage')).size;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }

  report(figures);
}

function report(figures: Record<string, number>): void {
  const rounded = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  if (json) {
    process.stdout.write(JSON.stringify(rounded) + '\n');
    return;
  }
  const targets: Record<string, string> = {
    cold_boot_ms: '≤ 2000',
    snapshot_restore_ms: '≤ 500',
    spawn_true_roundtrip_ms: '≤ 30',
    spawn_true_first_ms: 'first after restore',
    docker_version_ms: '≤ 50',
    stream_h2g_MBps: '≥ 5',
    stream_g2h_MBps: '≥ 50',
    ping_roundtrip_ms: 'baseline',
    run_first_after_boot_ms: '≤ 1200',
    run_rm_echo_ms: '≤ 300 (native Docker ~400–500)',
    exec_echo_ms: '≤ 250',
    ps_ms: '≤ 50',
    api_ps_ms: '≤ 30 (GET /containers/json over docker.sock, curl in the guest)',
    images_ms: '≤ 50',
    stop_20_ms: '≤ 15000 (one at a time: 20 × 10 s)',
    logs_tail_ms: '≤ 200 (30 MB log)',
    logs_tail_heap_delta_MB: 'engine heap after the reads',
    first_use_debian_ms: '≤ 500 (store → guest-visible)',
    container_disk_write_MBps: 'a 100 MB file in a layer on the disk (dd conv=fsync)',
    container_disk_read_MBps: 'the same read back, guest caches dropped',
    container_tmpfs_write_MBps: 'baseline: the same on a tmpfs (where layers were before the disk)',
    container_tmpfs_read_MBps: 'baseline: the same read back',
    durability_lag_ms: '≤ 1000 (write + fsync returned → in the store)',
    build_cold_ms: '≤ 3000 (5 steps: FROM busybox, COPY, 2 RUN, CMD; --no-cache)',
    build_cached_ms: '≤ 300 (the same, every step cached)',
    build_python_app_ms: 'python:3.11-slim, WORKDIR COPY ENV EXPOSE CMD; --no-cache',
    python_http_ready_ms: '≤ 3000 (run -d → first 200 on the published port)',
    python_http_ready_unwarmed_ms: 'baseline: the same with no warm-up after the restore',
  };
  const rows = Object.entries(rounded).map(([k, v]) => `${k.padEnd(26)}${String(v).padStart(12)}   ${targets[k] ?? ''}`);
  process.stdout.write(`${'figure'.padEnd(26)}${'value'.padStart(12)}   target\n${rows.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
