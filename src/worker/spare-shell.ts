// The first terminal's prompt should not wait for bash to start on a just-booted guest (a few
// hundred ms while v86's JIT is cold): a login shell is started as soon as the guest is up and
// handed to the next tab that asks for an interactive shell, its early output replayed.
import type { GuestPort, GuestProcess } from '../protocol/guest/port.ts';
import { loginShell } from './vm/shell.ts';

/** A process's output, held until someone listens, then passed on as it comes. */
export interface HeldOutput {
  /** Replays what arrived so far, then forwards each chunk. */
  listen(listener: (chunk: Uint8Array) => void): void;
  /** Settles when the output ended (or the guest went away). */
  readonly done: Promise<void>;
  /** Settles at the first output (a shell's prompt) or at the end. */
  readonly first: Promise<void>;
}

export function holdOutput(proc: GuestProcess): HeldOutput {
  const held: Uint8Array[] = [];
  const to: { listener: ((chunk: Uint8Array) => void) | null } = { listener: null };
  let sawFirst!: () => void;
  const first = new Promise<void>((resolve) => (sawFirst = resolve));
  const done = (async () => {
    try {
      for await (const chunk of proc.stdout) {
        sawFirst();
        if (to.listener) to.listener(chunk);
        else held.push(chunk);
      }
    } catch {
      // The guest went away mid-stream; the process's exit says so.
    }
    sawFirst();
  })();
  return {
    done,
    first,
    listen(l) {
      for (const chunk of held.splice(0)) l(chunk);
      to.listener = l;
    },
  };
}

export interface Shell {
  proc: GuestProcess;
  output: HeldOutput;
}

export class SpareShell {
  /** `ended` belongs to each shell: an earlier spare's exit must not condemn the next one. */
  #spare: Promise<Shell & { ended: boolean }> | null = null;

  /**
   * Starts a spare login shell (replacing none: one at a time). Resolves once it printed its
   * prompt (or failed): other start-up work can wait for that.
   */
  prepare(port: GuestPort): Promise<void> {
    this.#spare ??= port.spawn(loginShell(undefined, { rows: 24, cols: 80 })).then((proc) => {
      const shell = { proc, output: holdOutput(proc), ended: false };
      const end = () => void (shell.ended = true);
      void proc.exited.then(end, end);
      return shell;
    });
    return this.#spare.then((s) => s.output.first, () => undefined);
  }

  /** The spare shell, sized for its tab; null when there is none (or it already ended). */
  async take(rows: number, cols: number): Promise<Shell | null> {
    const spare = this.#spare;
    this.#spare = null;
    const shell = await spare?.catch(() => null);
    if (!shell || shell.ended) return null;
    shell.proc.resize(rows, cols);
    return shell;
  }

  /** The guest is going away: forget the spare. */
  discard(): void {
    void this.#spare?.then((s) => s.proc.kill(), () => undefined);
    this.#spare = null;
  }
}
