// The engine's only view of the guest. Implemented by src/worker/vm/ over the framed protocol;
// unit tests of engine modules use a recording fake from test/fakes/.
import type { ExitStatus, Ipv4Endpoint, SessionRequest } from './messages.ts';

export type { ExitStatus, Ipv4Endpoint, SessionRequest };

export interface Disposable {
  dispose(): void;
}

/** Bytes arriving from the guest. Pull-based: the sender is granted credit as chunks are read. */
export interface ByteSource extends AsyncIterable<Uint8Array> {
  /** Next chunk, or null at end of stream. */
  read(): Promise<Uint8Array | null>;
}

/** Bytes going to the guest. `write` resolves once the receiver's window has taken every byte. */
export interface ByteSink {
  write(bytes: Uint8Array | string): Promise<void>;
  /** Half-close: no more bytes follow (EOF after everything written so far). */
  end(): void;
}

export interface SpawnOptions {
  argv: readonly string[];
  env?: readonly string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Run on a fresh pty of this size (stdout carries the pty output, there is no stderr). */
  pty?: { rows: number; cols: number };
  /** Report the exit status as soon as the process is reaped, without waiting for output EOF. */
  noWaitOutput?: boolean;
  /** Receive a pty master through this unix socket path (`crun --console-socket`). */
  consoleSocket?: string;
}

export interface GuestProcess {
  readonly pid: number;
  readonly stdin: ByteSink;
  /** Pipe output, or the pty's output (pty and console-socket spawns). */
  readonly stdout: ByteSource;
  /** Empty at once for pty processes; for console-socket spawns, the spawned program's own output. */
  readonly stderr: ByteSource;
  /** Resolves once, after all output has been delivered (unless noWaitOutput). */
  readonly exited: Promise<ExitStatus>;
  /** Resolves when the console socket received a pty master (consoleSocket spawns only). */
  readonly console: Promise<void>;
  resize(rows: number, cols: number): void;
  signal(signo: number): void;
  /** SIGKILL the process group and drop the stream. */
  kill(): void;
}

export interface GuestSocket {
  readonly input: ByteSink;
  readonly output: ByteSource;
  close(): void;
}

export interface GuestListener extends Disposable {
  readonly port: number;
}

export interface ClientSession {
  readonly request: SessionRequest;
  readonly stdin: ByteSource;
  readonly stdout: ByteSink;
  readonly stderr: ByteSink;
  onResize(listener: (rows: number, cols: number) => void): Disposable;
  onSignal(listener: (signo: number) => void): Disposable;
  /** Ends the session; the guest `docker` exits with this code. */
  exit(code: number): void;
  /** Resolves when the client went away before exit() (e.g. killed). */
  readonly disconnected: Promise<void>;
}

/** Raised when SPAWN fails in the guest, carrying the errno (ENOENT → 127, EACCES → 126). */
export class GuestSpawnError extends Error {
  override name = 'GuestSpawnError';
  constructor(
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }
}

/** Raised by pending operations when the guest connection is lost (crash, reboot). */
export class GuestGoneError extends Error {
  override name = 'GuestGoneError';
}

export interface GuestPort {
  spawn(options: SpawnOptions): Promise<GuestProcess>;
  connect(address: string, port: number): Promise<GuestSocket>;
  listen(address: string, port: number, onAccept: (socket: GuestSocket, peer: Ipv4Endpoint) => void): Promise<GuestListener>;
  onSession(handler: (session: ClientSession) => void): Disposable;
  /** Round trip to the agent in milliseconds. */
  ping(): Promise<number>;
  readonly files: GuestFiles;
}

/** The host side of the 9p share, mounted in the guest at GUEST_SHARE_PATH. */
export interface GuestFiles {
  write(path: string, data: Uint8Array): Promise<void>;
  read(path: string): Promise<Uint8Array | null>;
}

export const GUEST_SHARE_PATH = '/mnt/host';
