// Engine API views of a container record: `docker inspect` (InspectResponse) and `docker ps`
// (Summary), with Docker's field order and defaults, so templates and JSON match Docker's.
import type { Config, HostConfig } from './options-types.ts';
import type { ContainerRecord } from './record.ts';
import { GuestPaths } from './runtime.ts';
import { DEFAULT_LOG_DRIVER } from './log-config.ts';
import { mountPointsView } from '../volume/mount-points.ts';

export interface PortSummary {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

export interface ViewContext {
  now: number;
  /** Live PID of the container's init, when known. */
  pid?: number;
  /** The network's ID, by name. */
  networkId?: (name: string) => string;
  sizeRw?: number;
  sizeRootFs?: number;
}

export function inspectConfig(c: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Hostname: c.Hostname,
    Domainname: '',
    User: c.User ?? '',
    AttachStdin: c.AttachStdin ?? false,
    AttachStdout: c.AttachStdout ?? false,
    AttachStderr: c.AttachStderr ?? false,
  };
  if (c.ExposedPorts && Object.keys(c.ExposedPorts).length) out.ExposedPorts = c.ExposedPorts;
  Object.assign(out, {
    Tty: c.Tty ?? false,
    OpenStdin: c.OpenStdin ?? false,
    StdinOnce: c.StdinOnce ?? false,
    Env: c.Env ?? [],
    Cmd: c.Cmd?.length ? c.Cmd : null,
    Image: c.Image,
    Volumes: c.Volumes && Object.keys(c.Volumes).length ? c.Volumes : null,
    WorkingDir: c.WorkingDir ?? '',
    Entrypoint: c.Entrypoint?.length ? c.Entrypoint : null,
    OnBuild: null,
    Labels: c.Labels ?? {},
  });
  if (c.StopSignal) out.StopSignal = c.StopSignal;
  if (c.StopTimeout !== undefined) out.StopTimeout = c.StopTimeout;
  return out;
}

export function inspectHostConfig(h: HostConfig, tty: { rows: number; cols: number } | null): Record<string, unknown> {
  return {
    Binds: h.Binds?.length ? h.Binds : null,
    ContainerIDFile: '',
    LogConfig: h.LogConfig ?? { Type: DEFAULT_LOG_DRIVER, Config: {} },
    NetworkMode: h.NetworkMode || 'bridge',
    PortBindings: h.PortBindings ?? {},
    RestartPolicy: { Name: h.RestartPolicy?.Name || 'no', MaximumRetryCount: h.RestartPolicy?.MaximumRetryCount ?? 0 },
    AutoRemove: h.AutoRemove ?? false,
    VolumeDriver: '',
    VolumesFrom: h.VolumesFrom?.length ? h.VolumesFrom : null,
    ConsoleSize: tty ? [tty.rows, tty.cols] : [0, 0],
    CapAdd: h.CapAdd?.length ? h.CapAdd : null,
    CapDrop: h.CapDrop?.length ? h.CapDrop : null,
    CgroupnsMode: 'private',
    Dns: h.Dns ?? [],
    DnsOptions: [],
    DnsSearch: [],
    ExtraHosts: h.ExtraHosts?.length ? h.ExtraHosts : null,
    GroupAdd: null,
    IpcMode: 'private',
    Cgroup: '',
    Links: h.Links?.length ? h.Links : null,
    OomScoreAdj: 0,
    PidMode: '',
    Privileged: h.Privileged ?? false,
    PublishAllPorts: h.PublishAllPorts ?? false,
    ReadonlyRootfs: h.ReadonlyRootfs ?? false,
    SecurityOpt: h.SecurityOpt?.length ? h.SecurityOpt : null,
    ...(h.Tmpfs && Object.keys(h.Tmpfs).length ? { Tmpfs: h.Tmpfs } : {}),
    UTSMode: '',
    UsernsMode: '',
    ShmSize: 67108864,
    Runtime: 'runc',
    Isolation: '',
    CpuShares: h.CpuShares ?? 0,
    Memory: h.Memory ?? 0,
    NanoCpus: h.NanoCpus ?? 0,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: [],
    BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [],
    BlkioDeviceWriteIOps: [],
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: '',
    CpusetMems: '',
    Devices: h.Devices ?? [],
    DeviceCgroupRules: null,
    DeviceRequests: null,
    MemoryReservation: 0,
    MemorySwap: h.MemorySwap ?? 0,
    MemorySwappiness: null,
    OomKillDisable: null,
    PidsLimit: h.PidsLimit ?? null,
    Ulimits: h.Ulimits?.length ? h.Ulimits : [],
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    ...(h.Mounts?.length ? { Mounts: h.Mounts } : {}),
    ...(h.Init !== undefined ? { Init: h.Init } : {}),
    MaskedPaths: h.Privileged
      ? null
      : ['/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'],
    ReadonlyPaths: h.Privileged ? null : ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  };
}

