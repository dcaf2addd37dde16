// Typed messages of the control plane: one encoder and one decoder per opcode that carries a
// structured payload. DATA/EOF/CREDIT/CLOSE are built directly by the multiplexer.
import { Op, StdinOpenFlag } from './constants.ts';
import { PayloadReader, PayloadWriter } from './payload.ts';

export interface Hello {
  version: number;
  buildId: string;
  kernelRelease: string;
}

export interface SpawnRequest {
  flags: number;
  uid: number;
  gid: number;
  rows: number;
  cols: number;
  cwd: string;
  argv: readonly string[];
  env: readonly string[];
  consoleSocket: string;
}

export interface ExitStatus {
  /** Exit code, or -1 when the process was killed by a signal. */
  code: number;
  /** Signal number, 0 when the process exited normally. */
  signal: number;
}

export interface SessionRequest {
  flags: number;
  rows: number;
  cols: number;
  cwd: string;
  argv: string[];
  env: string[];
}

export interface Ipv4Endpoint {
  address: string;
  port: number;
}

export interface AcceptInfo {
  listener: number;
  peer: Ipv4Endpoint;
}

export interface GuestError {
  errno: number;
  message: string;
}

export const encodeHello = (h: Hello) => new PayloadWriter().u32(h.version).str(h.buildId).str(h.kernelRelease).finish();
export function decodeHello(p: Uint8Array): Hello {
  const r = new PayloadReader(p);
  return { version: r.u32(), buildId: r.str(), kernelRelease: r.str() };
}

export const encodeToken = (token: number) => new PayloadWriter().u32(token).finish();
export const decodeToken = (p: Uint8Array) => new PayloadReader(p).u32();

export const encodeLog = (message: string) => new PayloadWriter().str(message).finish();
export const decodeLog = (p: Uint8Array) => new PayloadReader(p).str();

export function encodeSpawn(s: SpawnRequest): Uint8Array {
  return new PayloadWriter()
    .u32(s.flags)
    .u32(s.uid)
    .u32(s.gid)
    .u16(s.rows)
    .u16(s.cols)
    .str(s.cwd)
    .strs(s.argv)
    .strs(s.env)
    .str(s.consoleSocket)
    .finish();
}
export function decodeSpawn(p: Uint8Array): SpawnRequest {
  const r = new PayloadReader(p);
  return {
    flags: r.u32(),
    uid: r.u32(),
    gid: r.u32(),
    rows: r.u16(),
    cols: r.u16(),
    cwd: r.str(),
    argv: r.strs(),
    env: r.strs(),
    consoleSocket: r.str(),
  };
}

export const encodeExit = (e: ExitStatus) => new PayloadWriter().i32(e.code).i32(e.signal).finish();
export function decodeExit(p: Uint8Array): ExitStatus {
  const r = new PayloadReader(p);
  return { code: r.i32(), signal: r.i32() };
}

export const encodeSize = (rows: number, cols: number) => new PayloadWriter().u16(rows).u16(cols).finish();
export function decodeSize(p: Uint8Array): { rows: number; cols: number } {
  const r = new PayloadReader(p);
  return { rows: r.u16(), cols: r.u16() };
}

export const encodeU32 = (v: number) => new PayloadWriter().u32(v).finish();
export const decodeU32 = (p: Uint8Array) => new PayloadReader(p).u32();

export const encodeError = (e: GuestError) => new PayloadWriter().i32(e.errno).str(e.message).finish();
export function decodeError(p: Uint8Array): GuestError {
  const r = new PayloadReader(p);
  return { errno: r.i32(), message: r.str() };
}

function writeIpv4(w: PayloadWriter, address: string): PayloadWriter {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) {
    throw new TypeError(`not an IPv4 address: ${address}`);
  }
  return w.bytes(Uint8Array.from(parts));
}
const readIpv4 = (r: PayloadReader) => Array.from(r.bytes(4)).join('.');

export const encodeEndpoint = (e: Ipv4Endpoint) => writeIpv4(new PayloadWriter(), e.address).u16(e.port).finish();
export function decodeEndpoint(p: Uint8Array): Ipv4Endpoint {
  const r = new PayloadReader(p);
  return { address: readIpv4(r), port: r.u16() };
}

export const encodeListening = (port: number) => new PayloadWriter().u16(port).finish();
export const decodeListening = (p: Uint8Array) => new PayloadReader(p).u16();

export const encodeAccept = (a: AcceptInfo) =>
  writeIpv4(new PayloadWriter().u32(a.listener), a.peer.address).u16(a.peer.port).finish();
export function decodeAccept(p: Uint8Array): AcceptInfo {
  const r = new PayloadReader(p);
  return { listener: r.u32(), peer: { address: readIpv4(r), port: r.u16() } };
}

/** UNIX_LISTEN: a unix socket at `path` (absolute) whose file gets the permission bits `mode`. */
export interface UnixListenRequest {
  path: string;
  mode: number;
}

export const encodeUnixListen = (u: UnixListenRequest) => new PayloadWriter().str(u.path).u32(u.mode).finish();
export function decodeUnixListen(p: Uint8Array): UnixListenRequest {
  const r = new PayloadReader(p);
  return { path: r.str(), mode: r.u32() };
}

export function encodeSession(s: SessionRequest): Uint8Array {
  return new PayloadWriter().u32(s.flags).u16(s.rows).u16(s.cols).str(s.cwd).strs(s.argv).strs(s.env).finish();
}
export function decodeSession(p: Uint8Array): SessionRequest {
  const r = new PayloadReader(p);
  return { flags: r.u32(), rows: r.u16(), cols: r.u16(), cwd: r.str(), argv: r.strs(), env: r.strs() };
}

export interface StdinOpen {
  /** Put a tty stdin into raw mode (bytes as typed, ^C as 0x03); restored when the client exits. */
  raw: boolean;
}

export const encodeStdinOpen = (o: StdinOpen) => new PayloadWriter().u32(o.raw ? StdinOpenFlag.RAW : 0).finish();
export function decodeStdinOpen(p: Uint8Array): StdinOpen {
  return { raw: (new PayloadReader(p).u32() & StdinOpenFlag.RAW) !== 0 };
}

/**
 * One UDP datagram of the Docker host's DNS service (DNS_QUERY guest→host, DNS_ANSWER host→guest).
 * `server` is the guest address the query was sent to; an answer goes back from it (port 53) to
 * `client`. `id` is the agent's number for the query, echoed in its answer.
 */
export interface DnsDatagram {
  id: number;
  client: Ipv4Endpoint;
  server: string;
  /** The raw DNS message: the rest of the payload. */
  message: Uint8Array;
}

export function encodeDnsDatagram(d: DnsDatagram): Uint8Array {
  const w = writeIpv4(new PayloadWriter().u32(d.id), d.client.address).u16(d.client.port);
  return writeIpv4(w, d.server).bytes(d.message).finish();
}
export function decodeDnsDatagram(p: Uint8Array): DnsDatagram {
  const r = new PayloadReader(p);
  const id = r.u32();
  const client = { address: readIpv4(r), port: r.u16() };
  const server = readIpv4(r);
  return { id, client, server, message: r.bytes(r.remaining) };
}

/** Names for log lines: `opName(0x20)` → "DATA". */
export function opName(type: number): string {
  for (const [name, value] of Object.entries(Op)) if (value === type) return name;
  return `0x${type.toString(16).padStart(2, '0')}`;
}
