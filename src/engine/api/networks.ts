// The /networks routes: the three predefined networks (bridge, host, none) and user-defined
// bridge networks (network/networks.ts), each a bridge of its own in the guest.
import { DaemonError } from '../container/state.ts';
import { containerInspect } from '../container/views.ts';
import type { Engine } from '../engine.ts';
import { BRIDGE, networkId } from '../network/bridge.ts';
import type { EngineApi, JsonObject } from './types.ts';
import type { ContainerRecord } from '../container/record.ts';
import type { NetworkRecord } from '../network/networks.ts';

type NetworkRoutes = Pick<EngineApi, 'networkList' | 'networkInspect' | 'networkCreate' | 'networkRemove' | 'networkPrune'>;

const PREDEFINED = ['bridge', 'host', 'none'] as const;
/** When the Docker host's networks were made: its first boot has no date of its own. */
const CREATED = '2026-01-01T00:00:00Z';

type Predefined = (typeof PREDEFINED)[number];
type AnyNetwork = { kind: 'predefined'; name: Predefined } | { kind: 'user'; record: NetworkRecord };

const nameOf = (n: AnyNetwork) => (n.kind === 'predefined' ? n.name : n.record.Name);

/** The running containers on a network. */
function members(engine: Engine, n: AnyNetwork): ContainerRecord[] {
  return engine.containers.registry.all().filter((c) => {
    if (!c.State.Running) return false;
    const mode = c.HostConfig.NetworkMode || 'default';
    if (n.kind === 'user') return c.network?.network === n.record.Name;
    return mode === n.name || (n.name === 'bridge' && mode === 'default');
  });
}

function networkView(engine: Engine, n: AnyNetwork, verbose: boolean): JsonObject {
  const name = nameOf(n);
  const containers: Record<string, JsonObject> = {};
  if (verbose) {
    for (const c of members(engine, n)) {
      const settings = (containerInspect(c, { now: engine.now(), networkId: engine.networkIdOf }).NetworkSettings as { Networks?: Record<string, Record<string, string | number>> }).Networks?.[c.HostConfig.NetworkMode === 'default' ? 'bridge' : c.HostConfig.NetworkMode] ?? {};
      containers[c.Id] = {
        Name: c.Name.replace(/^\//, ''),
        EndpointID: settings.EndpointID ?? '',
        MacAddress: settings.MacAddress ?? '',
        IPv4Address: settings.IPAddress ? `${settings.IPAddress}/${settings.IPPrefixLen}` : '',
        IPv6Address: '',
      };
    }
  }
  if (n.kind === 'user') {
    const r = n.record;
    return {
      Name: r.Name,
      Id: r.Id,
      Created: r.Created,
      Scope: 'local',
      Driver: r.Driver,
      EnableIPv4: true,
      EnableIPv6: false,
      IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: r.subnet, ...(r.ipRange ? { IPRange: r.ipRange } : {}), Gateway: r.gateway }] },
      Internal: r.Internal,
      Attachable: r.Attachable,
      Ingress: false,
      ConfigFrom: { Network: '' },
      ConfigOnly: false,
      Containers: containers,
      Options: r.Options,
      Labels: r.Labels,
    };
  }
  const driver = name === 'bridge' ? 'bridge' : name === 'host' ? 'host' : 'null';
  return {
    Name: name,
    Id: networkId(name),
    Created: CREATED,
    Scope: 'local',
    Driver: driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: name === 'bridge' ? [{ Subnet: BRIDGE.subnet, Gateway: BRIDGE.gateway }] : null },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options:
      name === 'bridge'
        ? {
            'com.docker.network.bridge.default_bridge': 'true',
            'com.docker.network.bridge.enable_icc': 'true',
            'com.docker.network.bridge.enable_ip_masquerade': 'true',
            'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
            'com.docker.network.bridge.name': BRIDGE.device,
            'com.docker.network.driver.mtu': '1500',
          }
        : {},
    Labels: {},
  };
}