/** `NetworkSettings.Ports`: exposed ports with their bindings (null when not published). */
export function portMap(record: ContainerRecord): Record<string, { HostIp: string; HostPort: string }[] | null> {
  const out: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  if (!record.State.Running) return out;
  for (const key of Object.keys(record.Config.ExposedPorts ?? {})) out[key] = null;
  for (const [key, bindings] of Object.entries(record.ports ?? {})) {
    out[key] = bindings.flatMap((b) => [
      { HostIp: b.HostIp || '0.0.0.0', HostPort: b.HostPort },
      ...(b.HostIp ? [] : [{ HostIp: '::', HostPort: b.HostPort }]),
    ]);
  }
  return out;
}

export function containerInspect(record: ContainerRecord, ctx: ViewContext): Record<string, unknown> {
  const net = record.State.Running ? record.network : null;
  const networkName = record.HostConfig.NetworkMode && record.HostConfig.NetworkMode !== 'default' ? record.HostConfig.NetworkMode : 'bridge';
  const endpoint = endpointSettings(record, networkName, ctx, true);

  const isDefaultBridge = networkName === 'bridge';
  const shared = GuestPaths.sharedInGuest(record.Id);
  return {
    Id: record.Id,
    Created: record.Created,
    Path: record.Path,
    Args: record.Args,
    State: { ...record.State, Pid: record.State.Running ? (ctx.pid ?? record.State.Pid) : 0 },
    Image: record.Image,
    ResolvConfPath: `${shared}/resolv.conf`,
    HostnamePath: `${shared}/hostname`,
    HostsPath: `${shared}/hosts`,
    LogPath: '',
    Name: record.Name,
    RestartCount: record.RestartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: inspectHostConfig(record.HostConfig, null),
    GraphDriver: {
      Data: {
        LowerDir: `${GUEST_IMAGE_ROOT(record.Image)}`,
        MergedDir: `${GuestPaths.bundle(record.Id)}/rootfs`,
        UpperDir: `${GuestPaths.layer(record.Id)}/upper`,
        WorkDir: `${GuestPaths.layer(record.Id)}/work`,
      },
      Name: 'overlay2',
    },
    ...(ctx.sizeRw !== undefined ? { SizeRw: ctx.sizeRw, SizeRootFs: ctx.sizeRootFs ?? ctx.sizeRw } : {}),
    Mounts: mountPointsView(record),
    Config: inspectConfig(record.Config),
    NetworkSettings: {
      Bridge: '',
      SandboxID: net ? record.Id.split('').reverse().join('') : '',
      SandboxKey: net ? `/run/netns/${record.Id.slice(0, 12)}` : '',
      Ports: portMap(record),
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      EndpointID: isDefaultBridge ? endpoint.EndpointID : '',
      Gateway: isDefaultBridge ? endpoint.Gateway : '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      IPAddress: isDefaultBridge ? endpoint.IPAddress : '',
      IPPrefixLen: isDefaultBridge ? endpoint.IPPrefixLen : 0,
      IPv6Gateway: '',
      MacAddress: isDefaultBridge ? endpoint.MacAddress : '',
      Networks: record.HostConfig.NetworkMode === 'host' || record.HostConfig.NetworkMode === 'none' ? { [record.HostConfig.NetworkMode]: endpoint } : { [networkName]: endpoint },
    },
  };
}

