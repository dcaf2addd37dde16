// A recording fake of the engine's GuestRuntime for unit tests of the container service: each
// started "container" is a scripted process the test ends by hand (exit code or signal).
import type { ExitStatus, GuestProcess } from '../../src/protocol/guest/port.ts';
import type { CommandResult, StartRequest } from '../../src/engine/container/runtime.ts';

export type RuntimeCall =
  | { op: 'start'; id: string; tty: boolean }
  | { op: 'kill'; id: string; signal: number }
  | { op: 'pause' | 'resume' | 'remove'; id: string }
  | { op: 'run'; argv: string[] };

export interface FakeContainer {
  /** Ends the container with this exit status (after its output). */
  exit(code: number, signal?: number): void;
  /** Writes to the container's stdout. */
  print(text: string): void;
}

class Source {
  readonly #chunks: (Uint8Array | null)[] = [];
  #wake: (() => void) | null = null;
  push(chunk: Uint8Array | null): void {
    this.#chunks.push(chunk);
    this.#wake?.();
  }
  async read(): Promise<Uint8Array | null> {
    while (!this.#chunks.length) await new Promise<void>((r) => (this.#wake = r));
    return this.#chunks.shift()!;
  }
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let c = await this.read(); c; c = await this.read()) yield c;
  }
}

export class FakeGuestRuntime {
  readonly calls: RuntimeCall[] = [];
  readonly containers = new Map<string, FakeContainer>();
  /** Signals that end a container at once (what a real process without handlers would do). */
  fatalSignals = new Set([9, 15]);

  start(req: StartRequest): Promise<GuestProcess> {
    this.calls.push({ op: 'start', id: req.id, tty: req.tty });
    const stdout = new Source();
    const stderr = new Source();
    let settle!: (s: ExitStatus) => void;
    const exited = new Promise<ExitStatus>((r) => (settle = r));
    const container: FakeContainer = {
      print: (text) => stdout.push(new TextEncoder().encode(text)),
      exit: (code, signal = 0) => {
        stdout.push(null);
        stderr.push(null);
        settle({ code: signal ? -1 : code, signal });
        this.containers.delete(req.id);
      },
    };
    this.containers.set(req.id, container);
    return Promise.resolve({
      pid: 100,
      stdin: { write: async () => undefined, end: () => undefined },
      stdout,
      stderr,
      exited,
      console: Promise.resolve(),
      // The agent's NOTIFY (the poststart hook ran): the process runs at once; none unless asked.
      notified: req.notify ? Promise.resolve() : new Promise<void>(() => undefined),
      resize: () => undefined,
      signal: () => undefined,
      kill: () => container.exit(0, 9),
    });
  }

  async kill(id: string, signal: number): Promise<CommandResult> {
    this.calls.push({ op: 'kill', id, signal });
    const c = this.containers.get(id);
    if (!c) return { code: 1, stdout: '', stderr: `container ${id} is not running` };
    if (this.fatalSignals.has(signal)) c.exit(0, signal);
    return { code: 0, stdout: '', stderr: '' };
  }

  async pause(id: string): Promise<CommandResult> {
    this.calls.push({ op: 'pause', id });
    return { code: 0, stdout: '', stderr: '' };
  }

  async resume(id: string): Promise<CommandResult> {
    this.calls.push({ op: 'resume', id });
    return { code: 0, stdout: '', stderr: '' };
  }

  async remove(id: string): Promise<void> {
    this.calls.push({ op: 'remove', id });
  }

  async oomKilled(): Promise<boolean> {
    return false;
  }

  async run(argv: string[]): Promise<CommandResult> {
    this.calls.push({ op: 'run', argv });
    return { code: 0, stdout: '', stderr: '' };
  }
}
