// A `docker` client as the daemon's commands see it. A client can go at any instant (Ctrl-C, a
// killed `docker`, a closed tab, a dropped stream): from then on its outputs refuse writes with a
// GuestGoneError that the daemon's front door swallows, and `gone` settles whoever ended the
// session (the client by leaving, or the daemon on a signal the command did not claim), so every
// command waiting on it lets go of its subscriptions.
import { GuestGoneError, type ByteSink, type ClientSession } from '../protocol/guest/port.ts';
import type { Output } from '../cli/io.ts';

/** True for the errors that only mean the client (or the guest under it) is gone. */
export function isClientGone(e: unknown): boolean {
  return e instanceof Error && e.name === 'GuestGoneError';
}

export class ClientLink {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Settles once the client is gone or the session was ended; never rejects. */
  readonly gone: Promise<void>;
  readonly #session: ClientSession;
  #ended = false;
  #markGone!: () => void;

  constructor(session: ClientSession) {
    this.#session = session;
    this.gone = new Promise<void>((resolve) => (this.#markGone = resolve));
    void session.disconnected.then(() => {
      this.#ended = true;
      this.#markGone();
    });
    this.stdout = this.#guard(session.stdout);
    this.stderr = this.#guard(session.stderr);
  }

  /** Ends the session with `code` (the client exits with it); later calls do nothing. */
  end(code: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#session.exit(code);
    this.#markGone();
  }

  #guard(sink: ByteSink): Output {
    return {
      write: (data) => (this.#ended ? Promise.reject(new GuestGoneError('the client went away')) : sink.write(data)),
    };
  }
}