/** The ID of the container's endpoint on its network (stable for the container). */
export function endpointId(record: ContainerRecord): string {
  return record.Id.slice(0, 32) + record.Id.slice(0, 32);
}

/** API `EndpointSettings` of the container's network (Docker's field order). */
function endpointSettings(record: ContainerRecord, networkName: string, ctx: ViewContext, withEndpointId: boolean): Record<string, unknown> {
  const net = record.State.Running ? record.network : null;
  // On a user network the container's names resolve (moby 26+: Aliases are the user's, DNSNames all of them).
  const user = !['bridge', 'host', 'none'].includes(networkName) && !networkName.startsWith('container:');
  const aliases = record.endpoint?.aliases ?? [];
  return {
    IPAMConfig: record.endpoint?.ipv4 ? { IPv4Address: record.endpoint.ipv4 } : null,
    Links: null,
    Aliases: user && aliases.length ? aliases : null,
    MacAddress: net?.macAddress ?? '',
    DriverOpts: null,
    GwPriority: 0,
    NetworkID: ctx.networkId?.(networkName) ?? '',
    EndpointID: net && withEndpointId ? endpointId(record) : '',
    Gateway: net?.gateway ?? '',
    IPAddress: net?.ipAddress ?? '',
    IPPrefixLen: net?.prefixLen ?? 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: user && net ? [record.Name.replace(/^\//, ''), record.Id.slice(0, 12), ...aliases] : null,
  };
}

const GUEST_IMAGE_ROOT = (imageId: string) => `/mnt/host${GuestPaths.image(imageId)}`;

/** The quoted, space-joined command `docker ps` shows (before truncation). */
export function commandLine(record: ContainerRecord): string {
  return [record.Path, ...record.Args].join(' ');
}

export function containerSummary(record: ContainerRecord, ctx: ViewContext & { statusText: string }): Record<string, unknown> {
  const ports: PortSummary[] = [];
  const bindings = record.State.Running ? (record.ports ?? {}) : {};
  // A stopped container has no ports in Docker's list (its network settings are released).
  for (const key of record.State.Running ? Object.keys(record.Config.ExposedPorts ?? {}) : []) {
    if (bindings[key]?.length) continue;
    const [port, type = 'tcp'] = key.split('/');
    ports.push({ PrivatePort: Number(port), Type: type });
  }
  for (const [key, list] of Object.entries(bindings)) {
    const [port, type = 'tcp'] = key.split('/');
    for (const b of list) {
      const ips = b.HostIp ? [b.HostIp] : ['0.0.0.0', '::'];
      for (const ip of ips) ports.push({ IP: ip, PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: type });
    }
  }
  const networkName = record.HostConfig.NetworkMode && record.HostConfig.NetworkMode !== 'default' ? record.HostConfig.NetworkMode : 'bridge';
  return {
    Id: record.Id,
    Names: [record.Name],
    Image: record.Config.Image,
    ImageID: record.Image,
    Command: commandLine(record),
    Created: Math.floor(Date.parse(record.Created) / 1000),
    Ports: ports,
    ...(ctx.sizeRw !== undefined ? { SizeRw: ctx.sizeRw, SizeRootFs: ctx.sizeRootFs ?? 0 } : {}),
    Labels: record.Config.Labels ?? {},
    State: record.State.Status,
    Status: ctx.statusText,
    HostConfig: { NetworkMode: record.HostConfig.NetworkMode === 'default' || !record.HostConfig.NetworkMode ? 'bridge' : record.HostConfig.NetworkMode },
    NetworkSettings: {
      Networks: {
        [networkName]: endpointSettings(record, networkName, ctx, false),
      },
    },
    Mounts: mountPointsView(record),
  };
}
