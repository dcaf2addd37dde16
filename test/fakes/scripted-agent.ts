// A recording fake of the guest agent for unit tests of the host multiplexer: it decodes the
// frames the host sends, records them, and lets the test answer with frames of its own.
import { MAX_PAYLOAD, Op, SessionPart } from '../../src/protocol/guest/constants.ts';
import { Deframer, encodeFrame, type Frame } from '../../src/protocol/guest/frame.ts';
import type { GuestConnection } from '../../src/worker/vm/connection.ts';

export class ScriptedAgent {
  readonly sent: Frame[] = [];
  #connection: GuestConnection | null = null;
  readonly #deframer = new Deframer((f) => {
    this.sent.push(f);
    for (const w of this.#waiters.splice(0)) w();
  });
  #waiters: (() => void)[] = [];

  attach(connection: GuestConnection): void {
    this.#connection = connection;
  }

  /** Transport callback for the connection: bytes the host sends to the guest. */
  readonly fromHost = (bytes: Uint8Array): void => this.#deframer.push(bytes);

  reply(type: number, stream: number, payload?: Uint8Array, chan = 0): void {
    this.#connection!.receive(encodeFrame(type, stream, payload, chan));
  }

  /** A client's SESSION request as the agent relays it (see `sessionParts`). */
  session(stream: number, request: Uint8Array): void {
    for (const part of sessionParts(stream, request)) this.reply(part.type, part.stream, part.payload, part.chan);
  }

  /** Waits until the host has sent a frame matching `pred`, and returns it. */
  async expect(pred: (f: Frame) => boolean, what = 'frame'): Promise<Frame> {
    for (let i = 0; i < 1000; i++) {
      const found = this.sent.find(pred);
      if (found) return found;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 5);
      });
    }
    throw new Error(`host never sent ${what}`);
  }

  framesOf(type: number, stream?: number): Frame[] {
    return this.sent.filter((f) => f.type === type && (stream === undefined || f.stream === stream));
  }
}

/** SESSION, then SESSION_MORE frames: parts of at most MAX_PAYLOAD bytes, chan MORE on all but the last. */
export function sessionParts(stream: number, request: Uint8Array): Frame[] {
  const parts: Frame[] = [];
  for (let at = 0; at === 0 || at < request.length; at += MAX_PAYLOAD) {
    const payload = request.subarray(at, at + MAX_PAYLOAD);
    const chan = at + MAX_PAYLOAD < request.length ? SessionPart.MORE : SessionPart.LAST;
    parts.push({ type: at === 0 ? Op.SESSION : Op.SESSION_MORE, chan, stream, payload });
  }
  return parts;
}
