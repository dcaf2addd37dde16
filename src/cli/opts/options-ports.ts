// `-p`/`--publish` and `--expose` → ExposedPorts and PortBindings (go-connections/nat rules and texts).
import { ContainerOptionsError, isIpAddress } from './options-values.ts';
import type { PortBinding } from '../../engine/api/types.ts';

export interface PortSpecs {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, PortBinding[]>;
}

const protocols = ['tcp', 'udp', 'sctp'];

/** nat.ParsePortRange: "80" or "8000-8002", each a uint16. Throws strconv-style text. */
export function parsePortRange(ports: string): [number, number] {
  if (ports === '') throw new ContainerOptionsError('empty string specified for ports');
  const uint16 = (s: string) => {
    if (!/^\d+$/.test(s)) throw new ContainerOptionsError(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
    if (Number(s) > 65535) throw new ContainerOptionsError(`strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`);
    return Number(s);
  };
  if (!ports.includes('-')) {
    const p = uint16(ports);
    return [p, p];
  }
  const [a, b] = ports.split('-');
  const start = uint16(a!);
  const end = uint16(b!);
  if (end < start) throw new ContainerOptionsError(`invalid range specified for port: ${ports}`);
  return [start, end];
}

/** nat.SplitProtoPort: "80/udp" → ['udp', '80']. */
function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/');
  if (raw === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  if (parts[1] === '') return ['tcp', parts[0]!];
  return [parts[1]!, parts[0]!];
}

/** Splits "ip:host:ctr" where the IP may itself hold colons ("::1:8080:80", "[::1]:8080:80"). */
function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  const ctr = parts[n - 1]!;
  if (n === 1) return ['', '', ctr];
  if (n === 2) return ['', parts[0]!, ctr];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2]!, ctr];
}

/** nat.ParsePortSpecs over every `-p` value. */
export function parsePortSpecs(specs: readonly string[]): PortSpecs {
  const result: PortSpecs = { exposed: {}, bindings: {} };
  for (const raw of specs) {
    let [ip, hostPort, rawCtr] = splitParts(raw);
    const [proto, ctrPort] = splitProtoPort(rawCtr);
    if (ip.startsWith('[')) {
      if (!ip.endsWith(']')) throw new ContainerOptionsError(`invalid IP address ${ip}: address ${ip}:: missing ']' in address`);
      ip = ip.slice(1, -1);
    }
    if (ip !== '' && !isIpAddress(ip)) throw new ContainerOptionsError(`invalid IP address: ${ip}`);
    if (ctrPort === '') throw new ContainerOptionsError(`no port specified: ${raw}<empty>`);
    let start: number, end: number;
    try {
      [start, end] = parsePortRange(ctrPort);
    } catch {
      throw new ContainerOptionsError(`invalid containerPort: ${ctrPort}`);
    }
    let hostStart = 0;
    let hostEnd = 0;
    if (hostPort !== '') {
      try {
        [hostStart, hostEnd] = parsePortRange(hostPort);
      } catch {
        throw new ContainerOptionsError(`invalid hostPort: ${hostPort}`);
      }
    }
    if (hostPort !== '' && end - start !== hostEnd - hostStart && end !== start) {
      throw new ContainerOptionsError(`invalid ranges specified for container and host Ports: ${ctrPort} and ${hostPort}`);
    }
    if (!protocols.includes(proto.toLowerCase())) throw new ContainerOptionsError(`invalid proto: ${proto}`);
    for (let i = 0; i <= end - start; i++) {
      let host = hostPort === '' ? '' : String(hostStart + i);
      // One container port with a host range: Docker picks a free host port from the range.
      if (start === end && hostStart !== hostEnd) host = `${host}-${hostEnd}`;
      const key = `${start + i}/${proto.toLowerCase()}`;
      result.exposed[key] = {};
      (result.bindings[key] ??= []).push({ HostIp: ip, HostPort: host });
    }
  }
  return result;
}

/** `--expose 80`, `--expose 7000-7002/udp`: adds to `exposed`. */
export function addExposedPorts(exposed: Record<string, Record<string, never>>, values: readonly string[]): void {
  for (const e of values) {
    if (e.includes(':')) throw new ContainerOptionsError(`invalid port format for --expose: ${e}`);
    const [proto, port] = splitProtoPort(e);
    let start: number, end: number;
    try {
      [start, end] = parsePortRange(port);
    } catch (err) {
      throw new ContainerOptionsError(`invalid range format for --expose: ${e}, error: ${(err as Error).message}`);
    }
    for (let p = start; p <= end; p++) exposed[`${p}/${proto}`] ??= {};
  }
}
