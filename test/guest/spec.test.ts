// Runtime specs from buildRuntimeSpec, run by crun in the guest on the catalogue's busybox: Docker's
// capabilities, the precompiled seccomp filter, masked paths and cgroup limits, seen from inside.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRuntimeSpec, type RuntimeSpecInput } from '../../src/engine/container/spec.ts';
import { projectRoot } from '../../src/platform/node.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { bootGuest, sh } from './harness.ts';

const catalogue = join(projectRoot, 'public/catalogue');
const blob = (digest: string) => readFile(join(catalogue, 'blobs/sha256', digest.replace('sha256:', '')));

async function busyboxLayers(): Promise<Buffer[]> {
  const index = JSON.parse(await readFile(join(catalogue, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations: Record<string, string> }[];
  };
  const entry = index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === 'docker.io/library/busybox:latest');
  if (!entry) throw new Error('busybox not in the catalogue');
  const manifest = JSON.parse((await blob(entry.digest)).toString()) as { layers: { digest: string }[] };
  return Promise.all(manifest.layers.map((l) => blob(l.digest)));
}

const ROOT = '/tmp/spec';
let guest: NodeGuest;
let count = 0;

beforeAll(async () => {
  guest = await bootGuest();
  expect(await sh(guest, `mkdir -p ${ROOT}/rootfs ${ROOT}/bundle ${ROOT}/data && echo data > ${ROOT}/data/file`)).toMatchObject({ code: 0 });
  for (const layer of await busyboxLayers()) {
    expect(await sh(guest, `tar -xzf - -C ${ROOT}/rootfs`, new Uint8Array(layer))).toEqual({ stdout: '', stderr: '', code: 0 });
  }
});
afterAll(() => guest?.stop());

function spec(script: string, overrides: Partial<RuntimeSpecInput> = {}) {
  const name = `spec${++count}`;
  return {
    name,
    config: buildRuntimeSpec({
      args: ['sh', '-c', script],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      cwd: '/',
      uid: 0,
      gid: 0,
      hostname: name,
      tty: false,
      rootfs: `${ROOT}/rootfs`,
      network: 'none',
      cgroupsPath: `/slipway-test/${name}`,
      ...overrides,
    }),
  };
}

async function run(script: string, overrides: Partial<RuntimeSpecInput> = {}) {
  const { name, config } = spec(script, overrides);
  return sh(guest, `cat > ${ROOT}/bundle/config.json && crun run --bundle ${ROOT}/bundle ${name}`, JSON.stringify(config));
}

const statusFields = `grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status`;

