// What a CLI command sees of the world: injected streams, the caller's terminal and environment.
import type { ByteSink, ByteSource, Disposable } from '../protocol/guest/port.ts';

export interface Output {
  write(text: string | Uint8Array): Promise<void>;
}

export type { ClientFiles } from '../protocol/client-files.ts';
import type { ClientFiles } from '../protocol/client-files.ts';

export interface CommandIO {
  stdout: Output;
  stderr: Output;
  /** DOCKER_* and TERM of the calling client. */
  env: ReadonlyMap<string, string>;
  cwd: string;
  /** The client's stdin; bytes flow only after `openStdin` (real docker reads stdin only with -i). */
  stdin?: ByteSource;
  /** Which of the client's streams are terminals, and the terminal's size. */
  terminal?: { stdin: boolean; stdout: boolean; stderr: boolean; rows: number; cols: number };
  openStdin?(options: { raw: boolean }): void;
  onResize?(listener: (rows: number, cols: number) => void): Disposable;
  onSignal?(listener: (signo: number) => void): Disposable;
  /** Settles when the client went away (killed) before the command finished. */
  disconnected?: Promise<void>;
  /** The client's files; absent when the client has none to offer. */
  files?: ClientFiles;
}

/** Docker's exit codes: 125 daemon or flag error, 126 cannot execute, 127 not found. */
export const ExitCode = { OK: 0, DAEMON_ERROR: 125, CANNOT_EXECUTE: 126, NOT_FOUND: 127 } as const;

/** An error to print as Docker prints it, ending the command with `exitCode`. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.DAEMON_ERROR,
  ) {
    super(message);
  }
}
