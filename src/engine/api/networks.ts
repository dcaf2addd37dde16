// The /networks routes. The Docker host has the three predefined networks (bridge, host, none);
// user-defined networks are not built yet, and creating one says so.
import { DaemonError } from '../container/state.ts';
import { containerInspect } from '../container/views.ts';
import type { Engine } from '../engine.ts';
import { BRIDGE, networkId } from '../network/bridge.ts';
import type { EngineApi, JsonObject } from './types.ts';

type NetworkRoutes = Pick<EngineApi, 'networkList' | 'networkInspect' | 'networkCreate' | 'networkRemove' | 'networkPrune'>;

const PREDEFINED = ['bridge', 'host', 'none'] as const;
/** When the Docker host's networks were made: its first boot has no date of its own. */
const CREATED = '2026-01-01T00:00:00Z';

function networkView(engine: Engine, name: (typeof PREDEFINED)[number], verbose: boolean): JsonObject {
  const driver = name === 'bridge' ? 'bridge' : name === 'host' ? 'host' : 'null';
  const members = engine.containers.registry.all().filter((c) => c.State.Running && ((c.HostConfig.NetworkMode || 'default') === name || (name === 'bridge' && (c.HostConfig.NetworkMode || 'default') === 'default')));
  const containers: Record<string, JsonObject> = {};
  if (verbose) {
    for (const c of members) {
      const settings = (containerInspect(c, { now: engine.now(), networkId }).NetworkSettings as { Networks?: Record<string, Record<string, string>> }).Networks?.[name] ?? {};
      containers[c.Id] = {
        Name: c.Name.replace(/^\//, ''),
        EndpointID: settings.EndpointID ?? '',
        MacAddress: settings.MacAddress ?? '',
        IPv4Address: settings.IPAddress ? `${settings.IPAddress}/${BRIDGE.prefixLen}` : '',
        IPv6Address: '',
      };
    }
  }
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

function find(ref: string): (typeof PREDEFINED)[number] {
  const name = PREDEFINED.find((n) => n === ref || networkId(n) === ref || (ref.length >= 1 && networkId(n).startsWith(ref)));
  if (!name) throw new DaemonError(`network ${ref} not found`, 'not-found');
  return name;
}

export function networkRoutes(engine: Engine): NetworkRoutes {
  return {
    async networkList(options = {}) {
      const filters = options.filters ?? {};
      return PREDEFINED.filter((n) =>
        Object.entries(filters).every(([key, values]) => {
          switch (key) {
            case 'name':
              return values.some((v) => n.includes(v));
            case 'id':
              return values.some((v) => networkId(n).startsWith(v));
            case 'driver':
              return values.includes(n === 'none' ? 'null' : n);
            case 'type':
              return values.includes('builtin');
            case 'scope':
              return values.includes('local');
            case 'label':
              return false;
            case 'dangling':
              return values.every((v) => v === 'false' || v === '0');
            default:
              throw new DaemonError(`invalid filter '${key}'`, 'invalid-parameter');
          }
        }),
      ).map((n) => networkView(engine, n, false));
    },
    networkInspect: async (id) => networkView(engine, find(id), true),
    async networkCreate(body) {
      if (PREDEFINED.includes(body.Name as never)) throw new DaemonError(`network with name ${body.Name} already exists`, 'conflict');
      throw new DaemonError('user-defined networks are not implemented in Slipway yet', 'not-implemented');
    },
    async networkRemove(id) {
      const name = find(id);
      throw new DaemonError(`${name} is a pre-defined network and cannot be removed`, 'forbidden');
    },
    networkPrune: async () => ({ NetworksDeleted: [] }),
  };
}
