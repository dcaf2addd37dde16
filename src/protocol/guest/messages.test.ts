import { describe, expect, it } from 'vitest';
import * as msg from './messages.ts';
import { PayloadError } from './payload.ts';

describe('message payloads round-trip', () => {
  it.each([
    ['hello', msg.encodeHello, msg.decodeHello, { version: 1, buildId: 'abc123', kernelRelease: '6.1.0-slipway' }],
    [
      'spawn',
      msg.encodeSpawn,
      msg.decodeSpawn,
      { flags: 5, uid: 1000, gid: 100, rows: 30, cols: 120, cwd: '/root', argv: ['sh', '-c', 'écho ✓'], env: ['A=1', ''], consoleSocket: '/run/c.sock' },
    ],
    ['exit', msg.encodeExit, msg.decodeExit, { code: -1, signal: 9 }],
    ['error', msg.encodeError, msg.decodeError, { errno: 2, message: 'No such file or directory' }],
    ['endpoint', msg.encodeEndpoint, msg.decodeEndpoint, { address: '172.17.0.2', port: 65535 }],
    ['accept', msg.encodeAccept, msg.decodeAccept, { listener: 7, peer: { address: '127.0.0.1', port: 4242 } }],
    ['unix listen', msg.encodeUnixListen, msg.decodeUnixListen, { path: '/var/run/docker.sock', mode: 0o660 }],
    ['stdin open raw', msg.encodeStdinOpen, msg.decodeStdinOpen, { raw: true }],
    ['stdin open cooked', msg.encodeStdinOpen, msg.decodeStdinOpen, { raw: false }],
    [
      'dns datagram',
      msg.encodeDnsDatagram,
      msg.decodeDnsDatagram,
      { id: 9, client: { address: '172.17.0.2', port: 41000 }, server: '172.17.0.1', message: Uint8Array.of(0xab, 0xcd, 1, 0) },
    ],
    ['session', msg.encodeSession, msg.decodeSession, { flags: 3, rows: 24, cols: 80, cwd: '/', argv: ['version'], env: ['TERM=xterm'] }],
  ] as const)('%s', (_name, encode, decode, value) => {
    expect((decode as (p: Uint8Array) => unknown)((encode as (v: unknown) => Uint8Array)(value))).toEqual(value);
  });

  it('encodes exactly the documented layout', () => {
    expect(Array.from(msg.encodeSize(0x0102, 0x0304))).toEqual([2, 1, 4, 3]);
    expect(Array.from(msg.encodeEndpoint({ address: '10.0.0.1', port: 80 }))).toEqual([10, 0, 0, 1, 80, 0]);
    expect(Array.from(msg.encodeLog('hi'))).toEqual([2, 0, 0, 0, 0x68, 0x69]);
    expect(Array.from(msg.encodeUnixListen({ path: '/s', mode: 0o660 }))).toEqual([2, 0, 0, 0, 0x2f, 0x73, 0xb0, 0x01, 0, 0]);
    expect(Array.from(msg.encodeStdinOpen({ raw: true }))).toEqual([1, 0, 0, 0]);
    expect(Array.from(msg.encodeStdinOpen({ raw: false }))).toEqual([0, 0, 0, 0]);
    const dns = { id: 2, client: { address: '172.17.0.2', port: 0x1234 }, server: '172.17.0.1', message: Uint8Array.of(7) };
    expect(Array.from(msg.encodeDnsDatagram(dns))).toEqual([2, 0, 0, 0, 172, 17, 0, 2, 0x34, 0x12, 172, 17, 0, 1, 7]);
  });

  it('rejects short or lying payloads with PayloadError', () => {
    expect(() => msg.decodeExit(new Uint8Array(7))).toThrow(PayloadError);
    expect(() => msg.decodeLog(Uint8Array.of(9, 0, 0, 0, 0x61))).toThrow(PayloadError);
    expect(() => msg.decodeDnsDatagram(new Uint8Array(13))).toThrow(PayloadError);
    expect(() => msg.decodeSession(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff))).toThrow(PayloadError);
  });

  it('refuses non-IPv4 addresses', () => {
    expect(() => msg.encodeEndpoint({ address: 'localhost', port: 1 })).toThrow(TypeError);
  });
});
