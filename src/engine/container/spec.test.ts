import { describe, expect, it } from 'vitest';
import { compileSeccomp, seccompAnnotationValue } from './seccomp/compile.ts';
import { dockerDefaultProfile } from './seccomp/profile.ts';
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES } from './spec-capabilities.ts';
import { MASKED_PATHS, READONLY_PATHS, SECCOMP_BPF_ANNOTATION, buildRuntimeSpec, type RuntimeSpecInput } from './spec.ts';

const base: RuntimeSpecInput = {
  args: ['sh', '-c', 'echo hi'],
  env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=4f2a'],
  cwd: '',
  uid: 0,
  gid: 0,
  hostname: '4f2a',
  tty: false,
  rootfs: 'rootfs',
  network: { path: '/run/netns/bridge-4f2a' },
  cgroupsPath: '/docker/4f2a',
};

const build = (overrides: Partial<RuntimeSpecInput> = {}) => buildRuntimeSpec({ ...base, ...overrides });
const caps = [...DEFAULT_CAPABILITIES];
const dev = (major: number, minor: number, allow = true) => ({ allow, type: 'c', major, minor, access: 'rwm' });

describe('buildRuntimeSpec', () => {
  it("writes Docker's defaults for a plain docker run", () => {
    expect(build()).toEqual({
      ociVersion: '1.0.2',
      process: {
        terminal: false,
        user: { uid: 0, gid: 0, additionalGids: [0] },
        args: ['sh', '-c', 'echo hi'],
        env: base.env,
        cwd: '/',
        capabilities: { bounding: caps, effective: caps, permitted: caps },
        rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 }],
        oomScoreAdj: 0,
      },
      root: { path: 'rootfs' },
      hostname: '4f2a',
      mounts: [
        { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
        { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
        {
          destination: '/dev/pts',
          type: 'devpts',
          source: 'devpts',
          options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
        },
        { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
        { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
        { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
        { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=67108864'] },
      ],
      annotations: { [SECCOMP_BPF_ANNOTATION]: seccompAnnotationValue(compileSeccomp(dockerDefaultProfile, caps)) },
      linux: {
        sysctl: { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.ipv4.ping_group_range': '0 2147483647' },
        resources: { devices: [{ allow: false, access: 'rwm' }, dev(1, 5), dev(1, 3), dev(1, 9), dev(1, 8), dev(5, 0), dev(5, 1), dev(10, 229, false)] },
        cgroupsPath: '/docker/4f2a',
        namespaces: [
          { type: 'mount' },
          { type: 'network', path: '/run/netns/bridge-4f2a' },
          { type: 'uts' },
          { type: 'pid' },
          { type: 'ipc' },
          { type: 'cgroup' },
        ],
        devices: [],
        maskedPaths: [
          '/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
          '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
          '/sys/devices/virtual/powercap',
        ],
        readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
      },
    });
  });

  it('user, groups, tty, cwd, oom score and annotations', () => {
    const s = build({
      uid: 1000,
      gid: 1000,
      additionalGids: [27, 100],
      tty: true,
      consoleSize: { height: 24, width: 80 },
      cwd: '/app',
      oomScoreAdj: 500,
      annotations: { 'com.example': 'x' },
    });
    expect(s.process.user).toEqual({ uid: 1000, gid: 1000, additionalGids: [1000, 27, 100] });
    expect([s.process.terminal, s.process.consoleSize, s.process.cwd, s.process.oomScoreAdj]).toEqual([true, { height: 24, width: 80 }, '/app', 500]);
    expect(Object.keys(s.annotations!)).toEqual(['com.example', SECCOMP_BPF_ANNOTATION]);
  });

  it.each<[string, RuntimeSpecInput['network'], string[], string[]]>([
    ['a persistent netns', { path: '/run/netns/n1' }, ['mount', 'network', 'uts', 'pid', 'ipc', 'cgroup'], ['net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ping_group_range']],
    ['none: a fresh netns with lo', 'none', ['mount', 'network', 'uts', 'pid', 'ipc', 'cgroup'], ['net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ping_group_range']],
    ['host: no netns, no network sysctls', 'host', ['mount', 'uts', 'pid', 'ipc', 'cgroup'], []],
  ])('network %s', (_, network, types, sysctlKeys) => {
    const s = build({ network });
    expect(s.linux.namespaces.map((n) => n.type)).toEqual(types);
    expect(Object.keys(s.linux.sysctl ?? {})).toEqual(sysctlKeys);
  });

  it('user sysctls override and sort with the defaults', () => {
    expect(build({ sysctls: { 'net.ipv4.ip_unprivileged_port_start': '1024', 'kernel.msgmax': '65536' } }).linux.sysctl).toEqual({
      'kernel.msgmax': '65536',
      'net.ipv4.ip_unprivileged_port_start': '1024',
      'net.ipv4.ping_group_range': '0 2147483647',
    });
  });

  it.each<[string, RuntimeSpecInput['resources'], object]>([
    ['none', {}, {}],
    ['--memory 64m (swap resolved to 2x)', { memory: 64 << 20, memorySwap: 128 << 20 }, { memory: { limit: 64 << 20, swap: 128 << 20 } }],
    ['--memory-swap -1', { memory: 64 << 20, memorySwap: -1 }, { memory: { limit: 64 << 20 } }],
    ['--cpus 1.5', { nanoCpus: 1.5e9 }, { cpu: { period: 100000, quota: 150000 } }],
    ['--cpus 0.01', { nanoCpus: 1e7 }, { cpu: { period: 100000, quota: 1000 } }],
    ['--cpu-shares 512', { cpuShares: 512 }, { cpu: { shares: 512 } }],
    ['--pids-limit 100', { pidsLimit: 100 }, { pids: { limit: 100 } }],
    ['--pids-limit 0 means unlimited', { pidsLimit: 0 }, { pids: { limit: -1 } }],
    ['--pids-limit -1', { pidsLimit: -1 }, { pids: { limit: -1 } }],
  ])('resources: %s', (_, resources, want) => {
    const { devices: _devices, ...rest } = build({ resources }).linux.resources;
    expect(rest).toEqual(want);
  });

  it('rejects negative cpu shares as moby does', () => {
    expect(() => build({ resources: { cpuShares: -2 } })).toThrow('invalid CPU shares (-2): value must be a positive integer');
  });

  it('ulimits become rlimits; nofile replaces the default', () => {
    expect(build({ ulimits: [{ name: 'nproc', soft: 64, hard: 128 }] }).process.rlimits).toEqual([
      { type: 'RLIMIT_NPROC', hard: 128, soft: 64 },
      { type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 },
    ]);
    expect(build({ ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }] }).process.rlimits).toEqual([{ type: 'RLIMIT_NOFILE', hard: 2048, soft: 1024 }]);
  });

  it('user mounts: by depth (stable), replace a default, rro binds, merged tmpfs options', () => {
    const s = build({
      mounts: [
        { type: 'bind', source: '/var/lib/volumes/v1', destination: '/data/deep', readonly: true },
        { type: 'tmpfs', destination: '/dev/shm', options: 'size=1m' },
        { type: 'bind', source: '/root/app', destination: '/app', propagation: 'rslave' },
      ],
    });
    expect(s.mounts.map((m) => m.destination)).toEqual(['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/app', '/data/deep', '/dev/shm']);
    expect(s.mounts.slice(6)).toEqual([
      { destination: '/app', type: 'bind', source: '/root/app', options: ['rbind', 'rslave'] },
      { destination: '/data/deep', type: 'bind', source: '/var/lib/volumes/v1', options: ['rbind', 'ro'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rprivate', 'size=1m'] },
    ]);
  });

  it('a user /dev mount drops the default /dev/* mounts; --shm-size sizes /dev/shm', () => {
    expect(build({ mounts: [{ type: 'tmpfs', destination: '/dev' }] }).mounts.map((m) => m.destination)).toEqual(['/proc', '/sys', '/sys/fs/cgroup', '/dev']);
    expect(build({ shmSize: 1 << 20 }).mounts.at(-1)!.options).toEqual(['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=1048576']);
  });

  it('--read-only: root read-only, default mounts outside /proc and /dev keep or gain ro', () => {
    const s = build({ readonlyRootfs: true, mounts: [{ type: 'tmpfs', destination: '/tmp' }] });
    expect(s.root).toEqual({ path: 'rootfs', readonly: true });
    expect(s.mounts.filter((m) => m.options?.includes('ro')).map((m) => m.destination)).toEqual(['/sys', '/sys/fs/cgroup']);
  });

  it('--privileged: all capabilities, every device, /sys and cgroups writable, nothing masked, no filter', () => {
    const s = build({
      privileged: true,
      devices: [{ path: '/dev/loop0', type: 'b', major: 7, minor: 0, fileMode: 0o660, uid: 0, gid: 6 }],
    });
    expect(s.process.capabilities.bounding).toEqual(ALL_CAPABILITIES);
    expect(s.linux.resources.devices).toEqual([{ allow: true, access: 'rwm' }]);
    expect(s.linux.devices).toEqual([{ path: '/dev/loop0', type: 'b', major: 7, minor: 0, fileMode: 0o660, uid: 0, gid: 6 }]);
    expect(s.mounts.find((m) => m.destination === '/sys')!.options).toEqual(['nosuid', 'noexec', 'nodev']);
    expect(s.mounts.find((m) => m.destination === '/sys/fs/cgroup')!.options).toEqual(['nosuid', 'noexec', 'nodev']);
    expect([s.linux.maskedPaths, s.linux.readonlyPaths, s.linux.seccomp, s.annotations]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('--device adds the node and its cgroup rule after the defaults', () => {
    const s = build({ devices: [{ path: '/dev/fuse', type: 'c', major: 10, minor: 229, permissions: 'rw' }] });
    expect(s.linux.devices).toEqual([{ path: '/dev/fuse', type: 'c', major: 10, minor: 229 }]);
    expect(s.linux.resources.devices.at(-1)).toEqual({ allow: true, type: 'c', major: 10, minor: 229, access: 'rw' });
  });

  it.each<[string, Partial<RuntimeSpecInput>, boolean, boolean]>([
    ['default: BPF annotation', {}, true, false],
    ['json form: linux.seccomp', { seccompForm: 'json' }, false, true],
    ['seccomp=unconfined: neither', { securityOpt: ['seccomp=unconfined'] }, false, false],
    ['no-new-privileges keeps the filter', { securityOpt: ['no-new-privileges:true'] }, true, false],
  ])('seccomp %s', (_, overrides, annotation, json) => {
    const s = build(overrides);
    expect([SECCOMP_BPF_ANNOTATION in (s.annotations ?? {}), s.linux.seccomp !== undefined]).toEqual([annotation, json]);
    expect(s.linux.maskedPaths).toEqual(MASKED_PATHS);
    expect(s.linux.readonlyPaths).toEqual(READONLY_PATHS);
  });

  it('no-new-privileges only when asked', () => {
    expect('noNewPrivileges' in build().process).toBe(false);
    expect(build({ securityOpt: ['no-new-privileges'] }).process.noNewPrivileges).toBe(true);
  });

  it('the filter follows the capabilities: --cap-add SYS_ADMIN lets mount through', () => {
    const s = build({ capAdd: ['SYS_ADMIN'] });
    expect(s.annotations![SECCOMP_BPF_ANNOTATION]).toBe(seccompAnnotationValue(compileSeccomp(dockerDefaultProfile, [...caps, 'CAP_SYS_ADMIN'])));
    const json = build({ capAdd: ['SYS_ADMIN'], seccompForm: 'json' }).linux.seccomp!;
    expect(json.syscalls!.some((r) => r.names.includes('mount'))).toBe(true);
    expect(json.syscalls!.some((r) => r.names.includes('clone3') && r.action === 'SCMP_ACT_ERRNO')).toBe(false);
  });
});
