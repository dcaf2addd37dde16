// The OCI runtime spec (config.json) for a container, as Docker v28 generates it on Linux (moby
// oci/defaults.go + daemon/oci_linux.go), adapted to the guest: cgroup v2, no AppArmor/SELinux,
// and the seccomp filter handed to crun precompiled.
import { compileSeccomp, seccompAnnotationValue } from './seccomp/compile.ts';
import { ociSeccomp } from './seccomp/oci.ts';
import { dockerDefaultProfile } from './seccomp/profile.ts';
import { containerCapabilities } from './spec-capabilities.ts';
import { containerMounts } from './spec-mounts.ts';
import { parseSecurityOptions } from './spec-security.ts';
import type { OciDevice, OciDeviceRule, OciNamespace, OciResources, OciRlimit, OciRuntimeSpec, RuntimeSpecInput } from './spec-types.ts';

export type * from './spec-types.ts';

/** moby v28 writes 1.2.1, but crun 1.8.1 refuses any version without "1.0" in it. */
export const OCI_VERSION = '1.0.2';

/** crun 1.8.1 loads this annotation's base64 as the finished BPF program, skipping libseccomp. */
export const SECCOMP_BPF_ANNOTATION = 'run.oci.seccomp_bpf_data';

export const MASKED_PATHS: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const chr = (major: number, minor: number, allow = true): OciDeviceRule => ({ allow, type: 'c', major, minor, access: 'rwm' });

/** moby's list: deny all, then zero, null, urandom, random, tty, console; fuse (10:229) denied. */
function defaultDeviceRules(): OciDeviceRule[] {
  return [{ allow: false, access: 'rwm' }, chr(1, 5), chr(1, 3), chr(1, 9), chr(1, 8), chr(5, 0), chr(5, 1), chr(10, 229, false)];
}

/**
 * Docker's containers see `ulimit -n` 1048576: runc inherits it from containerd's unit. crun here
 * inherits the agent's limits instead, so the value is written out.
 */
const DEFAULT_NOFILE = 1048576;

function rlimits(input: RuntimeSpecInput): OciRlimit[] {
  const limits = (input.ulimits ?? []).map((u) => ({ type: `RLIMIT_${u.name.toUpperCase()}`, hard: u.hard, soft: u.soft }));
  if (!limits.some((l) => l.type === 'RLIMIT_NOFILE')) limits.push({ type: 'RLIMIT_NOFILE', hard: DEFAULT_NOFILE, soft: DEFAULT_NOFILE });
  return limits;
}

function namespaces(network: RuntimeSpecInput['network']): OciNamespace[] {
  const net: OciNamespace[] = network === 'host' ? [] : [typeof network === 'object' ? { type: 'network', path: network.path } : { type: 'network' }];
  // moby's default order, the cgroup namespace appended (private cgroupns, the v2 default).
  return [{ type: 'mount' }, ...net, { type: 'uts' }, { type: 'pid' }, { type: 'ipc' }, { type: 'cgroup' }];
}

function resources(input: RuntimeSpecInput, devices: OciDeviceRule[]): OciResources {
  const r = input.resources ?? {};
  const out: OciResources = { devices };
  const memory = { ...(r.memory && r.memory > 0 ? { limit: r.memory } : {}), ...(r.memorySwap && r.memorySwap > 0 ? { swap: r.memorySwap } : {}) };
  if (Object.keys(memory).length) out.memory = memory;
  const cpu: OciResources['cpu'] = {};
  if (r.cpuShares) {
    if (r.cpuShares < 0) throw new Error(`invalid CPU shares (${r.cpuShares}): value must be a positive integer`);
    cpu.shares = r.cpuShares;
  }
  if (r.nanoCpus && r.nanoCpus > 0) {
    // A 100 ms period, the quota its share of --cpus (crun writes both to cpu.max).
    cpu.period = 100000;
    cpu.quota = Math.floor((r.nanoCpus * 100000) / 1e9);
  }
  if (Object.keys(cpu).length) out.cpu = cpu;
  if (r.pidsLimit !== undefined) out.pids = { limit: r.pidsLimit > 0 ? r.pidsLimit : -1 };
  return out;
}

function sysctls(input: RuntimeSpecInput): Record<string, string> | undefined {
  const all: Record<string, string> = {};
  if (input.network !== 'host') {
    // Unprivileged ping and low ports inside the container's own network namespace, as Docker.
    all['net.ipv4.ping_group_range'] = '0 2147483647';
    all['net.ipv4.ip_unprivileged_port_start'] = '0';
  }
  Object.assign(all, input.sysctls);
  const keys = Object.keys(all).sort();
  return keys.length ? Object.fromEntries(keys.map((k) => [k, all[k]!])) : undefined;
}

export function buildRuntimeSpec(input: RuntimeSpecInput): OciRuntimeSpec {
  const privileged = input.privileged ?? false;
  const security = parseSecurityOptions(input.securityOpt);
  const caps = containerCapabilities(input.capAdd, input.capDrop, privileged);

  const devices: OciDevice[] = (input.devices ?? []).map(({ permissions: _, ...d }) => d);
  const deviceRules = privileged
    ? [{ allow: true, access: 'rwm' }]
    : [
        ...defaultDeviceRules(),
        ...(input.devices ?? []).map((d) => ({ allow: true, type: d.type, major: d.major, minor: d.minor, access: d.permissions ?? 'rwm' })),
      ];

  const annotations: Record<string, string> = { ...input.annotations };
  const linux: OciRuntimeSpec['linux'] = {
    resources: resources(input, deviceRules),
    cgroupsPath: input.cgroupsPath,
    namespaces: namespaces(input.network),
    devices,
  };
  const sysctl = sysctls(input);
  if (sysctl) linux.sysctl = sysctl;
  if (!privileged) {
    linux.maskedPaths = [...MASKED_PATHS];
    linux.readonlyPaths = [...READONLY_PATHS];
    if (security.seccomp === 'default') {
      if (input.seccompForm === 'json') linux.seccomp = ociSeccomp(dockerDefaultProfile, { capabilities: caps });
      else annotations[SECCOMP_BPF_ANNOTATION] = seccompAnnotationValue(compileSeccomp(dockerDefaultProfile, caps));
    }
  }

  const spec: OciRuntimeSpec = {
    ociVersion: OCI_VERSION,
    process: {
      terminal: input.tty,
      ...(input.tty && input.consoleSize ? { consoleSize: input.consoleSize } : {}),
      user: { uid: input.uid, gid: input.gid, additionalGids: [input.gid, ...(input.additionalGids ?? [])] },
      args: input.args,
      env: input.env,
      cwd: input.cwd || '/',
      capabilities: { bounding: caps, effective: [...caps], permitted: [...caps] },
      rlimits: rlimits(input),
      ...(security.noNewPrivileges ? { noNewPrivileges: true } : {}),
      oomScoreAdj: input.oomScoreAdj ?? 0,
    },
    root: { path: input.rootfs, ...(input.readonlyRootfs ? { readonly: true } : {}) },
    hostname: input.hostname,
    mounts: containerMounts({ ...input, writableCgroups: security.writableCgroups }),
    linux,
  };
  if (Object.keys(annotations).length) spec.annotations = annotations;
  return spec;
}
