// The OCI runtime-spec config.json (the parts Slipway writes for crun) and the resolved container
// settings it is generated from.
import type { OciSeccomp } from './seccomp/oci.ts';

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options?: string[];
}

export interface OciNamespace {
  type: 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup';
  path?: string;
}

export interface OciDevice {
  path: string;
  type: string;
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

export interface OciDeviceRule {
  allow: boolean;
  type?: string;
  major?: number;
  minor?: number;
  access?: string;
}

export interface OciResources {
  devices: OciDeviceRule[];
  memory?: { limit?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number };
  pids?: { limit: number };
}

export interface OciRlimit {
  type: string;
  hard: number;
  soft: number;
}

export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
}

export interface OciRuntimeSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    consoleSize?: { height: number; width: number };
    user: { uid: number; gid: number; additionalGids: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: OciCapabilities;
    rlimits: OciRlimit[];
    noNewPrivileges?: boolean;
    oomScoreAdj: number;
  };
  root: { path: string; readonly?: boolean };
  hostname: string;
  mounts: OciMount[];
  annotations?: Record<string, string>;
  linux: {
    sysctl?: Record<string, string>;
    resources: OciResources;
    cgroupsPath: string;
    namespaces: OciNamespace[];
    devices: OciDevice[];
    seccomp?: OciSeccomp;
    maskedPaths?: string[];
    readonlyPaths?: string[];
  };
}

/** A volume or bind mount (source is a path in the guest) or a `--tmpfs` mount. */
export type SpecMountInput =
  | { type: 'bind'; source: string; destination: string; readonly?: boolean; propagation?: string; nonRecursive?: boolean }
  | { type: 'tmpfs'; destination: string; /** `--tmpfs /dst:OPTIONS` text, e.g. `size=64m,mode=1777`. */ options?: string };

/** A device node to create in the container (`--device`, or the guest's devices when privileged). */
export interface SpecDeviceInput {
  path: string;
  type: 'c' | 'b' | 'p' | 'u';
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
  /** cgroup access, `rwm` by default. */
  permissions?: string;
}

export interface SpecResourcesInput {
  /** Bytes; 0 or absent = unlimited. */
  memory?: number;
  /** Memory + swap in bytes as Docker resolved it (2 × memory when only --memory is given); ≤ 0 = unset. */
  memorySwap?: number;
  /** --cpus × 1e9. */
  nanoCpus?: number;
  cpuShares?: number;
  /** ≤ 0 = unlimited (-1 in the spec); absent = not set. */
  pidsLimit?: number;
}

export interface SpecUlimitInput {
  /** Docker's name: `nofile`, `nproc`, … */
  name: string;
  soft: number;
  hard: number;
}

export interface RuntimeSpecInput {
  args: string[];
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  /** Supplementary groups after the primary one (from /etc/group and --group-add). */
  additionalGids?: number[];
  hostname: string;
  tty: boolean;
  consoleSize?: { height: number; width: number };
  /** The root filesystem: bundle-relative or absolute. */
  rootfs: string;
  readonlyRootfs?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  securityOpt?: string[];
  resources?: SpecResourcesInput;
  ulimits?: SpecUlimitInput[];
  mounts?: SpecMountInput[];
  /** A persistent netns to join, the guest's own network, or a fresh netns with only `lo`. */
  network: { path: string } | 'host' | 'none';
  cgroupsPath: string;
  annotations?: Record<string, string>;
  sysctls?: Record<string, string>;
  devices?: SpecDeviceInput[];
  /** /dev/shm size in bytes (Docker's default 64 MiB). */
  shmSize?: number;
  oomScoreAdj?: number;
  /**
   * How crun receives the filter: `bpf` = precompiled program in the `run.oci.seccomp_bpf_data`
   * annotation (~50 ms faster per start), `json` = Docker's `linux.seccomp` for libseccomp.
   */
  seccompForm?: 'bpf' | 'json';
}
