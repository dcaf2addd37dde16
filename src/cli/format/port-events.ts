// `docker port` lines and the default `docker events` line.

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

const joinHostPort = (host: string, port: string) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** Go's sortorder.NaturalLess: digit runs compare as numbers. */
export function naturalLess(a: string, b: string): boolean {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+/, '');
      const ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length < ny.length;
      if (nx !== ny) return nx < ny;
      return x.length < y.length;
    }
    return x < y;
  }
  return pa.length < pb.length;
}

/**
 * stdout of `docker port CONTAINER [PORT]` from NetworkSettings.Ports ("80/tcp" → bindings).
 * With `port` ("80" or "80/udp"), only host addresses are printed. Returns null when that port
 * has no binding (Docker: "Error: No public port '80' published for NAME").
 */
export function formatPorts(ports: Record<string, PortBinding[] | null>, port?: string): string | null {
  let out: string[] = [];
  if (port !== undefined) {
    const [num, proto = 'tcp'] = port.split('/');
    const bindings = ports[`${num}/${proto || 'tcp'}`];
    if (!bindings || bindings.length === 0) return null;
    out = bindings.map((b) => joinHostPort(b.HostIp, b.HostPort));
  } else {
    for (const [from, bindings] of Object.entries(ports)) {
      for (const b of bindings ?? []) out.push(`${from} -> ${joinHostPort(b.HostIp, b.HostPort)}`);
    }
  }
  if (out.length === 0) return '';
  out.sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
  return out.join('\n') + '\n';
}

export interface EventMessage {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> | null };
  /** Unix seconds. */
  time?: number;
  /** Unix nanoseconds (as a bigint or a decimal string: it exceeds 2^53). */
  timeNano?: bigint | string;
}

/** "2026-11-22T13:00:00.000000000Z": RFC 3339 with nine fraction digits, UTC. */
export function eventTimestamp(e: EventMessage): string | null {
  let nanos: bigint;
  if (e.timeNano !== undefined && BigInt(e.timeNano) !== 0n) nanos = BigInt(e.timeNano);
  else if (e.time) nanos = BigInt(e.time) * 1_000_000_000n;
  else return null;
  const seconds = nanos / 1_000_000_000n;
  const frac = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 19)}.${frac}Z`;
}

/** The default `docker events` line: time, type, action, actor ID, sorted attributes. */
export function formatEventLine(e: EventMessage): string {
  const ts = eventTimestamp(e);
  let line = `${ts ? ts + ' ' : ''}${e.Type} ${e.Action} ${e.Actor.ID}`;
  const attrs = Object.keys(e.Actor.Attributes ?? {}).sort();
  if (attrs.length > 0) line += ` (${attrs.map((k) => `${k}=${e.Actor.Attributes![k]}`).join(', ')})`;
  return line + '\n';
}
