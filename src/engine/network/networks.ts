// User-defined networks: Docker's `bridge` driver networks beside the three predefined ones, kept
// in the metadata store (`network/<id>`) and in memory for the synchronous checks of container
// create. Each has its own subnet (Docker's default pools: 172.18.0.0/16 up to 172.31.0.0/16, then
// 192.168.0.0/20 steps) and a bridge in the guest named as Docker names it (`br-` + 12 hex digits).
import type { MetaStore } from '../../protocol/store.ts';
import { DaemonError } from '../container/state.ts';

export const PREDEFINED_NETWORKS = ['bridge', 'host', 'none'] as const;

const PREFIX = 'network/';

export interface NetworkRecord {
  Id: string;
  Name: string;
  /** RFC 3339, as Docker prints it. */
  Created: string;
  Driver: 'bridge';
  Internal: boolean;
  Attachable: boolean;
  Labels: Record<string, string>;
  Options: Record<string, string>;
  subnet: string;
  gateway: string;
  /** `--ip-range`: where addresses are handed out from (the subnet when absent). */
  ipRange?: string;
  /** The guest's bridge device. */
  device: string;
}

export interface NetworkCreateOptions {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Labels?: Record<string, string>;
  Options?: Record<string, string>;
  IPAM?: { Driver?: string; Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] | null };
  CheckDuplicate?: boolean;
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0) >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `172.18.0.0/16` → its first address and length; Docker's error for what does not parse. */
export function parseCidr(cidr: string): { base: number; length: number } {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m[1]!.split('.').some((p) => Number(p) > 255) || Number(m[2]) > 32) throw new DaemonError(`invalid CIDR address: ${cidr}`, 'invalid-parameter');
  const length = Number(m[2]);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return { base: (ipToInt(m[1]!) & mask) >>> 0, length };
}

const contains = (cidr: string, ip: string) => {
  const { base, length } = parseCidr(cidr);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return ((ipToInt(ip) & mask) >>> 0) === base;
};

const overlaps = (a: string, b: string) => {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const length = Math.min(x.length, y.length);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return ((x.base & mask) >>> 0) === ((y.base & mask) >>> 0);
};

/** Docker's default address pools, after the default bridge's 172.17.0.0/16. */
function* defaultSubnets(): Generator<string> {
  for (let b = 18; b <= 31; b++) yield `172.${b}.0.0/16`;
  for (let c = 0; c < 256; c += 16) yield `192.168.${c}.0/20`;
}

export class NetworkStore {
  readonly #meta: MetaStore;
  readonly #byId = new Map<string, NetworkRecord>();
  readonly #random: () => number;
  readonly #now: () => number;

  private constructor(meta: MetaStore, random: () => number, now: () => number) {
    this.#meta = meta;
    this.#random = random;
    this.#now = now;
  }

  static async load(meta: MetaStore, random: () => number, now: () => number): Promise<NetworkStore> {
    const store = new NetworkStore(meta, random, now);
    for (const [, record] of await meta.list<NetworkRecord>(PREFIX)) store.#byId.set(record.Id, record);
    return store;
  }

  all(): NetworkRecord[] {
    return [...this.#byId.values()].sort((a, b) => (a.Name < b.Name ? -1 : 1));
  }

  /** moby's lookup: a full ID, a name, then a unique ID prefix. */
  find(ref: string): NetworkRecord | undefined {
    const byId = this.#byId.get(ref);
    if (byId) return byId;
    const byName = this.all().find((n) => n.Name === ref);
    if (byName) return byName;
    const prefixed = this.all().filter((n) => n.Id.startsWith(ref));
    return ref && prefixed.length === 1 ? prefixed[0] : undefined;
  }

  get(ref: string): NetworkRecord {
    const found = this.find(ref);
    if (!found) throw new DaemonError(`network ${ref} not found`, 'not-found');
    return found;
  }

  async create(body: NetworkCreateOptions, usedSubnets: readonly string[]): Promise<NetworkRecord> {
    const name = body.Name ?? '';
    if (!name) throw new DaemonError('network name must not be empty', 'invalid-parameter');
    if ((PREDEFINED_NETWORKS as readonly string[]).includes(name)) throw new DaemonError(`${name} is a pre-defined network and cannot be created`, 'forbidden');
    if (this.all().some((n) => n.Name === name)) throw new DaemonError(`network with name ${name} already exists`, 'conflict');
    const driver = body.Driver || 'bridge';
    if (driver !== 'bridge') throw new DaemonError(`could not find plugin ${driver} in v1 plugin registry: plugin not found`, 'not-found');
    const ipam = body.IPAM?.Config?.[0] ?? {};
    const taken = [...usedSubnets, ...this.all().map((n) => n.subnet)];
    let subnet = ipam.Subnet;
    if (subnet) {
      parseCidr(subnet);
      const clash = taken.find((t) => overlaps(t, subnet!));
      if (clash) throw new DaemonError(`invalid pool request: Pool overlaps with other one on this address space`, 'forbidden');
    } else {
      subnet = [...defaultSubnets()].find((s) => !taken.some((t) => overlaps(t, s)));
      if (!subnet) throw new DaemonError('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network', 'forbidden');
    }
    const { base, length } = parseCidr(subnet);
    const normalised = `${intToIp(base)}/${length}`;
    const gateway = ipam.Gateway ?? intToIp(base + 1);
    if (!contains(normalised, gateway)) throw new DaemonError(`no matching subnet for gateway ${gateway}`, 'invalid-parameter');
    if (ipam.IPRange && !contains(normalised, ipam.IPRange.split('/')[0]!)) throw new DaemonError(`no matching subnet for range ${ipam.IPRange}`, 'invalid-parameter');
    let id = '';
    while (!id || this.#byId.has(id)) id = Array.from({ length: 64 }, () => Math.floor(this.#random() * 16).toString(16)).join('');
    const record: NetworkRecord = {
      Id: id,
      Name: name,
      Created: new Date(this.#now()).toISOString(),
      Driver: 'bridge',
      Internal: body.Internal ?? false,
      Attachable: body.Attachable ?? false,
      Labels: body.Labels ?? {},
      Options: body.Options ?? {},
      subnet: normalised,
      gateway,
      ...(ipam.IPRange ? { ipRange: ipam.IPRange } : {}),
      device: `br-${id.slice(0, 12)}`,
    };
    await this.#meta.commit({ put: [[PREFIX + id, record]] });
    this.#byId.set(id, record);
    return record;
  }

  async remove(record: NetworkRecord): Promise<void> {
    await this.#meta.commit({ delete: [PREFIX + record.Id] });
    this.#byId.delete(record.Id);
  }
}

/** The addresses a network hands out, lowest first: its range (or subnet) without the gateway and broadcast. */
export function* networkAddresses(record: Pick<NetworkRecord, 'subnet' | 'gateway' | 'ipRange'>): Generator<string> {
  const pool = parseCidr(record.ipRange ?? record.subnet);
  const subnet = parseCidr(record.subnet);
  const broadcast = subnet.base + 2 ** (32 - subnet.length) - 1;
  const end = pool.base + 2 ** (32 - pool.length);
  for (let n = Math.max(pool.base, subnet.base + 1); n < end && n < broadcast; n++) {
    const ip = intToIp(n);
    if (ip !== record.gateway) yield ip;
  }
}

export { contains as subnetContains };
