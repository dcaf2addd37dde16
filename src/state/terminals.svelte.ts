// Terminal tabs: each one a bash login shell on a guest pty. The terminal component owns the
// xterm widget; a ShellSession owns the shell behind it.
import { shellCallbacks, type EngineClient } from '../client/engine.ts';

export interface ShellOutput {
  output(bytes: Uint8Array): void;
  exit(code: number): void;
}

export class ShellSession {
  readonly id: number;
  /** A tab running one command (`docker logs -f web`) rather than an interactive shell. */
  readonly command: string | undefined;
  /** The tab's title for a command tab. */
  readonly title: string | undefined;
  /** The shell's exit code once it ended (the tab stays until closed). */
  exitCode = $state<number | null>(null);
  readonly #engine: EngineClient;
  #shell: Promise<number> | null = null;
  readonly #encoder = new TextEncoder();

  constructor(id: number, engine: EngineClient, command?: string, title?: string) {
    this.id = id;
    this.#engine = engine;
    this.command = command;
    this.title = title;
  }

  /** Opens the shell at the terminal's size; the returned disposer closes it. */
  open(rows: number, cols: number, sink: ShellOutput): () => void {
    const shell = this.#engine.openShell(
      rows,
      cols,
      shellCallbacks({
        output: (bytes) => sink.output(bytes),
        exit: (code) => {
          this.exitCode = code;
          sink.exit(code);
        },
      }),
      this.command,
    );
    this.#shell = shell;
    shell.catch((e: unknown) => sink.output(this.#encoder.encode(`\r\n${(e as Error).message}\r\n`)));
    return () => this.#call((engine, id) => engine.closeShell(id));
  }

  write(data: string): void {
    this.#call((engine, id) => engine.writeShell(id, this.#encoder.encode(data)));
  }

  resize(rows: number, cols: number): void {
    this.#call((engine, id) => engine.resizeShell(id, rows, cols));
  }

  /** A call on the shell; a worker that died meanwhile (its proxy released) is no error. */
  #call(call: (engine: EngineClient, id: number) => unknown): void {
    void this.#shell?.then((id) => call(this.#engine, id)).catch(() => undefined);
  }
}

export class TerminalTabs {
  tabs = $state.raw<ShellSession[]>([]);
  activeId = $state<number | null>(null);
  #engine: EngineClient | null = null;
  #nextId = 1;

  attach(engine: EngineClient): void {
    this.#engine = engine;
  }

  /** A new tab: an interactive login shell, or a shell running just `command`. */
  open(command?: string, title?: string): void {
    if (!this.#engine) return;
    const session = new ShellSession(this.#nextId++, this.#engine, command, title);
    this.tabs = [...this.tabs, session];
    this.activeId = session.id;
  }

  /** Closing a tab ends its shell (the terminal component's disposer) and selects a neighbour. */
  close(id: number): void {
    const index = this.tabs.findIndex((t) => t.id === id);
    if (index < 0) return;
    this.tabs = this.tabs.filter((t) => t.id !== id);
    if (this.activeId === id) this.activeId = (this.tabs[index] ?? this.tabs[index - 1])?.id ?? null;
  }

  select(id: number): void {
    if (this.tabs.some((t) => t.id === id)) this.activeId = id;
  }
}
