// The guest's durability barriers, carried through to the store.
//
// A program that called fsync (or `sync`) has been told its data is safe. Without these hooks v86
// answers at once: its IDE disk says it has no write cache (so Linux never sends a cache flush,
// and a completed write only means "in the host's memory", committed up to a batch later), and
// its 9p server answers Tfsync without doing anything. Here the disk announces a write cache, so
// ext4's journal commits and every fsync end with FLUSH CACHE, which completes once the disk's
// dirty chunks are committed; and an Rfsync on the share is held until the holder (the
// workspace) has stored what the guest wrote. Both depend on v86 0.5.462's internals (pinned).

/** The parts of v86's IDEInterface used here. */
export interface V86IdeDrive {
  is_atapi: boolean;
  /** The data buffer IDENTIFY DEVICE fills (256 little-endian words). */
  data: Uint8Array;
  status_reg: number;
  create_identify_packet(): void;
  ata_command(command: number): void;
  push_irq(): void;
}

/** Marks a v86 prototype whose methods are wrapped here. */
const WRAPPED = Symbol('slipway-barriers');

const ATA_FLUSH_CACHE = 0xe7;
const ATA_FLUSH_CACHE_EXT = 0xea;
const ATA_STATUS_BUSY = 0x80;
/** DRDY | DSC: what v86 answers a finished non-data command with. */
const ATA_STATUS_DONE = 0x50;
/** IDENTIFY words 82 (command sets supported) and 85 (enabled): bit 5 is the write cache. */
const IDENTIFY_WORD_SUPPORTED = 82;
const IDENTIFY_WORD_ENABLED = 85;
const WRITE_CACHE_BIT = 1 << 5;

/** Each drive's flush (v86 seals its objects: the methods are wrapped on the prototype, once). */
const flushes = new WeakMap<V86IdeDrive, () => Promise<void>>();

/**
 * Makes `drive` report a write cache, and its cache flushes wait for `flush` (the disk's commit).
 * A flush that fails (the store refused the commit: a full quota) still completes, as the guest
 * cannot be told: the chunks stay in memory for the next commit and the disk reports the problem.
 * The guest must boot with this in place (Linux reads the cache setting when it probes the disk).
 */
export function honourCacheFlushes(drive: V86IdeDrive, flush: () => Promise<void>): void {
  flushes.set(drive, flush);
  const proto = Object.getPrototypeOf(drive) as V86IdeDrive & { [WRAPPED]?: true };
  if (proto[WRAPPED]) return;
  proto[WRAPPED] = true;
  const identify = proto.create_identify_packet;
  proto.create_identify_packet = function (this: V86IdeDrive) {
    identify.call(this);
    if (this.is_atapi || !flushes.has(this)) return;
    this.data[IDENTIFY_WORD_SUPPORTED * 2]! |= WRITE_CACHE_BIT;
    this.data[IDENTIFY_WORD_ENABLED * 2]! |= WRITE_CACHE_BIT;
  };
  const command = proto.ata_command;
  proto.ata_command = function (this: V86IdeDrive, cmd: number) {
    const flush = flushes.get(this);
    if (!flush || this.is_atapi || (cmd !== ATA_FLUSH_CACHE && cmd !== ATA_FLUSH_CACHE_EXT)) return command.call(this, cmd);
    this.status_reg = ATA_STATUS_BUSY;
    const done = () => {
      this.status_reg = ATA_STATUS_DONE;
      this.push_irq();
    };
    flush().then(done, done);
  };
}

/** The parts of v86's Virtio9p used here. */
export interface V86NinePServer {
  replybuffer: Uint8Array;
  replybuffersize: number;
  SendReply(bufchain: V86BufferChain): void;
  virtqueue: { push_reply(bufchain: V86BufferChain): void; flush_replies(): void };
}
interface V86BufferChain {
  set_next_blob(bytes: Uint8Array): void;
}

/** 9P2000.L's Rfsync message type (Tfsync + 1). */
const P9_RFSYNC = 51;
/** size[4] type[1]: where a reply's type is. */
const P9_TYPE_OFFSET = 4;

/** Each server's holder (wrapped on the prototype, once, as above). */
const barriers = new WeakMap<V86NinePServer, () => Promise<void>>();

/**
 * Lets one holder delay the share's fsync answers until `barrier()` settles (a rejection too: the
 * guest cannot be told; the holder reports it). Other replies go out as before, and in order
 * among themselves; held ones go out when their barrier is done.
 */
export function holdShareFsyncs(server: V86NinePServer): { hold(barrier: (() => Promise<void>) | null): void } {
  const proto = Object.getPrototypeOf(server) as V86NinePServer & { [WRAPPED]?: true };
  if (!proto[WRAPPED]) {
    proto[WRAPPED] = true;
    const send = proto.SendReply;
    proto.SendReply = function (this: V86NinePServer, bufchain: V86BufferChain) {
      const barrier = barriers.get(this);
      if (!barrier || this.replybuffer[P9_TYPE_OFFSET] !== P9_RFSYNC) return send.call(this, bufchain);
      // The reply buffer is the server's one scratch buffer: keep this reply's bytes.
      const reply = this.replybuffer.slice(0, this.replybuffersize);
      const release = () => {
        bufchain.set_next_blob(reply);
        this.virtqueue.push_reply(bufchain);
        this.virtqueue.flush_replies();
      };
      barrier().then(release, release);
    };
  }
  return { hold: (b) => void (b ? barriers.set(server, b) : barriers.delete(server)) };
}
