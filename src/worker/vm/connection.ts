// The host end of the framed protocol: one multiplexer over the console port byte stream.
// It knows nothing of v86; `machine.ts` feeds it bytes and carries its frames.
import {
  Chan,
  CONTROL_STREAM,
  GUEST_STREAM_BIT,
  MAX_PAYLOAD,
  Op,
  PROTOCOL_VERSION,
  SESSION_MAX_SIZE,
  SessionPart,
  SpawnFlag,
} from '../../protocol/guest/constants.ts';
import { Deframer, encodeFrame, type Frame } from '../../protocol/guest/frame.ts';
import * as msg from '../../protocol/guest/messages.ts';
import { PayloadError } from '../../protocol/guest/payload.ts';
import {
  GuestGoneError,
  GuestSpawnError,
  type ClientSession,
  type Disposable,
  type GuestDnsQuery,
  type GuestListener,
  type GuestProcess,
  type GuestSocket,
  type Ipv4Endpoint,
  type SpawnOptions,
  type UnixListenOptions,
} from '../../protocol/guest/port.ts';
import { Inbound, Outbound } from './channels.ts';
import { GUEST_PATH } from './shell.ts';

export interface ConnectionOptions {
  /** Carries encoded frames to the guest (the transport does its own chunking and pacing). */
  send: (bytes: Uint8Array) => void;
  log?: (line: string) => void;
  now?: () => number;
}

export interface WatchdogOptions {
  /** How often to ping while the guest is in use. */
  intervalMs: number;
  /** A ping unanswered this long means the guest is gone (hung, crashed or stopped). */
  timeoutMs: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** Called once when the watchdog gives up, after every pending operation failed. */
  onDead?: (error: GuestGoneError) => void;
}


/** Docker's mode for /var/run/docker.sock (root:docker there, root:root in the guest). */
const DEFAULT_UNIX_SOCKET_MODE = 0o660;

/** A unix listener the engine holds: asked for again when a restarted agent says HELLO. */
interface UnixListener {
  readonly path: string;
  readonly mode: number;
  readonly onAccept: (socket: GuestSocket) => void;
  /** The current agent's listener stream; null once disposed. */
  stream: Stream | null;
}

/** A client's SESSION whose parts are still arriving (SESSION_MORE frames until chan LAST). */
interface PartialSession {
  readonly parts: Uint8Array[];
  size: number;
}

/** One multiplexed stream's host-side state. */
class Stream {
  readonly inbound = new Map<number, Inbound>();
  readonly outbound = new Map<number, Outbound>();
  exitSeen = false;
  consoleExpected = false;
  consoleSeen = false;
  onExit: ((status: msg.ExitStatus) => void) | null = null;
  onOpen: ((frame: Frame) => void) | null = null;
  onError: ((error: msg.GuestError) => void) | null = null;
  /** Fails a pending open (spawn, connect, listen) when the stream is dropped first. */
  onAbort: ((error: Error) => void) | null = null;
  onResize: Set<(rows: number, cols: number) => void> = new Set();
  onSignal: Set<(signo: number) => void> = new Set();
  onClosed: ((error: Error) => void) | null = null;
  onConsole: (() => void) | null = null;
  onNotify: (() => void) | null = null;
  accept: ((socket: GuestSocket, peer: Ipv4Endpoint) => void) | null = null;

  constructor(
    readonly id: number,
    readonly kind: 'process' | 'socket' | 'listener' | 'session',
  ) {}

  get drained(): boolean {
    for (const ch of this.inbound.values()) if (!ch.ended) return false;
    return true;
  }
}

export class GuestConnection {
  readonly #send: (bytes: Uint8Array) => void;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #deframer: Deframer;
  readonly #streams = new Map<number, Stream>();
  readonly #pings = new Map<number, { started: number; resolve: (ms: number) => void; reject: (e: Error) => void }>();
  readonly #sessionHandlers = new Set<(session: ClientSession) => void>();
  readonly #dnsHandlers = new Set<(query: GuestDnsQuery) => void>();
  readonly #unixListeners = new Set<UnixListener>();
  readonly #partialSessions = new Map<number, PartialSession>();
  #nextStream = 1;
  #nextToken = 1;
  #gone: Error | null = null;
  #helloWaiters: ((hello: msg.Hello) => void)[] = [];
  hello: msg.Hello | null = null;

