// Wire constants of the host↔guest protocol. PROTOCOL.md beside this file is the specification;
// the C agent (kernel-images/agent/) mirrors these values.

/** 5: a client's SESSION may be split over SESSION_MORE frames (argv up to Linux's ARG_MAX). */
export const PROTOCOL_VERSION = 6;

export const HEADER_SIZE = 16;
export const MAGIC_0 = 0x53; // 'S'
export const MAGIC_1 = 0x57; // 'W'
/** Largest payload a frame may carry; anything larger is treated as a corrupt header. */
export const MAX_PAYLOAD = 65536;
/**
 * Bytes each receiver implicitly grants per (stream, chan) when a stream is created. The channel
 * is latency-bound: 128 KiB gave 37 MB/s guest→host, 512 KiB gives ~120 MB/s (npm run bench).
 */
export const INITIAL_WINDOW = 524288;
/** A receiver returns credit at the latest once this much consumption is unacknowledged. */
export const CREDIT_BATCH = INITIAL_WINDOW / 4;
/** Streams the guest opens (client sessions, accepted connections) carry this bit. */
export const GUEST_STREAM_BIT = 0x80000000;
export const CONTROL_STREAM = 0;
/**
 * Largest SESSION request, all its parts together. Linux's ARG_MAX under the default 8 MiB stack
 * is 2 MiB for argv and envp, each string costing its bytes, a NUL and a pointer; SESSION spends a
 * 4-byte length per string instead, so whatever exec() let `docker` start with fits in 2 MiB. The
 * rest is room for cwd (PATH_MAX) and the fixed fields. The agent's client refuses more itself.
 */
export const SESSION_MAX_SIZE = 2 * 1024 * 1024 + 65536;

export const Op = {
  HELLO: 0x01,
  PING: 0x02,
  PONG: 0x03,
  LOG: 0x04,
  SPAWN: 0x10,
  SPAWNED: 0x11,
  EXIT: 0x12,
  RESIZE: 0x13,
  SIGNAL: 0x14,
  /** Guest: a notify spawn's program wrote to its fd 3 (crun's poststart hook), before EXIT. */
  NOTIFY: 0x15,
  DATA: 0x20,
  EOF: 0x21,
  CREDIT: 0x22,
  CLOSE: 0x23,
  ERROR: 0x24,
  TCP_CONNECT: 0x30,
  CONNECTED: 0x31,
  TCP_LISTEN: 0x32,
  LISTENING: 0x33,
  ACCEPT: 0x34,
  UNIX_LISTEN: 0x35,
  SESSION: 0x40,
  CONSOLE: 0x41,
  STDIN_OPEN: 0x42,
  SESSION_MORE: 0x43,
  DNS_QUERY: 0x50,
  DNS_ANSWER: 0x51,
} as const;
export type Opcode = (typeof Op)[keyof typeof Op];

export const Chan = { STDIN: 0, STDOUT: 1, STDERR: 2 } as const;
export type Channel = (typeof Chan)[keyof typeof Chan];

export const SpawnFlag = { PTY: 1 << 0, NO_WAIT_OUTPUT: 1 << 1, CONSOLE_SOCKET: 1 << 2, NOTIFY_FD: 1 << 3 } as const;
export const SessionFlag = { STDIN_TTY: 1 << 0, STDOUT_TTY: 1 << 1, STDERR_TTY: 1 << 2 } as const;
/** `chan` of SESSION and SESSION_MORE frames: whether another SESSION_MORE follows. */
export const SessionPart = { LAST: 0, MORE: 1 } as const;
/** STDIN_OPEN flags: RAW puts a tty stdin into raw mode (no effect when stdin is not a tty). */
export const StdinOpenFlag = { RAW: 1 << 0 } as const;

/** Linux errno values the host interprets (i386 uses the generic numbers). */
export const Errno = { ENOENT: 2, EACCES: 13, EEXIST: 17, EINVAL: 22, ECONNREFUSED: 111, EPROTO: 71 } as const;
