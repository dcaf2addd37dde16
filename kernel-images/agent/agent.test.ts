// Native tests of slipway-agent: the agent runs on the host with fd 3 as its "virtio port" (a
// socketpair from Node) and these tests play the engine's side of PROTOCOL.md.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { release, tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIAL_WINDOW, Op, PROTOCOL_VERSION, SessionPart, SpawnFlag } from '../../src/protocol/guest/constants.ts';
import { Deframer, encodeFrame } from '../../src/protocol/guest/frame.ts';
import { PayloadReader, PayloadWriter } from '../../src/protocol/guest/payload.ts';

// ---- The shared codec of src/protocol/guest, adapted to Buffers for these tests -------------
const WINDOW = INITIAL_WINDOW;
interface Frame { type: number; chan: number; stream: number; payload: Buffer }

function encode(type: number, chan: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.from(encodeFrame(type, stream, payload, chan));
}
class Decoder {
  private out: Frame[] = [];
  private deframer = new Deframer((f) => this.out.push({ ...f, payload: Buffer.from(f.payload) }));
  push(chunk: Buffer): Frame[] {
    this.deframer.push(chunk);
    return this.out.splice(0);
  }
}
const u16 = (v: number) => Buffer.from(new PayloadWriter().u16(v).finish());
const u32 = (v: number) => Buffer.from(new PayloadWriter().u32(v).finish());
const str = (v: string) => Buffer.from(new PayloadWriter().str(v).finish());
const strs = (v: string[]) => Buffer.from(new PayloadWriter().strs(v).finish());
class Reader extends PayloadReader {}
// --------------------------------------------------------------------------------------------

const root = path.dirname(new URL(import.meta.url).pathname);
// SLIPWAY_AGENT_BINARY runs the same tests against another build (e.g. the static i386 one).
const binary = process.env.SLIPWAY_AGENT_BINARY ?? path.join(root, 'out', 'slipway-agent-native');
const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;
const ENV = ['PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', 'LC_ALL=C'];
const PTY = 1;

