import { describe, expect, it, vi } from 'vitest';
import { ScriptedAgent, sessionParts } from '../../../test/fakes/scripted-agent.ts';
import { Chan, Errno, INITIAL_WINDOW, MAX_PAYLOAD, Op, PROTOCOL_VERSION, SESSION_MAX_SIZE, SessionPart, SpawnFlag } from '../../protocol/guest/constants.ts';
import * as msg from '../../protocol/guest/messages.ts';
import { GuestGoneError, GuestSpawnError, type GuestSocket } from '../../protocol/guest/port.ts';
import { readAll, readText } from '../../lib/streams.ts';
import { GuestConnection } from './connection.ts';

const text = (s: string) => new TextEncoder().encode(s);

function setup() {
  const agent = new ScriptedAgent();
  const logs: string[] = [];
  const conn = new GuestConnection({ send: agent.fromHost, log: (l) => logs.push(l) });
  agent.attach(conn);
  return { agent, conn, logs };
}

describe('GuestConnection', () => {
  it('spawns, delivers output in order and reports the exit once', async () => {
    const { agent, conn } = setup();
    const pending = conn.spawn({ argv: ['sh', '-c', 'x'], cwd: '/root' });
    const spawn = await agent.expect((f) => f.type === Op.SPAWN);
    expect(msg.decodeSpawn(spawn.payload)).toMatchObject({ argv: ['sh', '-c', 'x'], cwd: '/root', flags: 0 });
    const id = spawn.stream;
    agent.reply(Op.SPAWNED, id, msg.encodeU32(42));
    const proc = await pending;
    expect(proc.pid).toBe(42);
    agent.reply(Op.DATA, id, text('out'), Chan.STDOUT);
    agent.reply(Op.DATA, id, text('err'), Chan.STDERR);
    agent.reply(Op.EOF, id, undefined, Chan.STDOUT);
    agent.reply(Op.EOF, id, undefined, Chan.STDERR);
    agent.reply(Op.EXIT, id, msg.encodeExit({ code: 3, signal: 0 }));
    expect(await readText(proc.stdout)).toBe('out');
    expect(await readText(proc.stderr)).toBe('err');
    expect(await proc.exited).toEqual({ code: 3, signal: 0 });
    expect(conn.openStreams).toBe(0);
  });

  it('asks for a notify fd and settles notified on NOTIFY, before the exit', async () => {
    const { agent, conn } = setup();
    const pending = conn.spawn({ argv: ['crun', 'run', 'x'], notify: true });
    const spawn = await agent.expect((f) => f.type === Op.SPAWN);
    expect(msg.decodeSpawn(spawn.payload).flags).toBe(SpawnFlag.NOTIFY_FD);
    const id = spawn.stream;
    agent.reply(Op.SPAWNED, id, msg.encodeU32(7));
    const proc = await pending;
    const order: string[] = [];
    void proc.notified.then(() => order.push('notified'));
    void proc.exited.then(() => order.push('exited'));
    agent.reply(Op.NOTIFY, id);
    agent.reply(Op.EOF, id, undefined, Chan.STDOUT);
    agent.reply(Op.EOF, id, undefined, Chan.STDERR);
    agent.reply(Op.EXIT, id, msg.encodeExit({ code: 0, signal: 0 }));
    await proc.exited;
    await proc.notified;
    expect(order).toEqual(['notified', 'exited']);
  });

  it('turns a spawn ERROR into GuestSpawnError with the errno', async () => {
    const { agent, conn } = setup();
    const pending = conn.spawn({ argv: ['nope'] });
    const spawn = await agent.expect((f) => f.type === Op.SPAWN);
    agent.reply(Op.ERROR, spawn.stream, msg.encodeError({ errno: Errno.ENOENT, message: 'nope: not found' }));
    await expect(pending).rejects.toEqual(new GuestSpawnError(Errno.ENOENT, 'nope: not found'));
    expect(conn.openStreams).toBe(0);
  });

  it('never sends more stdin than the guest granted', async () => {
    const { agent, conn } = setup();
    const pending = conn.spawn({ argv: ['cat'] });
    const { stream: id } = await agent.expect((f) => f.type === Op.SPAWN);
    agent.reply(Op.SPAWNED, id, msg.encodeU32(1));
    const proc = await pending;
    const big = new Uint8Array(INITIAL_WINDOW * 3).map((_, i) => i & 0xff);
    let done = false;
    const writing = proc.stdin.write(big).then(() => (done = true));
    await agent.expect((f) => f.type === Op.DATA && f.stream === id);
    await new Promise((r) => setTimeout(r, 20));
    const sentBytes = () => agent.framesOf(Op.DATA, id).reduce((n, f) => n + f.payload.length, 0);
    expect(sentBytes()).toBe(INITIAL_WINDOW);
    expect(done).toBe(false);
    agent.reply(Op.CREDIT, id, msg.encodeU32(INITIAL_WINDOW * 2), Chan.STDIN);
    await writing;
    expect(sentBytes()).toBe(INITIAL_WINDOW * 3);
    const received = new Uint8Array(INITIAL_WINDOW * 3);
    let at = 0;
    for (const f of agent.framesOf(Op.DATA, id)) received.set(f.payload, (at += f.payload.length) - f.payload.length);
    expect(received).toEqual(big);
    proc.stdin.end();
    await agent.expect((f) => f.type === Op.EOF && f.stream === id && f.chan === Chan.STDIN);
  });

  it('fails a pending stdin write when the process exits without reading it', async () => {
    const { agent, conn } = setup();
    const pending = conn.spawn({ argv: ['head', '-c1'] });
    const { stream: id } = await agent.expect((f) => f.type === Op.SPAWN);
    agent.reply(Op.SPAWNED, id, msg.encodeU32(1));
    const proc = await pending;
    const writing = proc.stdin.write(new Uint8Array(INITIAL_WINDOW * 2));
    await agent.expect((f) => f.type === Op.DATA && f.stream === id);
    agent.reply(Op.EOF, id, undefined, Chan.STDOUT);
    agent.reply(Op.EOF, id, undefined, Chan.STDERR);
    agent.reply(Op.EXIT, id, msg.encodeExit({ code: 0, signal: 0 }));
    expect(await proc.exited).toEqual({ code: 0, signal: 0 });
    await expect(writing).rejects.toMatchObject({ name: 'StreamInputError', code: 'EPIPE' });
    await expect(proc.stdin.write('more')).rejects.toMatchObject({ code: 'EPIPE' });
  });

  it('returns credit as output is read', async () => {
    const { agent, conn } = setup();
    const pending = conn.spawn({ argv: ['yes'] });
    const { stream: id } = await agent.expect((f) => f.type === Op.SPAWN);
    agent.reply(Op.SPAWNED, id, msg.encodeU32(1));
    const proc = await pending;
    agent.reply(Op.DATA, id, new Uint8Array(1000), Chan.STDOUT);
    expect((await proc.stdout.read())!.length).toBe(1000);
    const credit = await agent.expect((f) => f.type === Op.CREDIT && f.stream === id);
    expect(credit.chan).toBe(Chan.STDOUT);
    expect(msg.decodeU32(credit.payload)).toBe(1000);
  });

  it('serves client sessions and ends them with EXIT', async () => {
    const { agent, conn } = setup();
    conn.onSession(async (s) => {
      expect(s.request.argv).toEqual(['version']);
      await s.stdout.write('hi\n');
      s.exit(7);
    });
    const id = 0x80000001;
    agent.reply(Op.SESSION, id, msg.encodeSession({ flags: 0, rows: 24, cols: 80, cwd: '/', argv: ['version'], env: [] }));
    const exit = await agent.expect((f) => f.type === Op.EXIT && f.stream === id);
    expect(msg.decodeExit(exit.payload)).toEqual({ code: 7, signal: 0 });
    const data = agent.framesOf(Op.DATA, id);
    expect(data.map((f) => [f.chan, new TextDecoder().decode(f.payload)])).toEqual([[Chan.STDOUT, 'hi\n']]);
    expect(conn.openStreams).toBe(0);
  });

  it('opens a session\'s stdin only when asked, once per mode, and reads it as before', async () => {
    const { agent, conn } = setup();
    const id = 0x80000003;
    const got = new Promise<string>((resolve) =>
      conn.onSession(async (s) => {
        s.openStdin({ raw: false });
        s.openStdin({ raw: false });
        s.openStdin({ raw: true });
        s.openStdin({ raw: false });
        resolve(new TextDecoder().decode((await s.stdin.read())!));
        expect(await s.stdin.read()).toBeNull();
        s.exit(0);
      }),
    );
    agent.reply(Op.SESSION, id, msg.encodeSession({ flags: 1, rows: 24, cols: 80, cwd: '/', argv: ['run', '-it', 'x'], env: [] }));
    await agent.expect((f) => f.type === Op.STDIN_OPEN && f.stream === id);
    expect(agent.framesOf(Op.STDIN_OPEN, id).map((f) => msg.decodeStdinOpen(f.payload))).toEqual([{ raw: false }, { raw: true }]);
    agent.reply(Op.DATA, id, text('typed'), Chan.STDIN);
    expect(await got).toBe('typed');
    const credit = await agent.expect((f) => f.type === Op.CREDIT && f.stream === id);
    expect([credit.chan, msg.decodeU32(credit.payload)]).toEqual([Chan.STDIN, 5]);
    agent.reply(Op.EOF, id, undefined, Chan.STDIN);
    await agent.expect((f) => f.type === Op.EXIT && f.stream === id);
  });

  it('never opens stdin for a session that does not ask', async () => {
    const { agent, conn } = setup();
    conn.onSession((s) => s.exit(0));
    agent.reply(Op.SESSION, 0x80000004, msg.encodeSession({ flags: 1, rows: 24, cols: 80, cwd: '/', argv: ['ps'], env: [] }));
    await agent.expect((f) => f.type === Op.EXIT);
    expect(agent.framesOf(Op.STDIN_OPEN, 0x80000004)).toEqual([]);
  });

  it('answers a session with 125 when no daemon is attached', async () => {
    const { agent } = setup();
    agent.reply(Op.SESSION, 0x80000002, msg.encodeSession({ flags: 0, rows: 0, cols: 0, cwd: '/', argv: [], env: [] }));
    const exit = await agent.expect((f) => f.type === Op.EXIT);
    expect(msg.decodeExit(exit.payload).code).toBe(125);
  });

  describe('a SESSION longer than one frame', () => {
    const big = (letter: string) => letter.repeat(100 * 1024);
    const request = (argv: string[], env: string[] = []): msg.SessionRequest => ({ flags: 0, rows: 0, cols: 0, cwd: '/root', argv, env });
    const parts = (stream: number, r: msg.SessionRequest) => sessionParts(stream, msg.encodeSession(r));

    it('is served once its last part (chan LAST) arrived, decoded from all of them', async () => {
      const { agent, conn } = setup();
      const served: msg.SessionRequest[] = [];
      conn.onSession((s) => {
        served.push(s.request);
        s.exit(0);
      });
      const id = 0x80000011;
      const long = request(['run', '-e', `X=${big('a')}`, 'busybox', 'echo', big('b')], [`DOCKER_Y=${big('c')}`]);
      const frames = parts(id, long);
      expect(frames.map((f) => [f.type, f.chan])).toEqual([
        [Op.SESSION, SessionPart.MORE],
        [Op.SESSION_MORE, SessionPart.MORE],
        [Op.SESSION_MORE, SessionPart.MORE],
        [Op.SESSION_MORE, SessionPart.MORE],
        [Op.SESSION_MORE, SessionPart.LAST],
      ]);
      for (const f of frames.slice(0, -1)) agent.reply(f.type, f.stream, f.payload, f.chan);
      expect(served).toEqual([]);
      expect(conn.openStreams).toBe(0);
      agent.reply(frames.at(-1)!.type, id, frames.at(-1)!.payload, frames.at(-1)!.chan);
      expect(served).toEqual([long]);
      const exit = await agent.expect((f) => f.type === Op.EXIT && f.stream === id);
      expect(msg.decodeExit(exit.payload).code).toBe(0);
    });

    it('keeps the parts of interleaved sessions apart', () => {
      const { agent, conn } = setup();
      const served: string[][] = [];
      conn.onSession((s) => served.push(s.request.argv));
      const a = parts(0x80000021, request(['echo', big('a')]));
      const b = parts(0x80000022, request(['echo', big('b')]));
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        for (const f of [b[i], a[i]]) if (f) agent.reply(f.type, f.stream, f.payload, f.chan);
      }
      expect(served.sort()).toEqual([['echo', big('a')], ['echo', big('b')]]);
    });

    it(`closes one beyond SESSION_MAX_SIZE and drops its later parts without a word`, async () => {
      const { agent, conn, logs } = setup();
      const served: string[][] = [];
      conn.onSession((s) => served.push(s.request.argv));
      const id = 0x80000031;
      const chunk = new Uint8Array(MAX_PAYLOAD);
      agent.reply(Op.SESSION, id, chunk, SessionPart.MORE);
      for (let size = MAX_PAYLOAD; size <= SESSION_MAX_SIZE; size += MAX_PAYLOAD) agent.reply(Op.SESSION_MORE, id, chunk, SessionPart.MORE);
      const close = await agent.expect((f) => f.type === Op.CLOSE && f.stream === id);
      expect(close.payload.length).toBe(0);
      expect(logs).toEqual([`guest protocol: SESSION on stream ${id} is over ${SESSION_MAX_SIZE} bytes; closed`]);
      agent.reply(Op.SESSION_MORE, id, chunk, SessionPart.MORE);
      agent.reply(Op.SESSION_MORE, id, chunk, SessionPart.LAST);
      expect(logs.length).toBe(1);
      expect(agent.framesOf(Op.CLOSE, id).length).toBe(1);
      agent.session(0x80000032, msg.encodeSession(request(['version'])));
      expect(served).toEqual([['version']]);
    });

    it('is forgotten when its client goes away before the last part (CLOSE)', () => {
      const { agent, conn, logs } = setup();
      const served: string[][] = [];
      conn.onSession((s) => served.push(s.request.argv));
      const [first, second] = parts(0x80000041, request(['echo', big('a')]));
      agent.reply(first!.type, first!.stream, first!.payload, first!.chan);
      agent.reply(Op.CLOSE, 0x80000041);
      agent.reply(second!.type, second!.stream, second!.payload, second!.chan);
      // The id is free again: the agent may hand it to the next client.
      agent.session(0x80000041, msg.encodeSession(request(['ps'])));
      expect(served).toEqual([['ps']]);
      expect(logs).toEqual([]);
    });

    it('is forgotten when the agent restarts (a new HELLO)', () => {
      const { agent, conn } = setup();
      const served: string[][] = [];
      conn.onSession((s) => served.push(s.request.argv));
      const hello = () => agent.reply(Op.HELLO, 0, msg.encodeHello({ version: PROTOCOL_VERSION, buildId: 'a', kernelRelease: 'k' }));
      hello();
      const [first, ...rest] = parts(0x80000051, request(['echo', big('a')]));
      agent.reply(first!.type, first!.stream, first!.payload, first!.chan);
      hello();
      for (const f of rest) agent.reply(f.type, f.stream, f.payload, f.chan);
      expect(served).toEqual([]);
    });

    it('a SESSION_MORE with no SESSION before it opens nothing', () => {
      const { agent, conn } = setup();
      const served: string[][] = [];
      conn.onSession((s) => served.push(s.request.argv));
      agent.reply(Op.SESSION_MORE, 0x80000061, msg.encodeSession(request(['ps'])), SessionPart.LAST);
      expect(served).toEqual([]);
      expect(conn.openStreams).toBe(0);
    });
  });

  it('closes the guest stream of a SESSION that does not decode, so its client does not wait forever', async () => {
    const { agent, conn, logs } = setup();
    conn.onSession(() => expect.unreachable());
    agent.reply(Op.SESSION, 0x80000071, Uint8Array.of(1, 2, 3));
    await agent.expect((f) => f.type === Op.CLOSE && f.stream === 0x80000071);
    expect(logs[0]).toMatch(/^guest protocol: malformed SESSION on stream 2147483761/);
  });

  it('hands DNS queries to the subscriber and sends its answer back with the query\'s addresses', async () => {
    const { agent, conn, logs } = setup();
    const queries: string[] = [];
    conn.onDnsQuery((q) => {
      queries.push(`${q.client.address}:${q.client.port} -> ${q.server}`);
      q.reply(Uint8Array.of(...q.message, 0xff));
    });
    const datagram = { id: 4, client: { address: '172.17.0.2', port: 5353 }, server: '172.17.0.1', message: Uint8Array.of(1, 2) };
    agent.reply(Op.DNS_QUERY, 0, msg.encodeDnsDatagram(datagram));
    const answer = await agent.expect((f) => f.type === Op.DNS_ANSWER);
    expect(answer.stream).toBe(0);
    expect(msg.decodeDnsDatagram(answer.payload)).toEqual({ ...datagram, message: Uint8Array.of(1, 2, 0xff) });
    expect(queries).toEqual(['172.17.0.2:5353 -> 172.17.0.1']);
    // A truncated query is logged and dropped; the connection carries on.
    agent.reply(Op.DNS_QUERY, 0, new Uint8Array(3));
    const ping = conn.ping();
    agent.reply(Op.PONG, 0, (await agent.expect((x) => x.type === Op.PING)).payload);
    await ping;
    expect(queries).toHaveLength(1);
    expect(logs.some((l) => l.includes('malformed DNS_QUERY'))).toBe(true);
  });

  it('measures ping round trips', async () => {
    const { agent, conn } = setup();
    const ping = conn.ping();
    const f = await agent.expect((x) => x.type === Op.PING);
    agent.reply(Op.PONG, 0, f.payload);
    expect(await ping).toBeGreaterThanOrEqual(0);
  });

  it('fails open streams when the agent restarts', async () => {
    const { agent, conn } = setup();
    agent.reply(Op.HELLO, 0, msg.encodeHello({ version: PROTOCOL_VERSION, buildId: 'a', kernelRelease: 'k' }));
    const pending = conn.spawn({ argv: ['sleep', '9'] });
    const { stream: id } = await agent.expect((f) => f.type === Op.SPAWN);
    agent.reply(Op.SPAWNED, id, msg.encodeU32(5));
    const proc = await pending;
    agent.reply(Op.HELLO, 0, msg.encodeHello({ version: PROTOCOL_VERSION, buildId: 'a', kernelRelease: 'k' }));
    await expect(proc.exited).rejects.toBeInstanceOf(GuestGoneError);
    expect(await readAll(proc.stdout)).toEqual(new Uint8Array(0));
  });

  it('listens on a unix socket and hands each accepted connection over as a socket', async () => {
    const { agent, conn } = setup();
    const sockets: GuestSocket[] = [];
    const pending = conn.listenUnix('/var/run/docker.sock', (s) => sockets.push(s));
    const listen = await agent.expect((f) => f.type === Op.UNIX_LISTEN);
    expect(msg.decodeUnixListen(listen.payload)).toEqual({ path: '/var/run/docker.sock', mode: 0o660 });
    agent.reply(Op.LISTENING, listen.stream, msg.encodeListening(0));
    const listener = await pending;

    const accepted = 0x80000005;
    agent.reply(Op.ACCEPT, accepted, msg.encodeAccept({ listener: listen.stream, peer: { address: '0.0.0.0', port: 0 } }));
    expect(sockets).toHaveLength(1);
    const socket = sockets[0]!;
    agent.reply(Op.DATA, accepted, text('GET /_ping HTTP/1.1\r\n\r\n'), Chan.STDOUT);
    agent.reply(Op.EOF, accepted, undefined, Chan.STDOUT);
    expect(await readText(socket.output)).toBe('GET /_ping HTTP/1.1\r\n\r\n');
    await socket.input.write('OK');
    socket.input.end();
    expect(new TextDecoder().decode(agent.framesOf(Op.DATA, accepted)[0]!.payload)).toBe('OK');
    await agent.expect((f) => f.type === Op.EOF && f.stream === accepted && f.chan === Chan.STDIN);
    agent.reply(Op.CLOSE, accepted);

    listener.dispose();
    await agent.expect((f) => f.type === Op.CLOSE && f.stream === listen.stream);
    expect(conn.openStreams).toBe(0);
  });

  it('passes the mode on and rejects with the errno of a failed unix listen', async () => {
    const { agent, conn } = setup();
    const pending = conn.listenUnix('/etc/passwd', () => {}, { mode: 0o666 });
    const listen = await agent.expect((f) => f.type === Op.UNIX_LISTEN);
    expect(msg.decodeUnixListen(listen.payload).mode).toBe(0o666);
    agent.reply(Op.ERROR, listen.stream, msg.encodeError({ errno: Errno.EEXIST, message: '/etc/passwd exists and is not a socket' }));
    await expect(pending).rejects.toMatchObject({ message: 'listen unix /etc/passwd: /etc/passwd exists and is not a socket', errno: Errno.EEXIST });
    expect(conn.openStreams).toBe(0);
  });

  it('asks a restarted agent again for the unix listeners still held, not for disposed ones', async () => {
    const { agent, conn, logs } = setup();
    const hello = () => agent.reply(Op.HELLO, 0, msg.encodeHello({ version: PROTOCOL_VERSION, buildId: 'a', kernelRelease: 'k' }));
    hello();
    const accepted: string[] = [];
    const listenAt = async (path: string) => {
      const pending = conn.listenUnix(path, () => accepted.push(path));
      const f = await agent.expect((x) => x.type === Op.UNIX_LISTEN && msg.decodeUnixListen(x.payload).path === path);
      agent.reply(Op.LISTENING, f.stream, msg.encodeListening(0));
      return { listener: await pending, stream: f.stream };
    };
    const kept = await listenAt('/var/run/docker.sock');
    const dropped = await listenAt('/run/other.sock');
    dropped.listener.dispose();

    hello();
    const again = agent.framesOf(Op.UNIX_LISTEN).slice(2);
    expect(again.map((f) => msg.decodeUnixListen(f.payload))).toEqual([{ path: '/var/run/docker.sock', mode: 0o660 }]);
    const renewed = again[0]!.stream;
    expect(renewed).not.toBe(kept.stream);
    agent.reply(Op.LISTENING, renewed, msg.encodeListening(0));
    agent.reply(Op.ACCEPT, 0x80000001, msg.encodeAccept({ listener: renewed, peer: { address: '0.0.0.0', port: 0 } }));
    expect(accepted).toEqual(['/var/run/docker.sock']);

    // A listen the new agent refuses is logged and forgotten: the next restart does not retry it.
    hello();
    const third = agent.framesOf(Op.UNIX_LISTEN).at(-1)!;
    agent.reply(Op.ERROR, third.stream, msg.encodeError({ errno: Errno.EEXIST, message: 'not a socket' }));
    expect(logs.join('\n')).toMatch(/listen unix \/var\/run\/docker.sock: not a socket; the listener is gone/);
    const before = agent.framesOf(Op.UNIX_LISTEN).length;
    hello();
    expect(agent.framesOf(Op.UNIX_LISTEN)).toHaveLength(before);
    // Disposing it afterwards is harmless.
    kept.listener.dispose();
  });

  it('closes a stream whose frame is malformed, and keeps going', async () => {
    const { agent, conn, logs } = setup();
    const pending = conn.spawn({ argv: ['x'] });
    const { stream: id } = await agent.expect((f) => f.type === Op.SPAWN);
    agent.reply(Op.SPAWNED, id, new Uint8Array(2));
    await agent.expect((f) => f.type === Op.CLOSE && f.stream === id);
    await expect(pending).rejects.toThrow();
    expect(logs.join('\n')).toMatch(/malformed SPAWNED/);
    const ping = conn.ping();
    const f = await agent.expect((x) => x.type === Op.PING);
    agent.reply(Op.PONG, 0, f.payload);
    await ping;
  });

  it('fails everything pending when the guest is gone', async () => {
    const { conn } = setup();
    const ping = conn.ping();
    const spawn = conn.spawn({ argv: ['x'] });
    conn.fail(new GuestGoneError('guest crashed'));
    await expect(ping).rejects.toThrow('guest crashed');
    await expect(spawn).rejects.toThrow();
    // Anything asked afterwards fails at once instead of waiting for a guest that is gone.
    await expect(conn.spawn({ argv: ['y'] })).rejects.toThrow('guest crashed');
    await expect(conn.connect('127.0.0.1', 1)).rejects.toThrow('guest crashed');
    await expect(conn.listen('0.0.0.0', 1, () => {})).rejects.toThrow('guest crashed');
    await expect(conn.listenUnix('/var/run/docker.sock', () => {})).rejects.toThrow('guest crashed');
  });

  it('declares the guest gone when a watchdog ping goes unanswered', async () => {
    vi.useFakeTimers();
    try {
      const { agent, conn } = setup();
      const dead: Error[] = [];
      conn.startWatchdog({ intervalMs: 1000, timeoutMs: 5000, onDead: (e) => dead.push(e) });
      const pending = conn.spawn({ argv: ['sleep', '99'] });
      pending.catch(() => {});
      // The first ping is answered: the watchdog stays quiet.
      await vi.advanceTimersByTimeAsync(1000);
      const first = agent.framesOf(Op.PING)[0]!;
      agent.reply(Op.PONG, 0, first.payload);
      await vi.advanceTimersByTimeAsync(1000);
      expect(agent.framesOf(Op.PING)).toHaveLength(2);
      expect(dead).toEqual([]);
      // The second is not: after the timeout everything pending fails with a clear error.
      await vi.advanceTimersByTimeAsync(5000);
      expect(dead.map((e) => e.message)).toEqual(['the guest stopped responding (no answer within 5 s)']);
      await expect(pending).rejects.toBeInstanceOf(GuestGoneError);
      await expect(conn.ping()).rejects.toBeInstanceOf(GuestGoneError);
    } finally {
      vi.useRealTimers();
    }
  });
});
