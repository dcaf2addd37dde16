// Docker's API objects as the Go values docker/cli runs `inspect -f` templates on: structs with
// moby's Go field names and order (`{{.Mounts}}` prints `[{volume 3f2… /var/lib/… /data local  true }]`,
// not a map), typed nil slices and maps (`[]`, `map[]`), and nested pointers that print as
// addresses. Structs this table does not spell out keep the JSON's order, which is moby's own
// (encoding/json writes fields in declaration order); embedded structs are flattened.
import { goMap, goPointer, goStruct, typedNil } from './template/values.ts';

type GoType =
  | 'scalar'
  | 'empty'
  | { struct: string }
  | { ptr: string }
  | { slice: GoType }
  | { map: GoType; typeName?: string };

interface StructDef {
  typeName: string;
  /** Fields by JSON key, in moby's order; fields not named here are inferred from the JSON value. */
  fields?: Record<string, GoType>;
  /** Only the listed fields, in this order (absent ones get their zero value). */
  exact?: boolean;
}

const strings: GoType = { slice: 'scalar' };
const stringMap: GoType = { map: 'scalar', typeName: 'map[string]string' };
const portSet: GoType = { map: 'empty', typeName: 'nat.PortSet' };

const STRUCTS: Record<string, StructDef> = {
  ContainerJSON: {
    typeName: 'types.ContainerJSON',
    fields: {
      Args: strings,
      State: { ptr: 'State' },
      ExecIDs: strings,
      HostConfig: { ptr: 'HostConfig' },
      GraphDriver: { struct: 'GraphDriverData' },
      Mounts: { slice: { struct: 'MountPoint' } },
      Config: { ptr: 'Config' },
      NetworkSettings: { ptr: 'NetworkSettings' },
    },
  },
  State: { typeName: '*container.State', fields: { Health: { ptr: 'Health' } } },
  Health: { typeName: '*container.Health', fields: { Log: { slice: { ptr: 'HealthLog' } } } },
  HealthLog: { typeName: '*container.HealthcheckResult' },
  MountPoint: {
    typeName: 'container.MountPoint',
    exact: true,
    fields: { Type: 'scalar', Name: 'scalar', Source: 'scalar', Destination: 'scalar', Driver: 'scalar', Mode: 'scalar', RW: 'scalar', Propagation: 'scalar' },
  },
  GraphDriverData: { typeName: 'storage.DriverData', fields: { Data: stringMap } },
  Config: {
    typeName: '*container.Config',
    fields: {
      ExposedPorts: portSet,
      Env: strings,
      Cmd: strings,
      Healthcheck: { ptr: 'HealthConfig' },
      Volumes: { map: 'empty', typeName: 'map[string]struct {}' },
      Entrypoint: strings,
      OnBuild: strings,
      Labels: stringMap,
      Shell: strings,
    },
  },
  HealthConfig: { typeName: '*container.HealthConfig', fields: { Test: strings } },
  HostConfig: {
    typeName: '*container.HostConfig',
    fields: {
      Binds: strings,
      LogConfig: { struct: 'LogConfig' },
      PortBindings: { map: { slice: { struct: 'PortBinding' } }, typeName: 'nat.PortMap' },
      RestartPolicy: { struct: 'RestartPolicy' },
      VolumesFrom: strings,
      ConsoleSize: strings,
      CapAdd: strings,
      CapDrop: strings,
      Dns: strings,
      DnsOptions: strings,
      DnsSearch: strings,
      ExtraHosts: strings,
      GroupAdd: strings,
      Links: strings,
      SecurityOpt: strings,
      Tmpfs: stringMap,
      Sysctls: stringMap,
      StorageOpt: stringMap,
      Ulimits: { slice: { ptr: 'Ulimit' } },
      Devices: { slice: { struct: 'DeviceMapping' } },
      DeviceCgroupRules: strings,
      Mounts: { slice: { struct: 'Mount' } },
      MaskedPaths: strings,
      ReadonlyPaths: strings,
    },
  },
  LogConfig: { typeName: 'container.LogConfig', fields: { Type: 'scalar', Config: stringMap } },
  RestartPolicy: { typeName: 'container.RestartPolicy' },
  PortBinding: { typeName: 'nat.PortBinding', exact: true, fields: { HostIp: 'scalar', HostPort: 'scalar' } },
  Ulimit: { typeName: '*container.Ulimit' },
  DeviceMapping: { typeName: 'container.DeviceMapping' },
  Mount: { typeName: 'mount.Mount' },
  NetworkSettings: {
    typeName: '*container.NetworkSettings',
    fields: {
      Ports: { map: { slice: { struct: 'PortBinding' } }, typeName: 'nat.PortMap' },
      SecondaryIPAddresses: strings,
      SecondaryIPv6Addresses: strings,
      Networks: { map: { ptr: 'EndpointSettings' }, typeName: 'map[string]*network.EndpointSettings' },
    },
  },
  EndpointSettings: {
    typeName: '*network.EndpointSettings',
    fields: { IPAMConfig: { ptr: 'EndpointIPAMConfig' }, Links: strings, Aliases: strings, DriverOpts: stringMap, DNSNames: strings },
  },
  EndpointIPAMConfig: { typeName: '*network.EndpointIPAMConfig', fields: { LinkLocalIPs: strings } },
  ImageInspect: {
    typeName: 'image.InspectResponse',
    fields: {
      RepoTags: strings,
      RepoDigests: strings,
      Config: { ptr: 'ImageConfig' },
      GraphDriver: { struct: 'GraphDriverData' },
      RootFS: { struct: 'RootFS' },
      Metadata: { struct: 'ImageMetadata' },
    },
  },
  ImageConfig: {
    typeName: '*v1.DockerOCIImageConfig',
    fields: { ExposedPorts: portSet, Env: strings, Entrypoint: strings, Cmd: strings, Volumes: { map: 'empty', typeName: 'map[string]struct {}' }, Labels: stringMap, OnBuild: strings, Shell: strings },
  },
  RootFS: { typeName: 'image.RootFS', fields: { Layers: strings } },
  ImageMetadata: { typeName: 'image.Metadata' },
  Volume: { typeName: 'volume.Volume', fields: { Labels: stringMap, Options: stringMap, Status: { map: 'scalar', typeName: 'map[string]interface {}' }, UsageData: { ptr: 'UsageData' } } },
  UsageData: { typeName: '*volume.UsageData' },
};

