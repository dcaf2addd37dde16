// Parsing a resolved command's argv and reporting problems exactly as docker/cli does.
import { FlagError, parseFlags } from '../flags/parser.ts';
import type { ParsedFlags } from '../flags/parsed.ts';
import { CliError, ExitCode } from '../io.ts';
import type { GroupDescriptor, ResolvedCommand } from './types.ts';

/** Exit status cobra's argument validators end with (a plain error, not a StatusError). */
const ARGS_EXIT = 1;

/**
 * Parses flags and checks the argument count. When `help` is set on the result, the caller prints the
 * help page instead of running (argument counts are not checked then, as in cobra).
 */
export function parseCommandLine(cmd: ResolvedCommand, argv: readonly string[]): ParsedFlags {
  let parsed: ParsedFlags;
  try {
    parsed = parseFlags(cmd.descriptor.flags, argv, { interspersed: cmd.descriptor.interspersed ?? true });
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    throw new CliError(`${e.message}\n\nUsage:  ${cmd.useLine}\n\nRun '${cmd.commandPath} --help' for more information`, ExitCode.DAEMON_ERROR);
  }
  if (!parsed.help) checkArgCount(cmd, parsed.args.length);
  return parsed;
}

/** cli.NoArgs / RequiresMinArgs / RequiresMaxArgs / RequiresRangeArgs / ExactArgs texts. */
export function checkArgCount(cmd: ResolvedCommand, count: number): void {
  const { min, max } = cmd.descriptor.args;
  if (count >= min && count <= max) return;
  const path = cmd.commandPath;
  const args = (n: number) => (n === 1 ? '1 argument' : `${n} arguments`);
  const fail = (what: string, hint: 'See' | 'Run' | 'SRun') =>
    new CliError(`docker: '${path}' ${what}\n\nUsage:  ${cmd.useLine}\n\n${hint} '${path} --help' for more information`, ARGS_EXIT);
  if (max === 0) throw fail('accepts no arguments', 'Run');
  if (min === max) throw fail(`requires ${args(min)}`, 'Run');
  if (max === Infinity) throw fail(`requires at least ${args(min)}`, 'See');
  // docker/cli v28 really prints "SRun" here (a typo in cli/required.go).
  if (min === 0) throw fail(`requires at most ${args(max)}`, 'SRun');
  throw fail(`requires at least ${min} and at most ${args(max)}`, 'Run');
}

/** `docker volume foo`. */
export function unknownSubcommand(group: GroupDescriptor, word: string): CliError {
  const path = `docker ${group.path[0]}`;
  return new CliError(`docker: unknown command: ${path} ${word}\n\nUsage:  ${path} COMMAND\n\nRun '${path} --help' for more information`, ARGS_EXIT);
}

/**
 * An error `docker run`/`docker create` found in its options after flag parsing (docker/cli withHelp):
 * `docker: <msg>\n\nRun 'docker run --help' for more information`, exit 125.
 */
export function commandUsageError(cmd: ResolvedCommand, message: string): CliError {
  // docker/cli names the bare verb here even for `docker container run`.
  return new CliError(`docker: ${message}\n\nRun 'docker ${cmd.descriptor.path.at(-1)} --help' for more information`, ExitCode.DAEMON_ERROR);
}