  constructor(options: ConnectionOptions) {
    this.#send = options.send;
    this.#log = options.log ?? (() => {});
    this.#now = options.now ?? (() => performance.now());
    this.#deframer = new Deframer(
      (frame) => this.#dispatch(frame),
      (skipped) => this.#log(`guest protocol: skipped ${skipped} bytes of garbage`),
    );
  }

  /** Bytes from the guest's console port. */
  receive(bytes: Uint8Array): void {
    this.#deframer.push(bytes);
  }

  /** Resolves on the next HELLO from the agent (a cold boot or an agent restart). */
  waitHello(): Promise<msg.Hello> {
    return new Promise((resolve) => this.#helloWaiters.push(resolve));
  }

  ping(): Promise<number> {
    const token = this.#nextToken++ >>> 0;
    return new Promise((resolve, reject) => {
      if (this.#gone) return reject(this.#gone);
      this.#pings.set(token, { started: this.#now(), resolve, reject });
      this.#frame(Op.PING, CONTROL_STREAM, msg.encodeToken(token));
    });
  }

  /** Writes raw bytes to the guest, bypassing framing (tests of the agent's resync). */
  sendRaw(bytes: Uint8Array): void {
    this.#send(bytes);
  }

  onSession(handler: (session: ClientSession) => void): Disposable {
    this.#sessionHandlers.add(handler);
    return { dispose: () => this.#sessionHandlers.delete(handler) };
  }

  onDnsQuery(handler: (query: GuestDnsQuery) => void): Disposable {
    this.#dnsHandlers.add(handler);
    return { dispose: () => this.#dnsHandlers.delete(handler) };
  }

  spawn(options: SpawnOptions): Promise<GuestProcess> {
    if (this.#gone) return Promise.reject(this.#gone);
    // A pty spawn has one output (chan 1). A console-socket spawn (crun) has its own output on
    // chan 2 and, once the pty master arrives, the container's pty on chan 0/1.
    const stream = this.#open('process', options.pty ? [Chan.STDOUT] : [Chan.STDOUT, Chan.STDERR], [Chan.STDIN]);
    stream.consoleExpected = options.consoleSocket !== undefined;
    let flags = 0;
    if (options.pty) flags |= SpawnFlag.PTY;
    if (options.noWaitOutput) flags |= SpawnFlag.NO_WAIT_OUTPUT;
    if (options.consoleSocket) flags |= SpawnFlag.CONSOLE_SOCKET;
    if (options.notify) flags |= SpawnFlag.NOTIFY_FD;
    const request: msg.SpawnRequest = {
      flags,
      uid: options.uid ?? 0,
      gid: options.gid ?? 0,
      rows: options.pty?.rows ?? 24,
      cols: options.pty?.cols ?? 80,
      cwd: options.cwd ?? '/',
      argv: options.argv,
      env: options.env ?? [`PATH=${GUEST_PATH}`, 'HOME=/root'],
      consoleSocket: options.consoleSocket ?? '',
    };
    const exited = new Promise<msg.ExitStatus>((resolve, reject) => {
      stream.onExit = resolve;
      stream.onClosed = (error) => reject(error);
    });
    exited.catch(() => {});
    const consoleReady = new Promise<void>((resolve) => (stream.onConsole = resolve));
    const notified = new Promise<void>((resolve) => (stream.onNotify = resolve));
    const stdout = stream.inbound.get(Chan.STDOUT)!;
    const stderr = stream.inbound.get(Chan.STDERR) ?? endedInbound();
    const stdin = stream.outbound.get(Chan.STDIN)!;
    const promise = new Promise<GuestProcess>((resolve, reject) => {
      stream.onOpen = (frame) => {
        const pid = msg.decodeU32(frame.payload);
        resolve({
          pid,
          stdin,
          stdout,
          stderr,
          exited,
          console: consoleReady,
          notified,
          resize: (rows, cols) => this.#frame(Op.RESIZE, stream.id, msg.encodeSize(rows, cols)),
          signal: (signo) => this.#frame(Op.SIGNAL, stream.id, msg.encodeU32(signo)),
          kill: () => this.#closeStream(stream, true),
        });
      };
      stream.onError = (e) => reject(new GuestSpawnError(e.errno, e.message));
      stream.onAbort = reject;
    });
    this.#frame(Op.SPAWN, stream.id, msg.encodeSpawn(request));
    return promise;
  }

  connect(address: string, port: number): Promise<GuestSocket> {
    if (this.#gone) return Promise.reject(this.#gone);
    const stream = this.#open('socket', [Chan.STDOUT], [Chan.STDIN]);
    const promise = new Promise<GuestSocket>((resolve, reject) => {
      stream.onOpen = () => resolve(this.#socketOf(stream));
      stream.onError = (e) => reject(Object.assign(new Error(`connect ${address}:${port}: ${e.message}`), { errno: e.errno }));
      stream.onAbort = reject;
    });
    this.#frame(Op.TCP_CONNECT, stream.id, msg.encodeEndpoint({ address, port }));
    return promise;
  }

  listen(address: string, port: number, onAccept: (socket: GuestSocket, peer: Ipv4Endpoint) => void): Promise<GuestListener> {
    if (this.#gone) return Promise.reject(this.#gone);
    const stream = this.#open('listener', [], []);
    stream.accept = onAccept;
    const promise = new Promise<GuestListener>((resolve, reject) => {
      stream.onOpen = (frame) =>
        resolve({ port: msg.decodeListening(frame.payload), dispose: () => this.#closeStream(stream, true) });
      stream.onError = (e) => reject(Object.assign(new Error(`listen ${address}:${port}: ${e.message}`), { errno: e.errno }));
      stream.onAbort = reject;
    });
    this.#frame(Op.TCP_LISTEN, stream.id, msg.encodeEndpoint({ address, port }));
    return promise;
  }

  listenUnix(path: string, onAccept: (socket: GuestSocket) => void, options: UnixListenOptions = {}): Promise<Disposable> {
    if (this.#gone) return Promise.reject(this.#gone);
    const listener: UnixListener = { path, mode: options.mode ?? DEFAULT_UNIX_SOCKET_MODE, onAccept, stream: null };
    return new Promise((resolve, reject) => {
      this.#openUnixListener(listener, {
        opened: () => {
          this.#unixListeners.add(listener);
          resolve({ dispose: () => this.#closeUnixListener(listener) });
        },
        failed: reject,
      });
    });
  }

  /**
   * Pings the agent every `intervalMs`; when one is not answered within `timeoutMs` the guest is
   * declared gone: every pending operation fails with a GuestGoneError instead of hanging.
   * Returns the disposer.
   */
  startWatchdog(options: WatchdogOptions): Disposable {
    const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    const clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    let stopped = false;
    let timer: unknown = null;
    const tick = () => {
      if (stopped || this.#gone) return;
      const deadline = setTimer(() => {
        if (stopped || this.#gone) return;
        const error = new GuestGoneError(`the guest stopped responding (no answer within ${options.timeoutMs / 1000} s)`);
        this.fail(error);
        options.onDead?.(error);
      }, options.timeoutMs);
      this.ping().then(
        () => {
          clearTimer(deadline);
          timer = setTimer(tick, options.intervalMs);
        },
        () => clearTimer(deadline),
      );
    };
    timer = setTimer(tick, options.intervalMs);
    return {
      dispose: () => {
        stopped = true;
        if (timer !== null) clearTimer(timer);
      },
    };
  }

  /** The guest is gone (crash, reboot): everything pending fails with `error`. */
  fail(error: Error): void {
    if (this.#gone) return;
    this.#gone = error;
    this.#unixListeners.clear();
    this.#partialSessions.clear();
    for (const p of this.#pings.values()) p.reject(error);
    this.#pings.clear();
    for (const stream of [...this.#streams.values()]) this.#drop(stream, error);
  }

  get openStreams(): number {
    return this.#streams.size;
  }

  // --- internals ---------------------------------------------------------------------------

  #open(kind: Stream['kind'], inChans: number[], outChans: number[], id = this.#allocateId()): Stream {
    const stream = new Stream(id, kind);
    for (const chan of inChans) {
      stream.inbound.set(chan, new Inbound((n) => this.#frame(Op.CREDIT, id, msg.encodeU32(n), chan)));
    }
    for (const chan of outChans) {
      stream.outbound.set(
        chan,
        new Outbound(
          (bytes) => this.#frame(Op.DATA, id, bytes, chan),
          () => this.#frame(Op.EOF, id, undefined, chan),
        ),
      );
    }
    this.#streams.set(id, stream);
    return stream;
  }

  #allocateId(): number {
    do {
      this.#nextStream = this.#nextStream >= 0x7fffffff ? 1 : this.#nextStream + 1;
    } while (this.#streams.has(this.#nextStream));
    return this.#nextStream;
  }

  /** Sends UNIX_LISTEN on a new stream; without `pending` (a re-listen) a failure is logged. */
  #openUnixListener(listener: UnixListener, pending?: { opened: () => void; failed: (error: Error) => void }): void {
    const stream = this.#open('listener', [], []);
    listener.stream = stream;
    stream.accept = (socket) => listener.onAccept(socket);
    stream.onOpen = () => pending?.opened();
    stream.onError = (e) => {
      const error = Object.assign(new Error(`listen unix ${listener.path}: ${e.message}`), { errno: e.errno });
      if (pending) return pending.failed(error);
      this.#log(`guest protocol: ${error.message}; the listener is gone`);
      this.#unixListeners.delete(listener);
    };
    stream.onAbort = pending?.failed ?? null;
    this.#frame(Op.UNIX_LISTEN, stream.id, msg.encodeUnixListen({ path: listener.path, mode: listener.mode }));
  }

  #closeUnixListener(listener: UnixListener): void {
    this.#unixListeners.delete(listener);
    if (listener.stream) this.#closeStream(listener.stream, true);
    listener.stream = null;
  }

  #socketOf(stream: Stream): GuestSocket {
    return {
      input: stream.outbound.get(Chan.STDIN)!,
      output: stream.inbound.get(Chan.STDOUT)!,
      close: () => this.#closeStream(stream, true),
    };
  }

  #frame(type: number, stream: number, payload?: Uint8Array, chan = 0): void {
    if (this.#gone) return;
    this.#send(encodeFrame(type, stream, payload, chan));
  }

  #closeStream(stream: Stream, notifyGuest: boolean): void {
    if (!this.#streams.has(stream.id)) return;
    if (notifyGuest) this.#frame(Op.CLOSE, stream.id);
    this.#drop(stream, new GuestGoneError('stream closed'));
  }

  #drop(stream: Stream, error: Error): void {
    this.#streams.delete(stream.id);
    for (const ch of stream.inbound.values()) ch.end();
    for (const ch of stream.outbound.values()) ch.close(error);
    stream.onAbort?.(error);
    stream.onClosed?.(error);
  }

  #maybeFree(stream: Stream): void {
    if (!stream.exitSeen || !stream.drained) return;
    this.#streams.delete(stream.id);
    // The guest freed the stream too: input it did not take will never be credited, so writes
    // still waiting fail now instead of hanging (as a write to an exited child fails with EPIPE).
    for (const ch of stream.outbound.values()) ch.close(new StreamInputError('EPIPE: the process exited before reading all of its input'));
  }

  #dispatch(frame: Frame): void {
    try {
      this.#handle(frame);
    } catch (e) {
      if (!(e instanceof PayloadError)) throw e;
      this.#log(`guest protocol: malformed ${msg.opName(frame.type)} on stream ${frame.stream}: ${e.message}`);
      const stream = this.#streams.get(frame.stream);
      if (stream) this.#closeStream(stream, true);
      // A session that never opened: its client would wait for an answer forever.
      else if (frame.type === Op.SESSION || frame.type === Op.SESSION_MORE) this.#frame(Op.CLOSE, frame.stream);
    }
  }

  #handle(frame: Frame): void {
    const { type, payload } = frame;
    if (frame.stream === CONTROL_STREAM) return this.#handleControl(frame);
    if (type === Op.SESSION || type === Op.SESSION_MORE) return this.#sessionPart(frame);
    if (type === Op.ACCEPT) return this.#accept(frame);
    // Its client went away before the last part.
    if (type === Op.CLOSE && this.#partialSessions.delete(frame.stream)) return;
    const stream = this.#streams.get(frame.stream);
    if (!stream) {
      if (type !== Op.DATA && type !== Op.CREDIT && type !== Op.EOF && type !== Op.LOG) {
        this.#log(`guest protocol: ${msg.opName(type)} for unknown stream ${frame.stream}`);
      }
      return;
    }
    switch (type) {
      case Op.DATA: {
        const ch = stream.inbound.get(frame.chan);
        if (!ch) return this.#log(`guest protocol: DATA on unexpected chan ${frame.chan} of stream ${stream.id}`);
        if (!ch.push(payload)) this.#log(`guest protocol: stream ${stream.id} chan ${frame.chan} overran its window`);
        return;
      }
      case Op.EOF:
        stream.inbound.get(frame.chan)?.end();
        return this.#maybeFree(stream);
      case Op.CREDIT:
        stream.outbound.get(frame.chan)?.grant(msg.decodeU32(payload));
        return;
      case Op.SPAWNED:
      case Op.CONNECTED:
      case Op.LISTENING:
        stream.onOpen?.(frame);
        // Only once the open message decoded: a malformed one still fails the pending promise.
        stream.onError = null;
        stream.onAbort = null;
        return;
      case Op.CONSOLE:
        stream.consoleSeen = true;
        stream.onConsole?.();
        return;
      case Op.NOTIFY:
        stream.onNotify?.();
        return;
      case Op.EXIT: {
        const status = msg.decodeExit(payload);
        if (stream.kind === 'process') {
          stream.exitSeen = true;
          stream.onClosed = null;
          // crun exited without handing over a pty: no output will ever come on chan 1.
          if (stream.consoleExpected && !stream.consoleSeen) stream.inbound.get(Chan.STDOUT)?.end();
          stream.onExit?.(status);
          return this.#maybeFree(stream);
        }
        return this.#log(`guest protocol: EXIT on ${stream.kind} stream ${stream.id}`);
      }
      case Op.ERROR: {
        const error = msg.decodeError(payload);
        const onError = stream.onError;
        stream.onError = null;
        if (onError) onError(error);
        else this.#log(`guest: stream ${stream.id}: ${error.message} (errno ${error.errno})`);
        return this.#drop(stream, Object.assign(new Error(error.message), { errno: error.errno }));
      }
      case Op.CLOSE:
        return this.#drop(stream, new GuestGoneError('closed by the guest'));
      case Op.RESIZE: {
        const { rows, cols } = msg.decodeSize(payload);
        for (const l of stream.onResize) l(rows, cols);
        return;
      }
      case Op.SIGNAL: {
        const signo = msg.decodeU32(payload);
        for (const l of stream.onSignal) l(signo);
        return;
      }
      case Op.LOG:
        return this.#log(`guest agent: ${msg.decodeLog(payload)}`);
      default:
        this.#log(`guest protocol: unexpected ${msg.opName(type)} on stream ${stream.id}`);
        return this.#closeStream(stream, true);
    }
  }

  #handleControl(frame: Frame): void {
    switch (frame.type) {
      case Op.HELLO: {
        const hello = msg.decodeHello(frame.payload);
        if (hello.version !== PROTOCOL_VERSION) {
          this.#log(`guest agent speaks protocol ${hello.version}, host speaks ${PROTOCOL_VERSION}`);
        }
        // A HELLO after the first one means the agent restarted: its streams are gone, and the
        // unix listeners the engine still holds are asked for again (the new agent replaces
        // the stale socket files).
        if (this.hello) {
          this.#partialSessions.clear();
          for (const s of [...this.#streams.values()]) this.#drop(s, new GuestGoneError('guest agent restarted'));
          for (const listener of this.#unixListeners) this.#openUnixListener(listener);
        }
        this.hello = hello;
        for (const w of this.#helloWaiters.splice(0)) w(hello);
        return;
      }
      case Op.PONG: {
        const token = msg.decodeToken(frame.payload);
        const p = this.#pings.get(token);
        if (!p) return;
        this.#pings.delete(token);
        p.resolve(this.#now() - p.started);
        return;
      }
      case Op.LOG:
        return this.#log(`guest agent: ${msg.decodeLog(frame.payload)}`);
      case Op.DNS_QUERY:
        return this.#dnsQuery(msg.decodeDnsDatagram(frame.payload));
      default:
        this.#log(`guest protocol: unexpected ${msg.opName(frame.type)} on the control stream`);
    }
  }

  #dnsQuery(datagram: msg.DnsDatagram): void {
    const query: GuestDnsQuery = {
      // Its own bytes: subscribers may answer after the deframer has moved on.
      message: datagram.message.slice(),
      client: datagram.client,
      server: datagram.server,
      reply: (message) => {
        if (message.length > MAX_PAYLOAD - DNS_DATAGRAM_HEADER) {
          return this.#log(`guest protocol: DNS answer of ${message.length} bytes dropped`);
        }
        this.#frame(Op.DNS_ANSWER, CONTROL_STREAM, msg.encodeDnsDatagram({ ...datagram, message }));
      },
    };
    for (const handler of this.#dnsHandlers) handler(query);
  }

  #accept(frame: Frame): void {
    const info = msg.decodeAccept(frame.payload);
    const listener = this.#streams.get(info.listener);
    if (!listener?.accept || (frame.stream & GUEST_STREAM_BIT) === 0) {
      this.#log(`guest protocol: ACCEPT for unknown listener ${info.listener}`);
      this.#frame(Op.CLOSE, frame.stream);
      return;
    }
    const stream = this.#open('socket', [Chan.STDOUT], [Chan.STDIN], frame.stream);
    listener.accept(this.#socketOf(stream), info.peer);
  }

  /**
   * SESSION, then SESSION_MORE frames while chan says more follows: the parts are kept per guest
   * stream and the session opens once the last one is in. Parts after one that broke the size
   * limit, or whose client went away (CLOSE), belong to no session and are dropped silently.
   */
  #sessionPart(frame: Frame): void {
    const id = frame.stream;
    let partial = this.#partialSessions.get(id);
    if (frame.type === Op.SESSION) {
      if (partial || this.#streams.has(id) || (id & GUEST_STREAM_BIT) === 0) {
        return this.#log(`guest protocol: SESSION reuses stream ${id}`);
      }
      if (frame.chan !== SessionPart.MORE) return this.#openSession(id, msg.decodeSession(frame.payload));
      partial = { parts: [], size: 0 };
      this.#partialSessions.set(id, partial);
    } else if (!partial) {
      return;
    }
    if (partial.size + frame.payload.length > SESSION_MAX_SIZE) {
      this.#partialSessions.delete(id);
      this.#log(`guest protocol: SESSION on stream ${id} is over ${SESSION_MAX_SIZE} bytes; closed`);
      return this.#frame(Op.CLOSE, id);
    }
    // Its own bytes: the deframer reuses its buffer.
    partial.parts.push(frame.payload.slice());
    partial.size += frame.payload.length;
    if (frame.chan === SessionPart.MORE) return;
    this.#partialSessions.delete(id);
    const whole = new Uint8Array(partial.size);
    let at = 0;
    for (const part of partial.parts) {
      whole.set(part, at);
      at += part.length;
    }
    this.#openSession(id, msg.decodeSession(whole));
  }

  #openSession(id: number, request: msg.SessionRequest): void {
    const stream = this.#open('session', [Chan.STDIN], [Chan.STDOUT, Chan.STDERR], id);
    let disconnected!: () => void;
    let stdinOpened: 'no' | 'cooked' | 'raw' = 'no';
    const session: ClientSession = {
      request,
      stdin: stream.inbound.get(Chan.STDIN)!,
      openStdin: ({ raw }) => {
        if (stdinOpened === 'raw' || (stdinOpened === 'cooked' && !raw)) return;
        stdinOpened = raw ? 'raw' : 'cooked';
        this.#frame(Op.STDIN_OPEN, stream.id, msg.encodeStdinOpen({ raw }));
      },
      stdout: stream.outbound.get(Chan.STDOUT)!,
      stderr: stream.outbound.get(Chan.STDERR)!,
      onResize: (l) => subscribe(stream.onResize, l),
      onSignal: (l) => subscribe(stream.onSignal, l),
      exit: (code) => {
        if (!this.#streams.has(stream.id)) return;
        this.#frame(Op.EXIT, stream.id, msg.encodeExit({ code, signal: 0 }));
        stream.onClosed = null;
        this.#drop(stream, new GuestGoneError('session ended'));
      },
      disconnected: new Promise<void>((resolve) => (disconnected = resolve)),
    };
    stream.onClosed = () => disconnected();
    if (this.#sessionHandlers.size === 0) {
      this.#log('guest protocol: docker session with no daemon attached');
      session.exit(125);
      return;
    }
    for (const h of this.#sessionHandlers) h(session);
  }
}

/** DNS_QUERY/DNS_ANSWER bytes before the message: id, client address and port, server address. */
const DNS_DATAGRAM_HEADER = 14;

/** A write to a process that exited before reading it. */
export class StreamInputError extends Error {
  override name = 'StreamInputError';
  readonly code = 'EPIPE';
}

function subscribe<T>(set: Set<T>, listener: T): Disposable {
  set.add(listener);
  return { dispose: () => set.delete(listener) };
}

function endedInbound(): Inbound {
  const ch = new Inbound(() => {});
  ch.end();
  return ch;
}
