// The page ↔ engine worker boundary (Comlink). Version it with the page: both ship together.
export const UI_PROTOCOL_VERSION = 1;

export interface BootInfo {
  mode: 'cold' | 'snapshot';
  bootMs: number;
  agent: string;
  kernel: string;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ShellCallbacks {
  output(bytes: Uint8Array): void;
  exit(code: number): void;
}

export interface EngineWorkerApi {
  protocolVersion(): number;
  /** Boots the guest; `guestBase` is the URL of the guest artifacts folder. */
  boot(guestBase: string): Promise<BootInfo>;
  /** Runs a command in a bash login shell (non-interactive, collected output). */
  run(command: string): Promise<CommandResult>;
  /** Opens an interactive login shell on a pty; returns its id. */
  openShell(rows: number, cols: number, callbacks: ShellCallbacks): Promise<number>;
  writeShell(id: number, bytes: Uint8Array): Promise<void>;
  resizeShell(id: number, rows: number, cols: number): void;
  closeShell(id: number): void;
  /** Stores every container's filesystem changes (the page is being hidden: a reload may follow). */
  checkpoint(): Promise<void>;
}