describe('buildRuntimeSpec under crun', () => {
  it('runs echo hi', async () => {
    expect(await run('echo hi')).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
  });

  it("has Docker's capabilities and a seccomp filter", async () => {
    const r = await run(statusFields);
    expect(r).toEqual({
      stdout:
        'CapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\n' +
        'CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t2\n',
      stderr: '',
      code: 0,
    });
  });

  it('privileged: every capability, no filter; no-new-privileges when asked', async () => {
    expect((await run(statusFields, { privileged: true })).stdout).toBe(
      'CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n' +
        'CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n',
    );
    expect((await run(`${statusFields} | tail -2`, { securityOpt: ['no-new-privileges'] })).stdout).toBe('NoNewPrivs:\t1\nSeccomp:\t2\n');
  });

  // Creating a user namespace needs no capability, so only the filter stops it; dmesg's syslog()
  // likewise (dmesg_restrict is 0). With the filter both fail with EPERM.
  const seccompOnly = 'unshare -U true 2>&1; echo "unshare $?"; dmesg 2>&1 >/dev/null; echo "dmesg $?"';
  it.each([
    ['default', [], 'unshare: unshare(0x10000000): Operation not permitted\nunshare 1\ndmesg: klogctl: Operation not permitted\ndmesg 1\n'],
    ['seccomp=unconfined', ['seccomp=unconfined'], 'unshare 0\ndmesg 0\n'],
  ])('%s: unshare -U and dmesg', async (_, securityOpt, stdout) => {
    expect(await run(seccompOnly, { securityOpt })).toEqual({ stdout, stderr: '', code: 0 });
  });

  it('json linux.seccomp form blocks the same syscalls', async () => {
    const r = await run('unshare -U true 2>&1; echo $?', { seccompForm: 'json' });
    expect(r).toEqual({ stdout: 'unshare: unshare(0x10000000): Operation not permitted\n1\n', stderr: '', code: 0 });
  });

  it('masks and write-protects /proc and /sys paths unless privileged', async () => {
    const paths = '/proc/kcore /proc/keys /proc/interrupts /proc/timer_list /proc/sched_debug';
    // Which of Docker's masked paths this kernel has at all.
    const present = (await sh(guest, `for p in ${paths}; do [ -e $p ] && echo $p; done`)).stdout.trim().split('\n');
    expect(present).toContain('/proc/interrupts');
    // Masked files become /dev/null (empty), masked directories an empty read-only tmpfs.
    const script = `for p in ${paths}; do [ -e $p ] && echo "$p $(wc -c < $p)"; done
       echo "firmware $(ls -A /sys/firmware | wc -l)"
       echo x 2>/dev/null > /proc/sys/kernel/domainname && echo proc/sys writable || echo proc/sys read-only
       touch /sys/x 2>/dev/null || echo sys read-only`;
    const masked = present.map((p) => `${p} 0\n`).join('');
    expect(await run(script)).toEqual({ stdout: `${masked}firmware 0\nproc/sys read-only\nsys read-only\n`, stderr: '', code: 0 });
    const privileged = await run(script, { privileged: true });
    expect(privileged.stdout).toMatch(/\/proc\/interrupts [1-9]\d*\n/);
    expect(privileged.stdout).toContain('proc/sys writable\n');
  });

  it('applies memory, pids and cpu limits through cgroup v2', async () => {
    // The guest kernel has no swap, so memory.swap.max does not exist; crun skips it.
    const r = await run('cd /sys/fs/cgroup && cat memory.max pids.max cpu.max cpu.weight', {
      resources: { memory: 32 << 20, memorySwap: 64 << 20, pidsLimit: 50, nanoCpus: 0.5e9, cpuShares: 512 },
    });
    expect(r).toEqual({ stdout: `${32 << 20}\n50\n50000 100000\n20\n`, stderr: '', code: 0 });
  });

  it('mounts binds read-only and tmpfs with options, rlimits and sysctls', async () => {
    const r = await run(
      `cat /data/file; touch /data/new 2>&1; grep ' /scratch ' /proc/mounts; ulimit -n
       cat /proc/sys/net/ipv4/ip_unprivileged_port_start`,
      {
        mounts: [
          { type: 'bind', source: `${ROOT}/data`, destination: '/data', readonly: true },
          { type: 'tmpfs', destination: '/scratch', options: 'size=1m' },
        ],
      },
    );
    expect(r).toEqual({
      stdout: 'data\ntouch: /data/new: Read-only file system\ntmpfs /scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k 0 0\n1048576\n0\n',
      stderr: '',
      code: 0,
    });
  });
});

describe('seccomp filter delivery', () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

  it('times crun run with the BPF annotation and with linux.seccomp (10 each, interleaved after warm-up)', async () => {
    const forms = ['bpf', 'json'] as const;
    for (const form of forms) {
      const { config } = spec('true', { seccompForm: form, cgroupsPath: `/slipway-test/bench-${form}` });
      expect(await sh(guest, `mkdir -p ${ROOT}/${form} && cat > ${ROOT}/${form}/config.json`, JSON.stringify(config))).toMatchObject({ code: 0 });
    }
    // v86 compiles hot guest code over the first runs: warm up before measuring.
    const script = `set -e
      t() { local s=$EPOCHREALTIME; crun run --bundle ${ROOT}/$1 bench-$1; echo "$1 $(( (\${EPOCHREALTIME/./} - \${s/./}) / 1000 ))"; }
      for i in 1 2 3 4 5 6 7 8; do t bpf >/dev/null; t json >/dev/null; done
      for i in 1 2 3 4 5 6 7 8 9 10; do t bpf; t json; done`;
    const r = await sh(guest, script);
    expect(r).toMatchObject({ stderr: '', code: 0 });
    const times = { bpf: [] as number[], json: [] as number[] };
    for (const line of r.stdout.trim().split('\n')) {
      const [form, ms] = line.split(' ');
      times[form as 'bpf' | 'json'].push(Number(ms));
    }
    expect(times.bpf.length).toBe(10);
    expect(times.json.length).toBe(10);
    console.log(`crun run median: bpf annotation ${median(times.bpf)} ms, linux.seccomp ${median(times.json)} ms`, times);
  }, 300_000);
});
