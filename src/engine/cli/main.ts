// argv → command. Commands not implemented yet answer as Docker answers an unknown command.
import * as version from './commands/version.ts';
import type { ServerFacts } from './commands/version.ts';
import { CliError, ExitCode, type CommandIO } from './io.ts';

export interface CliContext {
  server: ServerFacts;
}

export async function runCli(argv: readonly string[], io: CommandIO, ctx: CliContext): Promise<number> {
  try {
    const [command, ...args] = argv;
    switch (command) {
      case 'version':
        return await version.run(args, io, ctx.server);
      case undefined:
        throw new CliError(`Usage:  docker [OPTIONS] COMMAND\n\nRun 'docker --help' for more information`);
      default:
        throw new CliError(`docker: unknown command: docker ${argv.join(' ')}\n\nRun 'docker --help' for more information`);
    }
  } catch (e) {
    if (e instanceof CliError) {
      await io.stderr.write(e.message + '\n');
      return e.exitCode;
    }
    await io.stderr.write(`docker: Error response from daemon: ${(e as Error).message}\n`);
    return ExitCode.DAEMON_ERROR;
  }
}
