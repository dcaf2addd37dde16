// The Docker Engine API (v1.50) container-create request, as `docker run`/`docker create` build it.
// Field names are the API's, so the model serialises to what `docker inspect` shows.

/** "80/tcp", "53/udp", "8000-8002/tcp" style keys. */
export type PortKey = string;

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

export interface RestartPolicy {
  /** '' (not given), 'no', 'always', 'on-failure', 'unless-stopped'. */
  Name: string;
  MaximumRetryCount: number;
}

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

/** One `--mount` (API `mount.Mount`). */
export interface Mount {
  Type: 'bind' | 'volume' | 'tmpfs' | 'image' | 'npipe' | 'cluster';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean; ReadOnlyNonRecursive?: boolean; ReadOnlyForceRecursive?: boolean };
  VolumeOptions?: { NoCopy?: boolean; Labels?: Record<string, string>; Subpath?: string; DriverConfig?: { Name?: string; Options?: Record<string, string> } };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
  ImageOptions?: { Subpath?: string };
}

/** API `container.Config`: what the container runs. */
export interface Config {
  Image: string;
  Cmd?: string[];
  /** [''] when `--entrypoint ''` resets the image's entrypoint. */
  Entrypoint?: string[];
  Env: string[];
  Hostname: string;
  User: string;
  WorkingDir: string;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<PortKey, Record<string, never>>;
  Labels: Record<string, string>;
  StopSignal?: string;
  /** Seconds; only when --stop-timeout was given. */
  StopTimeout?: number;
  /** Anonymous volumes (`-v /data`): container path → {}. */
  Volumes?: Record<string, Record<string, never>>;
}

/** API `container.LogConfig`: the logging driver and its options (`--log-driver`, `--log-opt`). */
export interface LogConfig {
  /** '' from the CLI means the daemon's default; the daemon stores the driver it chose. */
  Type: string;
  Config: Record<string, string>;
}

/** API `container.DeviceMapping`: one `--device`. */
export interface DeviceMapping {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

/** API `container.HostConfig`: how the host runs it. */
export interface HostConfig {
  /** `-v` host-path and named-volume mounts, "src:dst[:mode]". */
  Binds?: string[];
  /** Unset in records made before logging drivers were kept: json-file then. */
  LogConfig?: LogConfig;
  Mounts?: Mount[];
  PortBindings: Record<PortKey, PortBinding[]>;
  PublishAllPorts: boolean;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  /** 'default' unless --network was given. */
  NetworkMode: string;
  Links?: string[];
  CapAdd?: string[];
  CapDrop?: string[];
  Privileged: boolean;
  SecurityOpt?: string[];
  ReadonlyRootfs: boolean;
  /** Only when --init was given. */
  Init?: boolean;
  Memory: number;
  MemorySwap: number;
  NanoCpus: number;
  CpuShares: number;
  /** Unset in records made before --device was kept. */
  Devices?: DeviceMapping[];
  /** Only when --pids-limit was given. */
  PidsLimit?: number;
  Ulimits?: Ulimit[];
  /** container path → mount options ("rw,size=64m"). */
  Tmpfs?: Record<string, string>;
  /** `--storage-opt`: `size` bounds the writable layer. */
  StorageOpt?: Record<string, string>;
  ExtraHosts?: string[];
  Dns: string[];
  VolumesFrom?: string[];
  /** [rows, cols] of the client's terminal for a tty container (docker/cli sends it at create). */
  ConsoleSize?: [number, number];
}

export interface EndpointSettings {
  Aliases?: string[];
  Links?: string[];
  IPAMConfig?: { IPv4Address?: string };
}

export interface NetworkingConfig {
  EndpointsConfig: Record<string, EndpointSettings>;
}