function all(engine: Engine): AnyNetwork[] {
  return [...PREDEFINED.map((name): AnyNetwork => ({ kind: 'predefined', name })), ...engine.networks.all().map((record): AnyNetwork => ({ kind: 'user', record }))];
}

/** moby's lookup: an ID, a name, then a unique ID prefix. */
function find(engine: Engine, ref: string): AnyNetwork {
  const nets = all(engine);
  const idOf = (n: AnyNetwork) => (n.kind === 'user' ? n.record.Id : networkId(n.name));
  const found = nets.find((n) => idOf(n) === ref) ?? nets.find((n) => nameOf(n) === ref) ?? (ref ? (nets.filter((n) => idOf(n).startsWith(ref)).length === 1 ? nets.find((n) => idOf(n).startsWith(ref)) : undefined) : undefined);
  if (!found) throw new DaemonError(`network ${ref} not found`, 'not-found');
  return found;
}

function labelsMatch(labels: Record<string, string>, values: string[]): boolean {
  return values.every((v) => {
    const [k = '', value] = v.split('=', 2);
    return k in labels && (value === undefined || labels[k] === value);
  });
}

export function networkRoutes(engine: Engine): NetworkRoutes {
  return {
    async networkList(options = {}) {
      const filters = options.filters ?? {};
      return all(engine)
        .filter((n) =>
          Object.entries(filters).every(([key, values]) => {
            const id = n.kind === 'user' ? n.record.Id : networkId(n.name);
            switch (key) {
              case 'name':
                return values.some((v) => nameOf(n).includes(v));
              case 'id':
                return values.some((v) => id.startsWith(v));
              case 'driver':
                return values.includes(n.kind === 'user' ? n.record.Driver : n.name === 'none' ? 'null' : n.name);
              case 'type':
                return values.includes(n.kind === 'user' ? 'custom' : 'builtin');
              case 'scope':
                return values.includes('local');
              case 'label':
                return n.kind === 'user' && labelsMatch(n.record.Labels, values);
              case 'dangling': {
                const dangling = values.every((v) => v === 'true' || v === '1');
                return dangling ? n.kind === 'user' && members(engine, n).length === 0 : true;
              }
              default:
                throw new DaemonError(`invalid filter '${key}'`, 'invalid-parameter');
            }
          }),
        )
        .map((n) => networkView(engine, n, false));
    },
    networkInspect: async (id) => networkView(engine, find(engine, id), true),
    async networkCreate(body) {
      if (PREDEFINED.includes(body.Name as never)) throw new DaemonError(`network with name ${body.Name} already exists`, 'conflict');
      const record = await engine.networks.create(body as never, [BRIDGE.subnet]);
      engine.events.emit('network', 'create', record.Id, { name: record.Name, type: record.Driver });
      return { Id: record.Id, Warning: '' };
    },
    async networkRemove(id) {
      const n = find(engine, id);
      if (n.kind === 'predefined') throw new DaemonError(`${n.name} is a pre-defined network and cannot be removed`, 'forbidden');
      if (members(engine, n).length) throw new DaemonError(`error while removing network: network ${n.record.Name} id ${n.record.Id} has active endpoints`, 'forbidden');
      await engine.networks.remove(n.record);
      await engine.network.removeBridge(n.record);
      engine.events.emit('network', 'destroy', n.record.Id, { name: n.record.Name, type: n.record.Driver });
    },
    async networkPrune(options = {}) {
      const deleted: string[] = [];
      for (const n of all(engine)) {
        if (n.kind !== 'user' || members(engine, n).length) continue;
        if (options.filters?.label && !labelsMatch(n.record.Labels, options.filters.label)) continue;
        await engine.networks.remove(n.record);
        await engine.network.removeBridge(n.record);
        engine.events.emit('network', 'destroy', n.record.Id, { name: n.record.Name, type: n.record.Driver });
        deleted.push(n.record.Name);
      }
      return { NetworksDeleted: deleted };
    },
  };
}
