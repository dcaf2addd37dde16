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
  /**
   * Give the program a pipe as fd 3: its first write settles `notified` (crun's poststart hook
   * writes to its parent's fd 3 once the container runs).
   */
  notify?: boolean;
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
  /** Resolves when the program wrote to its notify fd (notify spawns only; before `exited`). */
  readonly notified: Promise<void>;
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

export interface UnixListenOptions {
  /**
   * Permission bits of the socket file. Default 0o660, Docker's mode for /var/run/docker.sock:
   * the file is root's, so a container's root can use it bind-mounted (PROTOCOL.md, "Unix
   * listeners").
   */
  mode?: number;
}

export interface ClientSession {
  readonly request: SessionRequest;
  /**
   * The client's stdin. Nothing arrives until openStdin(): the guest `docker` leaves its stdin
   * unread (a script's next lines stay for the next command), so a read before then waits.
   */
  readonly stdin: ByteSource;
  /**
   * Starts the client reading its stdin, as Docker does for `-i` (run, exec, start, attach, and
   * commands reading `-`). `raw` also puts a tty stdin into raw mode (Docker: `-i` with `-t` on a
   * terminal; restored when the client exits). Idempotent; a later call may still switch to raw.
   */
  openStdin(options: { raw: boolean }): void;
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

/** One datagram sent to the Docker host's DNS service (UDP port 53 in the guest's root netns). */
export interface GuestDnsQuery {
  /** The raw DNS message, unparsed. */
  readonly message: Uint8Array;
  readonly client: Ipv4Endpoint;
  /** The guest address the query was sent to: a bridge's gateway, or 127.0.0.1 from the guest. */
  readonly server: string;
  /** Sends a raw DNS message to the client from server:53. Not calling it leaves the client to time out. */
  reply(message: Uint8Array): void;
}

export interface GuestPort {
  spawn(options: SpawnOptions): Promise<GuestProcess>;
  connect(address: string, port: number): Promise<GuestSocket>;
  listen(address: string, port: number, onAccept: (socket: GuestSocket, peer: Ipv4Endpoint) => void): Promise<GuestListener>;
  /**
   * Listens on the unix socket `path` in the guest (absolute, e.g. '/var/run/docker.sock'):
   * missing parent directories are created and a stale socket file there is replaced; any other
   * file there fails the call (errno EEXIST). Each connection arrives as a GuestSocket, exactly
   * as an accepted TCP one (its peer has no address). The listener lasts until disposed, also
   * across agent restarts (the connection asks the new agent again; connections open at the
   * restart are lost); disposing closes it and removes the socket file. Rejects with an Error
   * carrying the guest's `errno`.
   */
  listenUnix(path: string, onAccept: (socket: GuestSocket) => void, options?: UnixListenOptions): Promise<Disposable>;
  onSession(handler: (session: ClientSession) => void): Disposable;
  /**
   * Queries to the guest's DNS port. The agent listens from its start with no request (again
   * after a restart), so one subscription lasts for the guest's life. Every handler sees every
   * query: the engine's DNS service is the one subscriber.
   */
  onDnsQuery(handler: (query: GuestDnsQuery) => void): Disposable;
  /** Round trip to the agent in milliseconds. */
  ping(): Promise<number>;
  readonly files: GuestFiles;
}

/** The host side of the 9p share, mounted in the guest at GUEST_SHARE_PATH. */
export interface GuestFiles {
  write(path: string, data: Uint8Array): Promise<void>;
  read(path: string): Promise<Uint8Array | null>;
  /**
   * Creates the directory `root` (parents included; it may exist if empty, and then keeps its
   * identity, so a guest that has it open or cached still sees the same directory) holding `entries`, in
   * order (parents before children). File bytes are shared, not copied: callers must not mutate
   * them, and the guest must treat the tree as read-only (it is an overlayfs lower dir).
   */
  writeTree(root: string, entries: Iterable<TreeEntry>): Promise<void>;
  exists(path: string): boolean;
  /** Removes a file or a whole directory tree; absent paths are fine. */
  remove(path: string): void;
  /**
   * The tree at `root` as writeTree takes it (the root itself first as path '', parents before
   * children, a second name of a file as a hard link to the first); null when `root` is not a
   * directory. File bytes are views of the share's own buffers: copy before the guest runs on.
   * Guest writes reach the share when the guest's page cache writes them back (`sync` forces it).
   */
  readTree(root: string): TreeEntry[] | null;
  /**
   * Calls `listener` (at most once per `delayMs`) after the guest created, wrote, renamed or
   * deleted something anywhere on the share.
   */
  watch(listener: () => void, delayMs: number): Disposable;
  /** Guest changes to the share so far: equal counts, nothing changed in between. */
  readonly changes: number;
  /**
   * Holds the answer to every guest fsync on the share (`sync` sends one per file it wrote back)
   * until `barrier()` settles, so what the guest made durable is stored when it hears so. One
   * holder at a time; the barrier must never wait for a guest process (that could be the one
   * syncing).
   */
  holdFsyncs(barrier: () => Promise<void>): Disposable;
}

/** One node of a tree written with GuestFiles.writeTree. */
export interface TreeEntry {
  /** Relative to the tree's root, without leading or trailing slash. */
  path: string;
  type: 'dir' | 'file' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';
  /** Permission bits (07777). */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
  data?: Uint8Array;
  /** Symlink target, or for a hard link the path (relative to the root) of the entry it links. */
  target?: string;
  major?: number;
  minor?: number;
}

export const GUEST_SHARE_PATH = '/mnt/host';
