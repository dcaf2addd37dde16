// Command descriptors: what `docker X --help` shows and how argv is checked before a command runs.
import type { FlagSpec } from '../flags/spec.ts';

export interface CommandDescriptor {
  /** Canonical path under `docker`, e.g. ['container', 'ls']. */
  readonly path: readonly string[];
  /** Other full paths reaching this command, in Docker's "Aliases:" order, e.g. [['container','list'], ['ps']]. */
  readonly aliases?: readonly (readonly string[])[];
  /** Usage line for the canonical path, e.g. 'docker container ls [OPTIONS]'. */
  readonly usage: string;
  /** One line, as listed in `docker --help` and group help. */
  readonly short: string;
  /** Body of the command's own help page when it differs from `short`. */
  readonly long?: string;
  readonly flags: readonly FlagSpec[];
  /** Positional argument count Docker enforces (max may be Infinity). */
  readonly args: { readonly min: number; readonly max: number };
  /** false: flags stop at the first positional (the rest is a command line). */
  readonly interspersed?: false;
  /** Position in "Common Commands:" of `docker --help`. */
  readonly top?: number;
}

export interface GroupDescriptor {
  readonly path: readonly [string];
  readonly short: string;
  /** A CLI plugin (compose): listed with a `*`, its arguments go to the plugin unparsed. */
  readonly plugin?: boolean;
}

/** A command found in argv, with the path the user typed turned into the one Docker shows. */
export interface ResolvedCommand {
  readonly descriptor: CommandDescriptor;
  /** e.g. 'docker ps' for `docker ps`, 'docker container ls' for `docker container list`. */
  readonly commandPath: string;
  /** Usage line for that path: 'docker ps [OPTIONS]'. */
  readonly useLine: string;
}