/** One agent process and everything it has sent, consumed by `take`. */
class Agent {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  private listeners: Array<(f: Frame) => void> = [];
  readonly port: Duplex;
  constructor(readonly proc: ChildProcess) {
    this.port = proc.stdio[3] as Duplex;
    const decoder = new Decoder();
    this.port.on('data', (chunk: Buffer) => {
      for (const f of decoder.push(chunk)) {
        for (const l of this.listeners) l(f);
        this.frames.push(f);
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }
  send(type: number, chan: number, stream: number, payload?: Buffer) {
    this.port.write(encode(type, chan, stream, payload));
  }
  raw(bytes: Buffer) { this.port.write(bytes); }
  onFrame(l: (f: Frame) => void) { this.listeners.push(l); return () => { this.listeners = this.listeners.filter((x) => x !== l); }; }
  /** Removes and returns the first received frame matching pred, waiting for it if needed. */
  async take(pred: (f: Frame) => boolean, what = 'frame', timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }
  /** All frames of a stream up to and including the one matching `last`. */
  async collect(stream: number, last: (f: Frame) => boolean): Promise<Frame[]> {
    const out: Frame[] = [];
    for (;;) {
      const f = await this.take((x) => x.stream === stream && x.type !== Op.LOG, `frames of stream ${stream}`);
      out.push(f);
      if (last(f)) return out;
    }
  }
}

let nextId = 1;
/** A UDP port nothing listens on right now (the agent binds it next). */
async function freeUdpPort(): Promise<number> {
  const probe = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise<void>((resolve) => probe.close(resolve));
  return port;
}
const spawnPayload = (argv: string[], opts: { flags?: number; rows?: number; cols?: number; cwd?: string } = {}) =>
  Buffer.concat([u32(opts.flags ?? 0), u32(uid), u32(gid), u16(opts.rows ?? 0), u16(opts.cols ?? 0),
    str(opts.cwd ?? '/'), strs(argv), strs(ENV), str('')]);
const isExit = (f: Frame) => f.type === Op.EXIT;
const exitOf = (f: Frame) => { const r = new Reader(f.payload); return { code: r.i32(), signal: r.i32() }; };
const dataOn = (frames: Frame[], chan: number) =>
  Buffer.concat(frames.filter((f) => f.type === Op.DATA && f.chan === chan).map((f) => f.payload)).toString();

describe('slipway-agent (native)', () => {
  let agent: Agent;
  let dir: string;
  let sock: string;
  let hello: Frame;
  let dnsPort: number;

  beforeAll(async () => {
    execFileSync('bash', [path.join(root, 'build.sh'), 'native'], { stdio: 'inherit' });
    dir = mkdtempSync(path.join(tmpdir(), 'slipway-agent-'));
    // Its parent directories do not exist yet: the agent creates them, as it does /run/slipway.
    sock = path.join(dir, 'run/slipway/cli.sock');
    dnsPort = await freeUdpPort();
    const proc = spawn(binary, ['--port-fd', '3', '--sock', sock, '--dns-port', String(dnsPort)], { stdio: ['pipe', 'pipe', 'inherit', 'pipe'] });
    agent = new Agent(proc);
    hello = await agent.take((f) => f.type === Op.HELLO, 'HELLO');
  });

  afterAll(() => {
    agent?.proc.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends HELLO with version, build id and kernel release', () => {
    expect(hello.stream).toBe(0);
    const r = new Reader(hello.payload);
    expect(r.u32()).toBe(PROTOCOL_VERSION);
    expect(r.str()).toMatch(/^[0-9a-f]{12}$/);
    expect(r.str()).toBe(release());
    expect(r.remaining).toBe(0);
  });

  it('answers PING with PONG', async () => {
    agent.send(Op.PING, 0, 0, u32(0xdeadbeef));
    const pong = await agent.take((f) => f.type === Op.PONG, 'PONG');
    expect(pong.stream).toBe(0);
    expect(pong.payload.readUInt32LE(0)).toBe(0xdeadbeef);
  });

  it('spawns on pipes: stdout, stderr, EOFs, then EXIT code', async () => {
    const id = nextId++;
    agent.send(Op.SPAWN, 0, id, spawnPayload(['sh', '-c', 'echo out; echo err >&2; exit 3']));
    const frames = await agent.collect(id, isExit);
    expect(frames[0]!.type).toBe(Op.SPAWNED);
    expect(frames[0]!.payload.readUInt32LE(0)).toBeGreaterThan(0);
    expect(dataOn(frames, 1)).toBe('out\n');
    expect(dataOn(frames, 2)).toBe('err\n');
    const eofs = frames.filter((f) => f.type === Op.EOF).map((f) => f.chan).sort();
    expect(eofs).toEqual([1, 2]);
    const last = frames[frames.length - 1]!;
    expect(exitOf(last)).toEqual({ code: 3, signal: 0 });
    expect(frames.findIndex((f) => f.type === Op.EOF)).toBeLessThan(frames.length - 1);
  });

  it('sends NOTIFY once, before EXIT, when a NOTIFY_FD program writes to fd 3 (itself or a child through /proc)', async () => {
    const notifies = async (script: string) => {
      const id = nextId++;
      agent.send(Op.SPAWN, 0, id, spawnPayload(['sh', '-c', script], { flags: SpawnFlag.NOTIFY_FD }));
      const frames = await agent.collect(id, isExit);
      const at = frames.map((f, i) => (f.type === Op.NOTIFY ? i : -1)).filter((i) => i >= 0);
      return { at, exit: frames.length - 1, stdout: dataOn(frames, 1) };
    };
    const direct = await notifies('echo before; printf x >&3; printf y >&3; echo after');
    expect(direct.at).toHaveLength(1);
    expect(direct.at[0]).toBeLessThan(direct.exit);
    expect(direct.stdout).toBe('before\nafter\n');
    // As crun's poststart hook does: a child writes to its parent's fd 3, then the parent exits at once.
    const hook = await notifies("sh -c 'printf x >/proc/$PPID/fd/3'; exit 0");
    expect(hook.at).toHaveLength(1);
    expect(hook.at[0]).toBeLessThan(hook.exit);
    // Closed unwritten: no NOTIFY.
    const none = await notifies('exec 3>&-; echo none');
    expect(none).toEqual({ at: [], exit: none.exit, stdout: 'none\n' });
  });

  it('reports a signal exit', async () => {
    const id = nextId++;
    agent.send(Op.SPAWN, 0, id, spawnPayload(['sh', '-c', 'kill -TERM $$']));
    const frames = await agent.collect(id, isExit);
    expect(exitOf(frames[frames.length - 1]!)).toEqual({ code: -1, signal: 15 });
  });

  it('reports a missing command as ERROR ENOENT', async () => {
    const id = nextId++;
    agent.send(Op.SPAWN, 0, id, spawnPayload(['no-such-command-slipway']));
    const f = await agent.take((x) => x.stream === id && x.type !== Op.LOG, 'ERROR');
    expect(f.type).toBe(Op.ERROR);
    expect(new Reader(f.payload).i32()).toBe(2);
  });

  it('runs on a pty of the requested size', async () => {
    const id = nextId++;
    agent.send(Op.SPAWN, 0, id, spawnPayload(['stty', 'size'], { flags: PTY, rows: 30, cols: 100 }));
    const frames = await agent.collect(id, isExit);
    expect(frames[0]!.type).toBe(Op.SPAWNED);
    expect(dataOn(frames, 1)).toBe('30 100\r\n');
    expect(frames.filter((f) => f.type === Op.EOF).map((f) => f.chan)).toEqual([1]);
    expect(exitOf(frames[frames.length - 1]!)).toEqual({ code: 0, signal: 0 });
  });

  it('applies RESIZE to the pty', async () => {
    const id = nextId++;
    agent.send(Op.SPAWN, 0, id, spawnPayload(['sh', '-c', 'read x; stty size'], { flags: PTY, rows: 24, cols: 80 }));
    await agent.take((f) => f.stream === id && f.type === Op.SPAWNED, 'SPAWNED');
    agent.send(Op.RESIZE, 0, id, Buffer.concat([u16(40), u16(120)]));
    agent.send(Op.DATA, 0, id, Buffer.from('\n'));
    const frames = await agent.collect(id, isExit);
    expect(dataOn(frames, 1)).toBe('\r\n40 120\r\n');
    expect(exitOf(frames[frames.length - 1]!)).toEqual({ code: 0, signal: 0 });
  });

  it('moves 10 MB through cat in both directions within the credit windows', async () => {
    const id = nextId++;
    const total = 10 * 1024 * 1024;
    const input = Buffer.alloc(total);
    for (let i = 0; i < total; i += 4) input.writeUInt32LE((Math.imul(i, 2654435761) ^ i) >>> 0, i);
    const received = createHash('sha256');
    let receivedBytes = 0;
    let sendWindow = WINDOW;
    let outstanding = 0; // bytes the agent sent on chan 1 beyond what we credited: must stay <= WINDOW
    let maxOutstanding = 0;
    let sent = 0;
    let done!: () => void;
    let fail!: (e: Error) => void;
    const finished = new Promise<void>((resolve, reject) => { done = resolve; fail = reject; });
    const pump = () => {
      while (sent < total && sendWindow > 0) {
        const n = Math.min(65536, sendWindow, total - sent);
        agent.send(Op.DATA, 0, id, input.subarray(sent, sent + n));
        sent += n;
        sendWindow -= n;
        if (sent === total) agent.send(Op.EOF, 0, id);
      }
    };
    const off = agent.onFrame((f) => {
      if (f.stream !== id) return;
      if (f.type === Op.CREDIT && f.chan === 0) { sendWindow += f.payload.readUInt32LE(0); pump(); }
      if (f.type === Op.DATA && f.chan === 1) {
        outstanding += f.payload.length;
        maxOutstanding = Math.max(maxOutstanding, outstanding);
        if (outstanding > WINDOW) fail(new Error(`agent exceeded the window: ${outstanding}`));
        received.update(f.payload);
        receivedBytes += f.payload.length;
        agent.send(Op.CREDIT, 1, id, u32(f.payload.length));
        outstanding -= f.payload.length;
      }
      if (f.type === Op.EXIT) done();
    });
    agent.send(Op.SPAWN, 0, id, spawnPayload(['cat']));
    pump();
    await finished;
    off();
    expect(sendWindow).toBeGreaterThanOrEqual(0);
    expect(receivedBytes).toBe(total);
    expect(received.digest('hex')).toBe(createHash('sha256').update(input).digest('hex'));
    expect(maxOutstanding).toBeLessThanOrEqual(WINDOW);
    const frames = await agent.collect(id, isExit);
    expect(exitOf(frames[frames.length - 1]!)).toEqual({ code: 0, signal: 0 });
    // Once we stopped sending, every consumed byte was credited back.
    expect(sendWindow).toBe(WINDOW);
  }, 60_000);

  it('stops reading a child while the host withholds credit', async () => {
    const id = nextId++;
    const total = 3 * WINDOW + 1000;
    agent.send(Op.SPAWN, 0, id, spawnPayload(['sh', '-c', `head -c ${total} /dev/zero; echo done >&2`]));
    await new Promise((r) => setTimeout(r, 500));
    const data = agent.frames.filter((f) => f.stream === id && f.type === Op.DATA && f.chan === 1);
    expect(data.reduce((n, f) => n + f.payload.length, 0)).toBe(WINDOW);
    expect(agent.frames.some((f) => f.stream === id && f.type === Op.EXIT)).toBe(false);
    agent.send(Op.CREDIT, 1, id, u32(total));
    const frames = await agent.collect(id, isExit);
    expect(frames.filter((f) => f.type === Op.DATA && f.chan === 1).reduce((n, f) => n + f.payload.length, 0)).toBe(total);
    expect(dataOn(frames, 2)).toBe('done\n');
  });

  it('resyncs after garbage and still answers PING', async () => {
    const badCheck = encode(Op.PING, 0, 0, u32(1));
    badCheck.writeUInt32LE(0x12345678, 12);
    const hugeLen = Buffer.from(encode(Op.PING, 0, 0));
    hugeLen.writeUInt32LE(0xffffffff, 8);
    agent.raw(Buffer.concat([Buffer.from('garbage bytes SW\x00\x01'), badCheck, hugeLen, Buffer.from([0x53, 0x57, 0x53])]));
    agent.send(Op.PING, 0, 0, u32(42));
    const pong = await agent.take((f) => f.type === Op.PONG, 'PONG');
    expect(pong.payload.readUInt32LE(0)).toBe(42);
    expect(agent.frames.some((f) => f.type === Op.LOG && /malformed/.test(new Reader(f.payload).str()))).toBe(true);
  });

  it('closes a stream on an unknown opcode with ERROR EPROTO and keeps going', async () => {
    const id = nextId++;
    agent.send(Op.SPAWN, 0, id, spawnPayload(['sleep', '30']));
    await agent.take((f) => f.stream === id && f.type === Op.SPAWNED, 'SPAWNED');
    agent.send(0x7e, 0, id, Buffer.from('whatever'));
    const err = await agent.take((f) => f.stream === id && f.type === Op.ERROR, 'ERROR');
    expect(new Reader(err.payload).i32()).toBe(71);
    // A short payload on a known opcode is malformed too.
    agent.send(Op.PING, 0, 0, u32(7));
    expect((await agent.take((f) => f.type === Op.PONG, 'PONG')).payload.readUInt32LE(0)).toBe(7);
    const id2 = nextId++;
    agent.send(Op.SPAWN, 0, id2, Buffer.from([1, 2]));
    const err2 = await agent.take((f) => f.stream === id2 && f.type === Op.ERROR, 'ERROR');
    expect(new Reader(err2.payload).i32()).toBe(71);
    agent.send(Op.PING, 0, 0, u32(8));
    expect((await agent.take((f) => f.type === Op.PONG, 'PONG')).payload.readUInt32LE(0)).toBe(8);
  });

  it('aborts a spawn on CLOSE', async () => {
    const id = nextId++;
    agent.send(Op.SPAWN, 0, id, spawnPayload(['sleep', '30']));
    const spawned = await agent.take((f) => f.stream === id && f.type === Op.SPAWNED, 'SPAWNED');
    const pid = spawned.payload.readUInt32LE(0);
    agent.send(Op.CLOSE, 0, id);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      try { process.kill(pid, 0); } catch { break; }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('adopts a pty master handed over on the console socket (crun --console-socket)', async () => {
    // A stand-in for `crun run -d`: sends a pty master, leaves a process on the slave, exits.
    const fakeCrun = [
      'import os, socket, sys',
      'master, slave = os.openpty()',
      's = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)',
      's.connect(sys.argv[1])',
      "socket.send_fds(s, [b'x'], [master])",
      's.close(); os.close(master)',
      'if os.fork() == 0:',
      "    null = os.open('/dev/null', os.O_RDWR); os.dup2(null, 1); os.dup2(null, 2)",
      '    line = os.read(slave, 100)',
      "    os.write(slave, b'got: ' + line.strip() + b'\\n')",
      '    os._exit(0)',
      'os.close(slave)',
      "sys.stderr.write('crun done\\n')",
    ].join('\n');
    const id = nextId++;
    const consoleSocket = path.join(dir, 'console.sock');
    const payload = Buffer.concat([u32(4), u32(uid), u32(gid), u16(0), u16(0), str('/'),
      strs(['python3', '-c', fakeCrun, consoleSocket]), strs(ENV), str(consoleSocket)]);
    agent.send(Op.SPAWN, 0, id, payload);
    const first = await agent.collect(id, (f) => f.type === Op.EXIT);
    expect(first[0]!.type).toBe(Op.SPAWNED);
    // crun's own stderr (chan 2) may race the hand-over; pty output (chan 1) never precedes CONSOLE.
    const consoleAt = first.findIndex((f) => f.type === Op.CONSOLE);
    expect(consoleAt).toBeGreaterThan(0);
    expect(first.slice(0, consoleAt).some((f) => f.type === Op.DATA && f.chan === 1)).toBe(false);
    expect(dataOn(first, 2)).toBe('crun done\n');
    expect(exitOf(first[first.length - 1]!)).toEqual({ code: 0, signal: 0 });
    agent.send(Op.DATA, 0, id, Buffer.from('typed\n'));
    const rest = await agent.collect(id, (f) => f.type === Op.EOF && f.chan === 1);
    expect(dataOn(first, 1) + dataOn(rest, 1)).toBe('typed\r\ngot: typed\r\n');
    // The stream was freed after pty EOF: nothing more arrives for it.
    agent.send(Op.PING, 0, 0, u32(9));
    await agent.take((f) => f.type === Op.PONG, 'PONG');
    expect(agent.frames.some((f) => f.stream === id && f.type !== Op.LOG && f.type !== Op.CREDIT)).toBe(false);
  });

  it('listens on TCP and relays an accepted connection', async () => {
    const id = nextId++;
    agent.send(Op.TCP_LISTEN, 0, id, Buffer.concat([Buffer.from([127, 0, 0, 1]), u16(0)]));
    const listening = await agent.take((f) => f.stream === id && f.type !== Op.LOG, 'LISTENING');
    expect(listening.type).toBe(Op.LISTENING);
    const port = listening.payload.readUInt16LE(0);
    expect(port).toBeGreaterThan(0);
    const client = net.connect(port, '127.0.0.1');
    const fromAgent: Buffer[] = [];
    client.on('data', (b) => fromAgent.push(b));
    const clientEnded = new Promise((r) => client.on('end', r));
    await new Promise((r) => client.on('connect', r));
    const accept = await agent.take((f) => f.type === Op.ACCEPT, 'ACCEPT');
    expect(accept.stream & 0x80000000).not.toBe(0);
    const r = new Reader(accept.payload);
    expect(r.u32()).toBe(id);
    expect([...accept.payload.subarray(4, 8)]).toEqual([127, 0, 0, 1]);
    expect(accept.payload.readUInt16LE(8)).toBe(client.localPort);
    const conn = accept.stream;
    agent.send(Op.DATA, 0, conn, Buffer.from('to client'));
    client.end('to host');
    const frames = await agent.collect(conn, (f) => f.type === Op.EOF);
    expect(dataOn(frames, 1)).toBe('to host');
    agent.send(Op.EOF, 0, conn);
    await clientEnded;
    expect(Buffer.concat(fromAgent).toString()).toBe('to client');
    const close = await agent.take((f) => f.stream === conn && f.type !== Op.LOG && f.type !== Op.CREDIT, 'CLOSE');
    expect(close.type).toBe(Op.CLOSE);
    agent.send(Op.CLOSE, 0, id);
  });

  describe('UNIX_LISTEN', () => {
    const unixListen = (id: number, socketPath: string, mode = 0o660) => {
      agent.send(Op.UNIX_LISTEN, 0, id, Buffer.concat([str(socketPath), u32(mode)]));
      return agent.take((f) => f.stream === id && f.type !== Op.LOG, 'LISTENING or ERROR');
    };

    it('listens at a path (parents created, mode set) and relays a connection like a TCP one', async () => {
      const id = nextId++;
      const socketPath = path.join(dir, 'var/run/api.sock');
      const listening = await unixListen(id, socketPath);
      expect(listening.type).toBe(Op.LISTENING);
      expect(listening.payload).toEqual(u16(0));
      const st = lstatSync(socketPath);
      expect(st.isSocket()).toBe(true);
      expect(st.mode & 0o7777).toBe(0o660);

      const client = net.connect(socketPath);
      const fromAgent: Buffer[] = [];
      client.on('data', (b) => fromAgent.push(b));
      const clientEnded = new Promise((r) => client.on('end', r));
      await new Promise((r) => client.on('connect', r));
      const accept = await agent.take((f) => f.type === Op.ACCEPT, 'ACCEPT');
      expect(accept.stream & 0x80000000).not.toBe(0);
      expect(accept.payload).toEqual(Buffer.concat([u32(id), Buffer.from([0, 0, 0, 0]), u16(0)]));
      const conn = accept.stream;
      agent.send(Op.DATA, 0, conn, Buffer.from('HTTP/1.1 200 OK\r\n\r\nOK'));
      client.end('GET /_ping HTTP/1.1\r\n\r\n');
      const frames = await agent.collect(conn, (f) => f.type === Op.EOF);
      expect(dataOn(frames, 1)).toBe('GET /_ping HTTP/1.1\r\n\r\n');
      expect(frames.at(-1)!.chan).toBe(1);
      // Host EOF is shutdown(SHUT_WR): the client reads its end of file after the data.
      agent.send(Op.EOF, 0, conn);
      await clientEnded;
      expect(Buffer.concat(fromAgent).toString()).toBe('HTTP/1.1 200 OK\r\n\r\nOK');
      const close = await agent.take((f) => f.stream === conn && f.type !== Op.LOG && f.type !== Op.CREDIT, 'CLOSE');
      expect(close.type).toBe(Op.CLOSE);

      // CLOSE on the listener closes it and removes its file.
      agent.send(Op.CLOSE, 0, id);
      agent.send(Op.PING, 0, 0, u32(11));
      await agent.take((f) => f.type === Op.PONG, 'PONG');
      expect(existsSync(socketPath)).toBe(false);
      const refused = net.connect(socketPath);
      await expect(new Promise((resolve, reject) => { refused.on('connect', resolve); refused.on('error', reject); })).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('closes an accepted connection on host CLOSE and reports a client that hangs up', async () => {
      const id = nextId++;
      const socketPath = path.join(dir, 'close.sock');
      expect((await unixListen(id, socketPath, 0o666)).type).toBe(Op.LISTENING);
      expect(lstatSync(socketPath).mode & 0o7777).toBe(0o666);
      const first = net.connect(socketPath);
      const firstClosed = new Promise((r) => first.on('close', r));
      first.on('data', () => {});
      const a1 = await agent.take((f) => f.type === Op.ACCEPT, 'ACCEPT');
      agent.send(Op.CLOSE, 0, a1.stream);
      await firstClosed;

      const second = net.connect(socketPath);
      const a2 = await agent.take((f) => f.type === Op.ACCEPT, 'ACCEPT');
      second.destroy();
      const frames = await agent.collect(a2.stream, (f) => f.type === Op.EOF || f.type === Op.ERROR);
      expect(frames.at(-1)!.type).toBe(Op.EOF);
      agent.send(Op.CLOSE, 0, a2.stream);
      agent.send(Op.CLOSE, 0, id);
    });

    it('replaces a stale socket but nothing else, and removes only its own file', async () => {
      const socketPath = path.join(dir, 'stale.sock');
      const first = nextId++;
      expect((await unixListen(first, socketPath)).type).toBe(Op.LISTENING);
      // A second listener at the same path replaces the first one's file ...
      const second = nextId++;
      expect((await unixListen(second, socketPath)).type).toBe(Op.LISTENING);
      // ... which the first one's CLOSE then leaves alone.
      agent.send(Op.CLOSE, 0, first);
      const client = net.connect(socketPath);
      const accept = await agent.take((f) => f.type === Op.ACCEPT, 'ACCEPT');
      expect(accept.payload.readUInt32LE(0)).toBe(second);
      client.destroy();
      agent.send(Op.CLOSE, 0, accept.stream);
      agent.send(Op.CLOSE, 0, second);

      const filePath = path.join(dir, 'not-a-socket');
      writeFileSync(filePath, 'keep me');
      const refused = await unixListen(nextId++, filePath);
      expect(refused.type).toBe(Op.ERROR);
      const r = new Reader(refused.payload);
      expect([r.i32(), r.str()]).toEqual([17, `${filePath} exists and is not a socket`]);
      expect(readFileSync(filePath, 'utf8')).toBe('keep me');
    });

    it('refuses relative paths, bad modes and short payloads', async () => {
      const errnoOf = (f: Frame) => (f.type === Op.ERROR ? new Reader(f.payload).i32() : `not ERROR: ${f.type}`);
      expect(errnoOf(await unixListen(nextId++, 'relative.sock'))).toBe(22);
      expect(errnoOf(await unixListen(nextId++, path.join(dir, 'mode.sock'), 0o10000))).toBe(22);
      expect(errnoOf(await unixListen(nextId++, `/${'x'.repeat(120)}`))).toBe(36);
      const id = nextId++;
      agent.send(Op.UNIX_LISTEN, 0, id, str('/tmp/x.sock'));
      expect(errnoOf(await agent.take((f) => f.stream === id && f.type !== Op.LOG, 'ERROR'))).toBe(71);
      expect(existsSync(path.join(dir, 'mode.sock'))).toBe(false);
    });
  });

  it('connects out over TCP and relays an echo', async () => {
    const server = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const id = nextId++;
      agent.send(Op.TCP_CONNECT, 0, id, Buffer.concat([Buffer.from([127, 0, 0, 1]), u16(port)]));
      const connected = await agent.take((f) => f.stream === id && f.type !== Op.LOG, 'CONNECTED');
      expect(connected.type).toBe(Op.CONNECTED);
      agent.send(Op.DATA, 0, id, Buffer.from('ping over tcp'));
      agent.send(Op.EOF, 0, id);
      const frames = await agent.collect(id, (f) => f.type === Op.CLOSE);
      expect(dataOn(frames, 1)).toBe('ping over tcp');
      expect(frames.filter((f) => f.type === Op.EOF).map((f) => f.chan)).toEqual([1]);
    } finally {
      server.close();
    }
  });

  it('relays DNS queries on UDP to the host and answers from the address the client asked', async () => {
    const client = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    const replies: Array<{ message: Buffer; from: string; port: number }> = [];
    let replied!: () => void;
    client.on('message', (message, from) => {
      replies.push({ message, from: from.address, port: from.port });
      replied();
    });
    try {
      // All of 127/8 is local: 127.0.0.2 stands for a second bridge gateway on the same socket.
      for (const server of ['127.0.0.1', '127.0.0.2']) {
        const query = Buffer.from(`query to ${server}`);
        client.send(query, dnsPort, server);
        const f = await agent.take((x) => x.type === Op.DNS_QUERY, 'DNS_QUERY');
        expect(f.stream).toBe(0);
        const r = new Reader(f.payload);
        const id = r.u32();
        expect(Array.from(r.bytes(4)).join('.')).toBe('127.0.0.1');
        expect(r.u16()).toBe(client.address().port);
        expect(Array.from(r.bytes(4)).join('.')).toBe(server);
        expect(Buffer.from(r.bytes(r.remaining))).toEqual(query);
        const got = new Promise<void>((resolve) => (replied = resolve));
        agent.send(Op.DNS_ANSWER, 0, 0, Buffer.concat([f.payload.subarray(0, 14), Buffer.from(`answer ${id}`)]));
        await got;
        expect(replies.pop()).toEqual({ message: Buffer.from(`answer ${id}`), from: server, port: dnsPort });
      }
      // A short answer is dropped with a log line; the agent keeps serving.
      agent.send(Op.DNS_ANSWER, 0, 0, Buffer.alloc(5));
      const log = await agent.take((x) => x.type === Op.LOG && new Reader(x.payload).str().includes('DNS_ANSWER'), 'LOG');
      expect(new Reader(log.payload).str()).toBe('DNS_ANSWER payload too short');
      agent.send(Op.PING, 0, 0, u32(5));
      await agent.take((x) => x.type === Op.PONG, 'PONG');
    } finally {
      client.close();
    }
  });

  it('reports a refused TCP connection as ERROR ECONNREFUSED', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((r) => server.close(r));
    const id = nextId++;
    agent.send(Op.TCP_CONNECT, 0, id, Buffer.concat([Buffer.from([127, 0, 0, 1]), u16(port)]));
    const f = await agent.take((x) => x.stream === id && x.type !== Op.LOG, 'ERROR');
    expect(f.type).toBe(Op.ERROR);
    expect(new Reader(f.payload).i32()).toBe(111);
  });

  describe('docker client sessions', () => {
    let docker: string;
    beforeAll(() => {
      docker = path.join(dir, 'docker');
      symlinkSync(binary, docker);
    });

    function runDocker(args: string[], stdin: 'ignore' | 'pipe' = 'ignore') {
      const proc = spawn(docker, args, {
        cwd: dir,
        stdio: [stdin, 'pipe', 'pipe'],
        env: { SLIPWAY_DOCKER_SOCK: sock, DOCKER_FOO: 'bar', TERM: 'xterm', OTHER: 'x' },
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      proc.stdout!.on('data', (b) => out.push(b));
      proc.stderr!.on('data', (b) => err.push(b));
      const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        proc.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() })));
      return { proc, exited };
    }

    it('relays SESSION, output and EXIT 0', async () => {
      const { exited } = runDocker(['version']);
      const session = await agent.take((f) => f.type === Op.SESSION, 'SESSION');
      expect(session.stream & 0x80000000).not.toBe(0);
      const r = new Reader(session.payload);
      expect(r.u32()).toBe(0);
      expect([r.u16(), r.u16()]).toEqual([0, 0]);
      expect(r.str()).toBe(dir);
      expect(r.strs()).toEqual(['version']);
      expect(r.strs().sort()).toEqual(['DOCKER_FOO=bar', 'TERM=xterm']);
      expect(r.remaining).toBe(0);
      agent.send(Op.DATA, 1, session.stream, Buffer.from('hello\n'));
      const credit1 = await agent.take((f) => f.stream === session.stream && f.type === Op.CREDIT, 'CREDIT');
      expect([credit1.chan, credit1.payload.readUInt32LE(0)]).toEqual([1, 6]);
      agent.send(Op.DATA, 2, session.stream, Buffer.from('warn\n'));
      const credit2 = await agent.take((f) => f.stream === session.stream && f.type === Op.CREDIT, 'CREDIT');
      expect([credit2.chan, credit2.payload.readUInt32LE(0)]).toEqual([2, 5]);
      agent.send(Op.EXIT, 0, session.stream, Buffer.concat([u32(0), u32(0)]));
      const result = await exited;
      expect(result).toEqual({ code: 0, stdout: 'hello\n', stderr: 'warn\n' });
      // Stdin was never opened: not even its EOF was read.
      expect(agent.frames.filter((f) => f.stream === session.stream && f.type !== Op.LOG)).toEqual([]);
    });

    it('leaves stdin to the next command of a script unless the host opens it', async () => {
      const proc = spawn('sh', ['-c', `"${docker}" version; read x; echo "got $x"`], {
        cwd: dir,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { SLIPWAY_DOCKER_SOCK: sock },
      });
      let out = '';
      proc.stdout!.on('data', (b) => { out += b; });
      proc.stdin!.end('hello\n');
      const session = await agent.take((f) => f.type === Op.SESSION, 'SESSION');
      agent.send(Op.EXIT, 0, session.stream, Buffer.concat([u32(0), u32(0)]));
      expect(await new Promise((resolve) => proc.on('close', resolve))).toBe(0);
      expect(out).toBe('got hello\n');
    });

    it('exits with the EXIT code and relays stdin', async () => {
      const { proc, exited } = runDocker(['run', '-i', 'alpine'], 'pipe');
      const session = await agent.take((f) => f.type === Op.SESSION, 'SESSION');
      proc.stdin!.end('abc');
      agent.send(Op.STDIN_OPEN, 0, session.stream, u32(0));
      const frames = await agent.collect(session.stream, (f) => f.type === Op.EOF);
      expect(dataOn(frames, 0)).toBe('abc');
      agent.send(Op.EXIT, 0, session.stream, Buffer.concat([u32(7), u32(0)]));
      expect((await exited).code).toBe(7);
    });

    it('forwards signals without a tty and reports 128+signal', async () => {
      const { proc, exited } = runDocker(['run', 'alpine', 'sleep', '100']);
      const session = await agent.take((f) => f.type === Op.SESSION, 'SESSION');
      proc.kill('SIGINT');
      const sig = await agent.take((f) => f.stream === session.stream && f.type === Op.SIGNAL, 'SIGNAL');
      expect(sig.payload.readUInt32LE(0)).toBe(2);
      agent.send(Op.EXIT, 0, session.stream, Buffer.concat([u32(0xffffffff), u32(2)]));
      expect((await exited).code).toBe(130);
    });

    it('tells the host when the client goes away, and the client when the host closes', async () => {
      const first = runDocker(['logs', '-f', 'x']);
      const s1 = await agent.take((f) => f.type === Op.SESSION, 'SESSION');
      first.proc.kill('SIGKILL');
      await agent.take((f) => f.stream === s1.stream && f.type === Op.CLOSE, 'CLOSE');

      const second = runDocker(['logs', '-f', 'y']);
      const s2 = await agent.take((f) => f.type === Op.SESSION, 'SESSION');
      agent.send(Op.CLOSE, 0, s2.stream);
      const result = await second.exited;
      expect(result.code).toBe(125);
      expect(result.stderr).toBe('docker: connection to the Slipway engine lost\n');
    });

    it('on a tty: raw mode once the host opens stdin raw, RESIZE on SIGWINCH, terminal restored at EXIT', async () => {
      // python3 puts the client on a pty and reports the pty's state when asked on stdin.
      const wrapper = [
        'import fcntl, os, pty, select, struct, sys, termios',
        'pid, fd = pty.fork()',
        'if pid == 0:',
        "    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 30, 90, 0, 0))",
        "    os.execv(sys.argv[1], ['docker', 'run', '-it', 'alpine'])",
        'lflag = lambda: termios.tcgetattr(fd)[3] & (termios.ICANON | termios.ECHO)',
        'while True:',
        '    ready = select.select([fd, 0], [], [])[0]',
        '    if 0 in ready:',
        '        cmd = sys.stdin.readline().strip()',
        "        if cmd == 'lflag': print('lflag', lflag(), flush=True)",
        "        if cmd == 'resize': fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 160, 0, 0))",
        '    if fd in ready:',
        '        try: data = os.read(fd, 1000)',
        '        except OSError: data = b""',
        '        if not data: break',
        "        print('output', repr(data.decode()), flush=True)",
        'status = os.waitpid(pid, 0)[1]',
        "print('exit', os.waitstatus_to_exitcode(status), 'lflag', lflag(), flush=True)",
      ].join('\n');
      const proc = spawn('python3', ['-c', wrapper, docker], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, SLIPWAY_DOCKER_SOCK: sock, TERM: 'xterm' },
      });
      let out = '';
      proc.stdout!.on('data', (b) => { out += b; });
      const waitOut = async (re: RegExp) => {
        const deadline = Date.now() + 5000;
        while (!re.test(out)) {
          if (Date.now() > deadline) throw new Error(`wrapper never printed ${re}: ${out}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        return out.match(re)!;
      };
      const session = await agent.take((f) => f.type === Op.SESSION, 'SESSION');
      const r = new Reader(session.payload);
      expect(r.u32()).toBe(7);
      expect([r.u16(), r.u16()]).toEqual([30, 90]);
      // Cooked until the host asks: typed-ahead input keeps its line discipline.
      proc.stdin!.write('lflag\n');
      expect(Number((await waitOut(/lflag (\d+)/))[1])).not.toBe(0);
      agent.send(Op.STDIN_OPEN, 0, session.stream, u32(1));
      let raw = false;
      for (let i = 0; i < 50 && !raw; i++) {
        const before = out.length;
        proc.stdin!.write('lflag\n');
        await waitOut(new RegExp(`^[\\s\\S]{${before}}[\\s\\S]*lflag (\\d+)`));
        raw = / 0\n$/.test(out.slice(before));
        if (!raw) await new Promise((res) => setTimeout(res, 20));
      }
      expect(raw).toBe(true);
      proc.stdin!.write('resize\n');
      const resize = await agent.take((f) => f.stream === session.stream && f.type === Op.RESIZE, 'RESIZE');
      expect([resize.payload.readUInt16LE(0), resize.payload.readUInt16LE(2)]).toEqual([50, 160]);
      agent.send(Op.DATA, 1, session.stream, Buffer.from('hi\n'));
      // Fully raw, as Docker's term.MakeRaw: the container's pty already turned \n into \r\n.
      await waitOut(/output 'hi\\n'/);
      agent.send(Op.EXIT, 0, session.stream, Buffer.concat([u32(3), u32(0)]));
      const [, code, lflag] = await waitOut(/exit (\d+) lflag (\d+)/);
      expect(Number(code)).toBe(3);
      expect(Number(lflag)).not.toBe(0);
      proc.stdin!.end();
    });

    /** The SESSION frames of one guest stream, up to the part that says no more follows. */
    async function takeSession(stream?: number): Promise<{ stream: number; parts: Frame[]; request: Reader }> {
      const first = await agent.take((f) => f.type === Op.SESSION && (stream === undefined || f.stream === stream), 'SESSION');
      const parts = [first];
      while (parts.at(-1)!.chan === SessionPart.MORE) {
        parts.push(await agent.take((f) => f.stream === first.stream && f.type !== Op.LOG, `SESSION_MORE ${parts.length}`));
      }
      return { stream: first.stream, parts, request: new Reader(Buffer.concat(parts.map((p) => p.payload))) };
    }

    it('sends a SESSION longer than one frame as SESSION and SESSION_MORE parts, relayed in order', async () => {
      const variable = `X=${'a'.repeat(100 * 1024)}`;
      const argument = 'b'.repeat(100 * 1024);
      const { exited } = runDocker(['run', '-e', variable, 'busybox', 'echo', argument]);
      const { stream, parts, request } = await takeSession();
      expect(parts.map((p) => [p.type, p.chan, p.payload.length])).toEqual([
        [Op.SESSION, SessionPart.MORE, 65536],
        [Op.SESSION_MORE, SessionPart.MORE, 65536],
        [Op.SESSION_MORE, SessionPart.MORE, 65536],
        [Op.SESSION_MORE, SessionPart.LAST, request.remaining - 3 * 65536],
      ]);
      expect(parts.every((p) => p.stream === stream)).toBe(true);
      expect([request.u32(), request.u16(), request.u16(), request.str()]).toEqual([0, 0, 0, dir]);
      expect(request.strs()).toEqual(['run', '-e', variable, 'busybox', 'echo', argument]);
      expect(request.strs().sort()).toEqual(['DOCKER_FOO=bar', 'TERM=xterm']);
      expect(request.remaining).toBe(0);
      agent.send(Op.EXIT, 0, stream, Buffer.concat([u32(0), u32(0)]));
      expect((await exited).code).toBe(0);
    });

    it('keeps the parts of concurrent long sessions apart, each in order', async () => {
      const clients = ['c', 'd', 'e'].map((letter) => ({ letter, run: runDocker(['run', 'busybox', 'echo', letter.repeat(120 * 1024), letter]) }));
      const sessions = await Promise.all(clients.map(() => takeSession()));
      const seen = sessions.map(({ request }) => {
        request.u32(); request.u16(); request.u16(); request.str();
        const argv = request.strs();
        expect(argv.slice(0, 3)).toEqual(['run', 'busybox', 'echo']);
        expect(argv[3]).toBe(argv[4]!.repeat(120 * 1024));
        return argv[4];
      });
      expect(seen.sort()).toEqual(['c', 'd', 'e']);
      for (const { stream } of sessions) agent.send(Op.EXIT, 0, stream, Buffer.concat([u32(0), u32(0)]));
      for (const { run } of clients) expect((await run.exited).code).toBe(0);
    });

    it('takes arguments up to the 2 MiB ARG_MAX and refuses more, as exec would', async () => {
      // 20 arguments of 100 KB: what a default 8 MiB stack lets a program start with.
      const word = 'w'.repeat(100_000);
      const { exited } = runDocker(['run', 'busybox', 'echo', ...Array<string>(20).fill(word)]);
      const { stream, parts, request } = await takeSession();
      expect(parts.length).toBe(31);
      request.u32(); request.u16(); request.u16(); request.str();
      expect(request.strs()).toEqual(['run', 'busybox', 'echo', ...Array<string>(20).fill(word)]);
      agent.send(Op.EXIT, 0, stream, Buffer.concat([u32(0), u32(0)]));
      expect((await exited).code).toBe(0);

      // A raised stack limit lets exec take 2.4 MB; the client refuses it and nothing reaches the host.
      const sessionsBefore = agent.frames.filter((f) => f.type === Op.SESSION).length;
      const proc = spawn('bash', ['-c', 'ulimit -s unlimited && w=$(head -c 100000 /dev/zero | tr "\\0" w) && exec "$0" run busybox echo $(for i in $(seq 24); do echo $w; done)', docker], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { SLIPWAY_DOCKER_SOCK: sock },
      });
      let stderr = '';
      proc.stderr!.on('data', (b) => { stderr += b; });
      expect(await new Promise((r) => proc.on('close', r))).toBe(125);
      expect(stderr).toBe('docker: argument list too long\n');
      expect(agent.frames.filter((f) => f.type === Op.SESSION).length).toBe(sessionsBefore);
    });

    it('fails with 125 when the daemon socket is missing', async () => {
      const proc = spawn(docker, ['ps'], { stdio: ['ignore', 'pipe', 'pipe'], env: { SLIPWAY_DOCKER_SOCK: path.join(dir, 'nope.sock') } });
      const err: Buffer[] = [];
      proc.stderr!.on('data', (b) => err.push(b));
      const code = await new Promise((r) => proc.on('close', r));
      expect(code).toBe(125);
      expect(Buffer.concat(err).toString()).toBe(
        `docker: Cannot connect to the Docker daemon at unix://${path.join(dir, 'nope.sock')}. Is the docker daemon running?\n`);
    });
  });
});
