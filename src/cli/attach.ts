// A client attached to a container's or an exec's streams (`run` without -d, `attach`, `start -a`,
// `exec`), as docker/cli's holdHijackedConnection: the daemon's output to the client's streams,
// the client's stdin to the process (the daemon watches the detach keys), the terminal's size
// and, without a tty, the client's signals.
import type { Disposable } from '../protocol/guest/port.ts';
import type { AttachedStreams } from '../engine/api/types.ts';
import type { CommandIO } from './io.ts';

export interface SessionOptions {
  /** Feed the client's stdin to the process (the caller opened it). */
  stdin: boolean;
  /** Size the process's terminal on every resize of the client's (tty only). */
  resize?: (rows: number, cols: number) => Promise<void>;
  /** Also size it at once (a running process; one about to start gets its size with the start). */
  resizeNow?: boolean;
  /** Forward the client's signals (non-tty only, as Docker does). */
  sigProxy?: (signo: number) => void;
}

export type SessionEnd = 'exited' | 'detached' | 'closed';

/**
 * Runs the session until the process ends, the user detaches or the client goes away. Call it
 * before starting the process: its output is taken from the first byte, and the daemon's output
 * pump waits for it (crun's start signal shares the container's stderr pipe).
 */
export async function attachedSession(io: CommandIO, streams: AttachedStreams, options: SessionOptions): Promise<SessionEnd> {
  const disposables: Disposable[] = [];
  if (streams.tty && options.resize) {
    const resize = options.resize;
    if (options.resizeNow && io.terminal) void resize(io.terminal.rows, io.terminal.cols).catch(() => undefined);
    if (io.onResize) disposables.push(io.onResize((rows, cols) => void resize(rows, cols).catch(() => undefined)));
  } else if (!streams.tty && options.sigProxy && io.onSignal) {
    disposables.push(io.onSignal(options.sigProxy));
  }
  void io.disconnected?.then(() => streams.close());

  let over = false;
  void streams.ended.then(() => (over = true));
  // One frame at a time: the daemon's queue hands over the next only when this one is taken, so
  // a slow client slows the process instead of output piling up.
  const output = (async () => {
    for await (const frame of streams.output) {
      const target = frame.stream === 'stderr' && !streams.tty ? io.stderr : io.stdout;
      await target.write(frame.data);
    }
  })().catch(() => streams.close()); // the client went away: the process does not care

  const sink = streams.stdin;
  if (options.stdin && io.stdin && sink) {
    const stdin = io.stdin;
    void (async () => {
      for (;;) {
        const chunk = await stdin.read();
        if (chunk === null || over) break;
        await sink.write(chunk);
        if (over) return;
      }
      sink.end();
    })().catch(() => undefined); // the process or the client went away: nothing left to feed
  }

  const end = await streams.ended;
  for (const d of disposables) d.dispose();
  if (end === 'exited') await output;
  return end;
}

/** What docker prints when the user detached (the client restores the terminal only on exit). */
export function escapeSequenceNotice(io: CommandIO): string {
  return io.terminal?.stdin ? 'read escape sequence\r\n' : 'read escape sequence\n';
}
