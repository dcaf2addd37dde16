// The Docker host's DNS service, answered here as dockerd answers Docker's embedded DNS: the
// agent listens on UDP port 53 in the guest (every bridge gateway, and 127.0.0.1) and relays each
// query. Names the engine was told about (containers on a network) come first, then pluggable
// resolvers (outside names, once the engine has a way out), then the answer for everything else.
import type { Disposable, GuestDnsQuery, GuestPort, Ipv4Endpoint } from '../../protocol/guest/port.ts';
import {
  DnsClass,
  DnsRcode,
  DnsType,
  encodeDnsAnswer,
  encodeName,
  ipv4Data,
  parseDnsQuery,
  reverseName,
  type DnsAnswer,
  type DnsQuestion,
  type DnsRecord,
} from './dns-message.ts';

/**
 * The guest's own /etc/resolv.conf (kernel-images/rootfs/overlay/etc/resolv.conf): the agent's
 * socket answers on 127.0.0.1 too. `--network host` containers get a copy, as Docker copies the
 * host's file for them.
 */
export const GUEST_RESOLV_CONF = 'nameserver 127.0.0.1\n';

/** Docker's nameservers when the host has none it can pass on: what `--network none` shows. */
export const DOCKER_FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'] as const;

export const DnsTunables = {
  /** Docker's embedded DNS gives its records a TTL of 600 s. */
  localTtlSeconds: 600,
} as const;

/** One question as a resolver sees it, with where it came from. */
export interface DnsRequest {
  question: DnsQuestion;
  client: Ipv4Endpoint;
  /** The guest address the query was sent to: the gateway of the client's network, or 127.0.0.1. */
  server: string;
}

/** Answers a question, or returns null when the name is not its own (the next one is asked). */
export type DnsResolver = (request: DnsRequest) => DnsAnswer | null | Promise<DnsAnswer | null>;

/** A name a network knows: a container's name, an alias, a service name. */
export interface LocalName {
  name: string;
  address: string;
}

export interface DnsServiceOptions {
  log?: (line: string) => void;
  /**
   * The scopes whose names a query may see. Default: the one named after the address the query
   * was sent to, i.e. names added under a network's gateway answer that network's containers.
   * A networks service can map the client's address to every network its container is on.
   */
  scopesOf?: (request: DnsRequest) => readonly string[];
}

/**
 * With no way out, a name nobody here knows gets SERVFAIL at once: an honest "could not resolve
 * now" (glibc's EAI_AGAIN, "Temporary failure in name resolution"; apt's "Temporary failure
 * resolving"), which is also what Docker's embedded DNS answers when its upstream servers fail.
 * NXDOMAIN would claim the name does not exist, and caches may keep that. glibc takes SERVFAIL as
 * "try the next server" without waiting: with one nameserver and the default attempts:2 that is
 * one more round trip of a few milliseconds, never a timeout.
 */
const NO_WAY_OUT: DnsAnswer = { rcode: DnsRcode.SERVFAIL };

export class DnsService {
  readonly #log: (line: string) => void;
  readonly #scopesOf: (request: DnsRequest) => readonly string[];
  /** scope → lower-case name → addresses (each added set is one entry, removed by its disposer). */
  readonly #names = new Map<string, Set<LocalName>>();
  readonly #resolvers: DnsResolver[] = [];

  constructor(options: DnsServiceOptions = {}) {
    this.#log = options.log ?? (() => {});
    this.#scopesOf = options.scopesOf ?? ((request) => [request.server]);
  }

  /** Serves the guest's DNS port; the disposer stops answering (queries then time out). */
  attach(guest: Pick<GuestPort, 'onDnsQuery'>): Disposable {
    return guest.onDnsQuery((query) => void this.#serve(query));
  }

  /** Names visible to queries of `scope` until the disposer runs. */
  addRecords(scope: string, names: readonly LocalName[]): Disposable {
    let set = this.#names.get(scope);
    if (!set) this.#names.set(scope, (set = new Set()));
    const entries = names.map((n) => ({ name: n.name.toLowerCase().replace(/\.$/, ''), address: n.address }));
    for (const e of entries) set.add(e);
    return {
      dispose: () => {
        for (const e of entries) set.delete(e);
        if (set.size === 0 && this.#names.get(scope) === set) this.#names.delete(scope);
      },
    };
  }

  /** Asked, in order of adding, for names not known locally; the disposer removes it. */
  addResolver(resolver: DnsResolver): Disposable {
    this.#resolvers.push(resolver);
    return {
      dispose: () => {
        const i = this.#resolvers.indexOf(resolver);
        if (i >= 0) this.#resolvers.splice(i, 1);
      },
    };
  }

  /** The answer to a raw query, or null when it deserves none. Never throws. */
  async answer(message: Uint8Array, client: Ipv4Endpoint, server: string): Promise<Uint8Array | null> {
    const parsed = parseDnsQuery(message);
    if (parsed.kind === 'drop') {
      this.#log(`dns: dropped ${message.length} bytes from ${client.address}:${client.port}: ${parsed.reason}`);
      return null;
    }
    if (parsed.kind === 'error') {
      this.#log(`dns: query from ${client.address}:${client.port} refused (${parsed.reason})`);
      return encodeDnsAnswer(parsed.header, { rcode: parsed.rcode });
    }
    const { query } = parsed;
    let answer: DnsAnswer;
    try {
      answer = await this.#resolve({ question: query.question, client, server });
    } catch (e) {
      this.#log(`dns: ${query.question.name}: ${(e as Error).message}`);
      answer = { rcode: DnsRcode.SERVFAIL };
    }
    return encodeDnsAnswer(query, answer);
  }

  async #serve(query: GuestDnsQuery): Promise<void> {
    try {
      const reply = await this.answer(query.message, query.client, query.server);
      if (reply) query.reply(reply);
    } catch (e) {
      this.#log(`dns: answering ${query.client.address}:${query.client.port}: ${(e as Error).message}`);
    }
  }

  async #resolve(request: DnsRequest): Promise<DnsAnswer> {
    const { question } = request;
    if (question.class !== DnsClass.IN && question.class !== DnsClass.ANY) return { rcode: DnsRcode.REFUSED };
    const local = this.#local(request);
    if (local) return local;
    for (const resolver of [...this.#resolvers]) {
      const answer = await resolver(request);
      if (answer) return answer;
    }
    return NO_WAY_OUT;
  }

  /** Names added with addRecords: the addresses asked for, or none (NODATA) for other types. */
  #local(request: DnsRequest): DnsAnswer | null {
    const { name, type } = request.question;
    const ttl = DnsTunables.localTtlSeconds;
    const visible = this.#scopesOf(request).flatMap((scope) => [...(this.#names.get(scope) ?? [])]);
    if (type === DnsType.PTR) {
      const owners = [...new Set(visible.filter((n) => reverseName(n.address) === name).map((n) => n.name))];
      if (!owners.length) return null;
      return { rcode: DnsRcode.NOERROR, authoritative: true, answers: owners.map((owner) => ({ name, type, ttl, data: encodeName(owner) })) };
    }
    const addresses = [...new Set(visible.filter((n) => n.name === name).map((n) => n.address))];
    if (!addresses.length) return null;
    // IPv4-only networks, as Docker's default: a known name has no AAAA (NODATA, not NXDOMAIN).
    const answers: DnsRecord[] =
      type === DnsType.A || type === DnsType.ANY ? addresses.map((address) => ({ name, type: DnsType.A, ttl, data: ipv4Data(address) })) : [];
    return { rcode: DnsRcode.NOERROR, authoritative: true, answers };
  }
}