/** Go field names where moby's JSON tag differs (the template sees Go's names). */
const GO_NAMES: Record<string, string> = {
  Id: 'ID',
  HostIp: 'HostIP',
  Dns: 'DNS',
  DnsOptions: 'DNSOptions',
  DnsSearch: 'DNSSearch',
  CpuShares: 'CPUShares',
  NanoCpus: 'NanoCPUs',
  CpuPeriod: 'CPUPeriod',
  CpuQuota: 'CPUQuota',
  CpuRealtimePeriod: 'CPURealtimePeriod',
  CpuRealtimeRuntime: 'CPURealtimeRuntime',
  CpuCount: 'CPUCount',
  CpuPercent: 'CPUPercent',
};

function typeNameOf(t: GoType): string {
  if (t === 'scalar') return 'string';
  if (t === 'empty') return 'struct {}';
  if ('struct' in t) return STRUCTS[t.struct]!.typeName;
  if ('ptr' in t) return STRUCTS[t.ptr]!.typeName;
  if ('slice' in t) return `[]${typeNameOf(t.slice)}`;
  return t.typeName ?? `map[string]${typeNameOf(t.map)}`;
}

/** A JSON value as the Go value of type `t`. */
function toGo(value: unknown, t: GoType): unknown {
  if (t === 'scalar') return value;
  if (t === 'empty') return goStruct({}, 'struct {}');
  if ('slice' in t) return Array.isArray(value) ? value.map((e) => toGo(e, t.slice)) : typedNil('slice', typeNameOf(t));
  if ('map' in t) {
    if (value === null || value === undefined || typeof value !== 'object') return typedNil('map', typeNameOf(t));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toGo(v, t.map);
    return t.typeName === 'map[string]string' ? goMap(out, t.typeName) : out;
  }
  const name = 'struct' in t ? t.struct : t.ptr;
  if ('ptr' in t && (value === null || value === undefined)) return typedNil('pointer', STRUCTS[name]!.typeName);
  const struct = toStruct((value ?? {}) as Record<string, unknown>, name);
  return 'ptr' in t ? goPointer(struct) : struct;
}

/** A value of a field this table does not describe: Go's types as JSON decodes them. */
function inferred(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inferred);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = inferred(v);
    return out;
  }
  return value;
}

function toStruct(json: Record<string, unknown>, name: string): object {
  const def = STRUCTS[name]!;
  const fields: Record<string, unknown> = {};
  const keys = def.exact ? Object.keys(def.fields ?? {}) : Object.keys(json);
  for (const key of keys) {
    const t = def.fields?.[key];
    fields[GO_NAMES[key] ?? key] = t ? toGo(json[key] ?? zeroJson(t), t) : inferred(json[key]);
  }
  return goStruct(fields, def.typeName.replace(/^\*/, ''));
}

function zeroJson(t: GoType): unknown {
  return t === 'scalar' ? '' : null;
}

export type InspectKind = 'container' | 'image' | 'volume';

const ROOTS: Record<InspectKind, string> = { container: 'ContainerJSON', image: 'ImageInspect', volume: 'Volume' };

/** The API object `json` of `kind` as docker/cli's typed value for templates. */
export function typedInspect(kind: InspectKind, json: unknown): unknown {
  return toStruct(json as Record<string, unknown>, ROOTS[kind]);
}
