// Docker's default bridge: docker0 at 172.17.0.1/16 in the guest, one veth and network namespace
// per container (created by the guest's `slipway-net`), addresses allocated here and released
// when the container stops. `none` is a namespace with only lo; `host` shares the guest's.
import type { NetworkAttachment } from '../container/needs.ts';
import type { ContainerRecord, NetworkAssignment } from '../container/record.ts';
import type { ContainerRegistry } from '../container/registry.ts';
import type { GuestRuntime } from '../container/runtime.ts';
import { DaemonError } from '../container/state.ts';
import type { Disposable } from '../../protocol/guest/port.ts';
import type { DnsService } from './dns.ts';
import { intToIp, ipToInt, networkAddresses, NetworkStore, parseCidr, subnetContains, type NetworkRecord } from './networks.ts';

export const BRIDGE = { name: 'bridge', device: 'docker0', subnet: '172.17.0.0/16', gateway: '172.17.0.1', prefixLen: 16 } as const;

/** Stable network IDs (Docker shows 64 hex digits; these are derived from the name). */
export function networkId(name: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${name}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

const POOL_SIZE = 1;
/** After a take, wait before making a replacement: the container starting now has the CPU. */
const POOL_REFILL_DELAY_MS = 1500;

export class BridgeNetwork {
  readonly #runtime: GuestRuntime;
  readonly #registry: ContainerRegistry;
  readonly #inUse = new Set<string>();
  readonly #pool: Promise<{ namespace: string; ip: string }>[] = [];
  #poolCounter = 0;
  /** Set by the first refill (the engine's boot warm-up), so engines without it never pool. */
  #pooling = false;
  readonly #networks: NetworkStore | null;
  readonly #dns: Pick<DnsService, 'addRecords'> | null;
  /** User networks whose bridge this boot has made. */
  readonly #bridges = new Map<string, Promise<void>>();
  /** Each container's names in its network's DNS, until it stops. */
  readonly #names = new Map<string, Disposable>();

  constructor(runtime: GuestRuntime, registry: ContainerRegistry, networks: NetworkStore | null = null, dns: Pick<DnsService, 'addRecords'> | null = null) {
    this.#runtime = runtime;
    this.#registry = registry;
    this.#networks = networks;
    this.#dns = dns;
  }

  /** The user-defined network a container's mode names, if it is one. */
  userNetwork(record: ContainerRecord): NetworkRecord | undefined {
    const mode = record.HostConfig.NetworkMode || 'default';
    if (['default', 'bridge', 'host', 'none'].includes(mode) || mode.startsWith('container:')) return undefined;
    return this.#networks?.get(mode);
  }

  static namespaceName(id: string): string {
    return id.slice(0, 12);
  }

  /** moby's FindNetwork at create: a mode no network answers to fails before anything exists. */
  check(record: ContainerRecord): void {
    const mode = record.HostConfig.NetworkMode || 'default';
    if (mode.startsWith('container:')) {
      const ref = mode.slice('container:'.length);
      if (!this.#registry.find(ref)) throw new DaemonError(`No such container: ${ref}`, 'not-found');
    }
    if (['default', 'bridge', 'host', 'none'].includes(mode) || mode.startsWith('container:')) return;
    const net = this.#networks?.find(mode);
    if (!net) throw new DaemonError(`network ${mode} not found`, 'not-found');
    const ip = record.endpoint?.ipv4;
    if (ip && !subnetContains(net.subnet, ip)) throw new DaemonError(`Invalid address ${ip}: It does not belong to any of this network's subnets`, 'invalid-parameter');
  }

  async attach(record: ContainerRecord): Promise<NetworkAttachment> {
    const mode = record.HostConfig.NetworkMode || 'default';
    const extraHosts = [...(record.HostConfig.ExtraHosts ?? []).map(hostLine), ...this.#linkHosts(record)];
    this.#checkLinks(record);
    if (mode === 'host') return { assignment: null, namespace: 'host', extraHosts };
    if (mode.startsWith('container:')) return this.#joinContainer(mode.slice('container:'.length), extraHosts);
    const name = BridgeNetwork.namespaceName(record.Id);
    if (mode === 'none') {
      await this.#netCommand(['up', name, '--none']);
      return { assignment: null, namespace: { path: `/run/netns/${name}` }, extraHosts };
    }
    this.check(record);
    const user = this.userNetwork(record);
    if (user) return { assignment: await this.#attachUser(record, user, name), namespace: { path: `/run/netns/${name}` }, extraHosts };
    const ready = this.#pool.shift();
    const { namespace, ip } = ready ? await ready : await this.#prepare(name);
    // Several containers at once: make the next one while this one runs.
    if (this.#pooling && this.#pool.length === 0) setTimeout(() => this.refill(), POOL_REFILL_DELAY_MS);
    const bytes = ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0'));
    const assignment: NetworkAssignment = {
      network: BRIDGE.name,
      ipAddress: ip,
      prefixLen: BRIDGE.prefixLen,
      gateway: BRIDGE.gateway,
      macAddress: `02:42:${bytes.join(':')}`,
      namespace,
    };
    return { assignment, namespace: { path: `/run/netns/${namespace}` }, extraHosts };
  }

  /** `--network container:NAME`: the other container's namespace (it must be running), its nameserver too. */
  #joinContainer(ref: string, extraHosts: string[]): NetworkAttachment {
    const other = this.#registry.find(ref);
    if (!other) throw new DaemonError(`No such container: ${ref}`, 'not-found');
    if (!other.State.Running) throw new DaemonError(`cannot join network of a non running container: ${other.Id}`, 'conflict');
    const mode = other.HostConfig.NetworkMode || 'default';
    if (mode === 'host') return { assignment: null, namespace: 'host', extraHosts };
    if (mode.startsWith('container:')) return this.#joinContainer(mode.slice('container:'.length), extraHosts);
    const namespace = other.network?.namespace ?? BridgeNetwork.namespaceName(other.Id);
    return { assignment: null, namespace: { path: `/run/netns/${namespace}` }, extraHosts, ...(other.network ? { nameserver: other.network.gateway } : {}) };
  }

  /**
   * A container on a user network: the network's bridge (made once per boot, forwarding off so
   * no other network's containers are routed to it), an address from its pool, and its names in
   * the network's DNS: the container's name, its short ID and its aliases.
   */
  async #attachUser(record: ContainerRecord, net: NetworkRecord, namespace: string): Promise<NetworkAssignment> {
    await this.ensureBridge(net);
    const { length } = parseCidr(net.subnet);
    const ip = this.#allocateIn(net, record.endpoint?.ipv4);
    try {
      await this.#netCommand(['up', namespace, '--ip', `${ip}/${length}`, '--gateway', net.gateway, '--bridge', net.device]);
    } catch (e) {
      this.#inUse.delete(ip);
      throw e;
    }
    const names = [record.Name.replace(/^\//, ''), record.Id.slice(0, 12), ...(record.endpoint?.aliases ?? [])];
    this.#names.get(record.Id)?.dispose();
    if (this.#dns) this.#names.set(record.Id, this.#dns.addRecords(net.gateway, names.map((name) => ({ name, address: ip }))));
    const bytes = ip.split('.').map((b) => Number(b).toString(16).padStart(2, '0'));
    return { network: net.Name, ipAddress: ip, prefixLen: length, gateway: net.gateway, macAddress: `02:42:${bytes.join(':')}`, namespace };
  }

  /** Makes the network's bridge in the guest (idempotent), isolated from the other networks. */
  ensureBridge(net: NetworkRecord): Promise<void> {
    let made = this.#bridges.get(net.Id);
    if (!made) {
      const { length } = parseCidr(net.subnet);
      made = (async () => {
        await this.#netCommand(['init', net.device, `${net.gateway}/${length}`]);
        // The guest forwards nothing that comes in on a bridge: Docker's isolation between networks.
        const r = await this.#runtime.run(['/bin/sh', '-c', 'for d in "$@"; do echo 0 > /proc/sys/net/ipv4/conf/$d/forwarding; done', 'slipway-net', BRIDGE.device, net.device]);
        if (r.code !== 0) throw new DaemonError(`failed to isolate network ${net.Name}: ${r.stderr.trim()}`, 'system');
      })();
      made.catch(() => this.#bridges.delete(net.Id));
      this.#bridges.set(net.Id, made);
    }
    return made;
  }

  /** Removes a network's bridge from the guest (the network was removed). */
  async removeBridge(net: NetworkRecord): Promise<void> {
    this.#bridges.delete(net.Id);
    await this.#runtime.run(['/bin/sh', '-c', 'ip link del "$1" 2>/dev/null || true', 'slipway-net', net.device]).catch(() => undefined);
  }

  #allocateIn(net: NetworkRecord, wanted: string | undefined): string {
    const used = new Set<string>();
    for (const c of this.#registry.all()) if (c.State.Running && c.network?.network === net.Name) used.add(c.network.ipAddress);
    for (const ip of this.#inUse) used.add(ip);
    if (wanted) {
      if (used.has(wanted)) throw new DaemonError(`Address already in use`, 'conflict');
      this.#inUse.add(wanted);
      return wanted;
    }
    for (const ip of networkAddresses(net)) {
      if (!used.has(ip)) {
        this.#inUse.add(ip);
        return ip;
      }
    }
    throw new DaemonError(`no available IPv4 addresses on this network's address pools: ${net.Name} (${net.Id})`, 'system');
  }

  async release(record: ContainerRecord): Promise<void> {
    const mode = record.HostConfig.NetworkMode || 'default';
    // A joined namespace is the other container's to tear down.
    if (mode === 'host' || mode.startsWith('container:')) return;
    this.#names.get(record.Id)?.dispose();
    this.#names.delete(record.Id);
    const namespace = record.network?.namespace ?? BridgeNetwork.namespaceName(record.Id);
    if (record.network && record.network.network !== BRIDGE.name) {
      await this.#netCommand(['down', namespace]).catch(() => undefined);
      this.#inUse.delete(record.network.ipAddress);
      return;
    }
    // The namespace outlives its processes with veth and address intact: it is the next
    // container's, unless the pool is full (a namespace costs the guest ~80 ms to make).
    if (record.network && this.#pooling && this.#pool.length < POOL_SIZE) {
      this.#pool.push(Promise.resolve({ namespace, ip: record.network.ipAddress }));
      return;
    }
    await this.#netCommand(['down', namespace]).catch(() => undefined);
    if (record.network) this.#inUse.delete(record.network.ipAddress);
  }

  /**
   * Creating a network namespace costs the guest kernel ~80 ms (loopback, IPv6 setup): one is
   * kept ready, with its veth and address, and replaced in the background after each use.
   */
  refill(): void {
    this.#pooling = true;
    if (this.#pool.length >= POOL_SIZE) return;
    const entry = this.#prepare(`pool${(this.#poolCounter++).toString(36)}${Date.now().toString(36).slice(-4)}`);
    entry.catch(() => undefined);
    this.#pool.push(entry);
  }

  async #prepare(namespace: string): Promise<{ namespace: string; ip: string }> {
    const ip = this.#allocate();
    try {
      await this.#netCommand(['up', namespace, '--ip', `${ip}/${BRIDGE.prefixLen}`, '--gateway', BRIDGE.gateway]);
    } catch (e) {
      this.#inUse.delete(ip);
      throw e;
    }
    return { namespace, ip };
  }

  #allocate(): string {
    for (const c of this.#registry.all()) if (c.State.Running && c.network) this.#inUse.add(c.network.ipAddress);
    const first = ipToInt(BRIDGE.gateway) + 1;
    for (let n = first; n < first + 65533; n++) {
      const ip = intToIp(n);
      if (!this.#inUse.has(ip)) {
        this.#inUse.add(ip);
        return ip;
      }
    }
    throw new DaemonError('no available IPv4 addresses on this network\'s address pools: bridge', 'system');
  }

  #checkLinks(record: ContainerRecord): void {
    for (const link of record.HostConfig.Links ?? []) {
      const [target = '', alias = target] = link.replace(/^\//, '').split(':');
      const other = this.#registry.find(target);
      if (!other) throw new DaemonError(`could not get container for ${target}: No such container: ${target}`, 'not-found');
      if (!other.State.Running) throw new DaemonError(`Cannot link to a non running container: ${other.Name} AS ${record.Name}/${alias}`, 'invalid-parameter');
    }
  }

  /** Docker's legacy link variables (moby daemon/links): DB_PORT_5432_TCP_ADDR and friends. */
  linkEnv(record: ContainerRecord): string[] {
    const env: string[] = [];
    for (const link of record.HostConfig.Links ?? []) {
      const [target = '', aliasName = target] = link.replace(/^\//, '').split(':');
      const other = this.#registry.find(target);
      if (!other?.network) continue;
      const alias = aliasName.replace(/^.*\//, '').toUpperCase().replace(/-/g, '_');
      const ip = other.network.ipAddress;
      const ports = Object.keys(other.Config.ExposedPorts ?? {})
        .map((k) => {
          const [port = '0', proto = 'tcp'] = k.split('/');
          return { port: Number(port), proto };
        })
        .sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto));
      env.push(`${alias}_NAME=${record.Name}/${aliasName.replace(/^.*\//, '')}`);
      if (ports[0]) env.push(`${alias}_PORT=${ports[0].proto}://${ip}:${ports[0].port}`);
      for (const { port, proto } of ports) {
        const key = `${alias}_PORT_${port}_${proto.toUpperCase()}`;
        env.push(`${key}=${proto}://${ip}:${port}`, `${key}_ADDR=${ip}`, `${key}_PORT=${port}`, `${key}_PROTO=${proto}`);
      }
      for (const kv of other.Config.Env ?? []) {
        const eq = kv.indexOf('=');
        if (eq < 0) continue;
        const k = kv.slice(0, eq);
        if (k === 'HOME' || k === 'PATH') continue;
        env.push(`${alias}_ENV_${k}=${kv.slice(eq + 1)}`);
      }
    }
    return env;
  }

  /** `--link name:alias` entries of /etc/hosts: "IP\talias id name". */
  #linkHosts(record: ContainerRecord): string[] {
    const lines: string[] = [];
    for (const link of record.HostConfig.Links ?? []) {
      const [target = '', alias = target] = link.replace(/^\//, '').split(':');
      const other = this.#registry.find(target);
      if (!other?.network) continue;
      const otherName = other.Name.replace(/^\//, '');
      lines.push(`${other.network.ipAddress}\t${[...new Set([alias.replace(/^.*\//, ''), other.Id.slice(0, 12), otherName])].join(' ')}`);
    }
    return lines;
  }

  async #netCommand(args: string[]): Promise<void> {
    const r = await this.#runtime.run(['slipway-net', ...args]);
    if (r.code !== 0) throw new DaemonError(`failed to set up container networking: ${r.stderr.trim() || `slipway-net exited ${r.code}`}`, 'system');
  }
}

function hostLine(entry: string): string {
  const i = entry.indexOf(':');
  return `${entry.slice(i + 1)}\t${entry.slice(0, i)}`;
}
