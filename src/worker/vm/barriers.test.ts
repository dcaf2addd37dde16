import { describe, expect, it } from 'vitest';
import { honourCacheFlushes, holdShareFsyncs, type V86NinePServer } from './barriers.ts';

// Stand-ins shaped as v86's classes: methods on the prototype, instances sealed.
class Drive {
  is_atapi = false;
  data = new Uint8Array(512);
  status_reg = 0;
  irqs = 0;
  commands: number[] = [];
  constructor(atapi = false) {
    this.is_atapi = atapi;
    Object.seal(this);
  }
  create_identify_packet(): void {
    this.data.fill(0);
    this.data[82 * 2 + 1] = 0x40;
  }
  ata_command(cmd: number): void {
    this.commands.push(cmd);
    this.status_reg = 0x50;
    this.push_irq();
  }
  push_irq(): void {
    this.irqs++;
  }
}

class Server {
  replybuffer = new Uint8Array(64);
  replybuffersize = 0;
  sent: number[][] = [];
  virtqueue = {
    pending: [] as number[][],
    push_reply: (chain: { blob: Uint8Array }) => this.virtqueue.pending.push([...chain.blob]),
    flush_replies: () => {
      this.sent.push(...this.virtqueue.pending);
      this.virtqueue.pending = [];
    },
  };
  constructor() {
    Object.seal(this);
  }
  reply(type: number, tag: number): void {
    this.replybuffer.set([7, 0, 0, 0, type, tag, 0]);
    this.replybuffersize = 7;
    this.SendReply(chain());
  }
  SendReply(bufchain: { blob: Uint8Array; set_next_blob(b: Uint8Array): void }): void {
    bufchain.set_next_blob(this.replybuffer.subarray(0, this.replybuffersize));
    this.virtqueue.push_reply(bufchain);
    this.virtqueue.flush_replies();
  }
}

function chain() {
  const c = { blob: new Uint8Array(0), set_next_blob: (b: Uint8Array) => void (c.blob = b.slice()) };
  return c;
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('honourCacheFlushes', () => {
  it('announces an enabled write cache in IDENTIFY DEVICE', () => {
    const drive = new Drive();
    honourCacheFlushes(drive, async () => {});
    drive.create_identify_packet();
    expect([drive.data[82 * 2], drive.data[82 * 2 + 1], drive.data[85 * 2]]).toEqual([0x20, 0x40, 0x20]);
  });

  it('keeps FLUSH CACHE (EXT) busy until the store commit is done, then interrupts', async () => {
    const drive = new Drive();
    const commit = deferred();
    honourCacheFlushes(drive, () => commit.promise);
    drive.ata_command(0xea);
    await tick();
    expect([drive.status_reg, drive.irqs, drive.commands]).toEqual([0x80, 0, []]);
    commit.resolve();
    await tick();
    expect([drive.status_reg, drive.irqs]).toEqual([0x50, 1]);
  });

  it('completes a flush whose commit failed (the disk reports it; the chunks stay in memory)', async () => {
    const drive = new Drive();
    honourCacheFlushes(drive, () => Promise.reject(new Error('quota')));
    drive.ata_command(0xe7);
    await tick();
    expect([drive.status_reg, drive.irqs]).toEqual([0x50, 1]);
  });

  it('leaves other commands, CD-ROMs and drives it was not given alone', () => {
    const drive = new Drive();
    honourCacheFlushes(drive, () => new Promise(() => {}));
    drive.ata_command(0xc8);
    const cdrom = new Drive(true);
    honourCacheFlushes(cdrom, () => new Promise(() => {}));
    cdrom.ata_command(0xe7);
    cdrom.create_identify_packet();
    const other = new Drive();
    other.ata_command(0xe7);
    other.create_identify_packet();
    expect([drive.commands, cdrom.commands, cdrom.data[85 * 2], other.commands, other.data[85 * 2]]).toEqual([[0xc8], [0xe7], 0, [0xe7], 0]);
  });
});

describe('holdShareFsyncs', () => {
  it('holds Rfsync replies until the barrier settles; others go out at once', async () => {
    const server = new Server();
    const stored = deferred();
    const holder = holdShareFsyncs(server as unknown as V86NinePServer);
    holder.hold(() => stored.promise);
    server.reply(51, 1); // Rfsync
    server.reply(119, 2); // Rwrite
    await tick();
    expect(server.sent).toEqual([[7, 0, 0, 0, 119, 2, 0]]);
    stored.resolve();
    await tick();
    expect(server.sent).toEqual([[7, 0, 0, 0, 119, 2, 0], [7, 0, 0, 0, 51, 1, 0]]);
  });

  it('answers a fsync whose barrier failed, and none held once the holder let go', async () => {
    const server = new Server();
    const holder = holdShareFsyncs(server as unknown as V86NinePServer);
    holder.hold(() => Promise.reject(new Error('store full')));
    server.reply(51, 3);
    await tick();
    holder.hold(null);
    server.reply(51, 4);
    expect(server.sent).toEqual([[7, 0, 0, 0, 51, 3, 0], [7, 0, 0, 0, 51, 4, 0]]);
  });
});
