// argv → command: groups and aliases resolved by the usage registry, flags parsed with pflag's
// rules, `--help` on every command, then the command's `run`. Commands that exist in Docker but
// not yet here say so (exit 1) instead of pretending.
import type { EngineApi } from '../engine/api/types.ts';
import { attach } from './commands/container/attach.ts';
import { exec } from './commands/container/exec.ts';
import { cp } from './commands/container/cp.ts';
import { exportCommand } from './commands/container/export.ts';
import { logs } from './commands/container/logs.ts';
import { inspectCommand } from './commands/inspect.ts';
import { ps } from './commands/container/ps.ts';
import { diff, port, top } from './commands/container/inspect-runtime.ts';
import { builderPrune, containerPrune, df, events, imagePrune, info, stats, systemPrune } from './commands/system.ts';
import { history, images, pull, rmi, tag } from './commands/image/images.ts';
import { build } from './commands/image/build.ts';
import { importCommand, load, save } from './commands/image/archive.ts';
import { commit } from './commands/container/commit.ts';
import { kill, pause, rename, restart, rm, stop, unpause, wait } from './commands/container/lifecycle.ts';
import { create, run } from './commands/container/run.ts';
import { start } from './commands/container/start.ts';
import { volumeHandlers } from './commands/volume.ts';
import { networkHandlers } from './commands/network.ts';
import * as version from './commands/version.ts';
import { daemonMessage, type CommandRun } from './context.ts';
import { CliError, ExitCode, type CommandIO } from './io.ts';
import { parseCommandLine, unknownSubcommand } from './usage/command-line.ts';
import { findCommand } from './usage/registry.ts';
import { renderCommandHelp, renderGroupHelp, renderRootHelp } from './usage/render-help.ts';
import { globalFlags } from './usage/global-flags.ts';
import { DOCKER_CLI_COMPAT } from './version.ts';

export interface CliContext {
  /** The daemon's API (one per daemon: execs live in it). */
  api: EngineApi;
  /** The thin client's build: `docker --version` and the Client section of `docker version`. */
  clientBuildId: string;
  /** The client's clock (ms since the epoch); the machine's when absent. */
  now?: () => number;
}

/** The client went away mid-command (its streams refuse writes): nobody is left to print to. */
function isClientGone(e: unknown): boolean {
  return e instanceof Error && e.name === 'GuestGoneError';
}

/** Handlers by canonical command path. */
const handlers: Record<string, CommandRun> = {
  'container run': run,
  'container create': create,
  'container start': start,
  'container stop': stop,
  'container restart': restart,
  'container kill': kill,
  'container pause': pause,
  'container unpause': unpause,
  'container rm': rm,
  'container rename': rename,
  'container wait': wait,
  'container attach': attach,
  'container exec': exec,
  'container cp': cp,
  'container export': exportCommand,
  'container logs': logs,
  'container inspect': inspectCommand('container'),
  'image inspect': inspectCommand('image'),
  inspect: inspectCommand(),
  'container ls': ps,
  'container top': top,
  'container diff': diff,
  'container port': port,
  'image ls': images,
  'image history': history,
  'image tag': tag,
  'image rm': rmi,
  'image pull': pull,
  'image build': build,
  'image save': save,
  'image load': load,
  'image import': importCommand,
  'builder prune': builderPrune,
  'container commit': commit,
  'image prune': imagePrune,
  'container prune': containerPrune,
  'container stats': stats,
  'system prune': systemPrune,
  'system df': df,
  'system info': info,
  'system events': events,
  ...volumeHandlers,
  ...networkHandlers,
};

export function registerCommands(more: Record<string, CommandRun>): void {
  Object.assign(handlers, more);
}

export async function runCli(argv: readonly string[], io: CommandIO, ctx: CliContext): Promise<number> {
  try {
    const width = io.terminal?.stdout ? io.terminal.cols : 80;
    if (argv.length === 0) {
      await io.stderr.write(renderRootHelp(width));
      return 0;
    }
    const global = parseGlobalFlags(argv);
    if (global.version) {
      await io.stdout.write(`Docker version ${DOCKER_CLI_COMPAT}-slipway, build ${ctx.clientBuildId}\n`);
      return 0;
    }
    argv = global.rest;
    if (argv.length === 0) {
      await io.stderr.write(renderRootHelp(width));
      return 0;
    }
    if (argv[0] === '--help' || argv[0] === '-h') {
      await io.stdout.write(renderRootHelp(width));
      return 0;
    }
    if (argv[0] === 'version' || (argv[0] === 'system' && argv[1] === 'version')) {
      return await version.run(argv.slice(argv[0] === 'version' ? 1 : 2), io, ctx.api, { buildId: ctx.clientBuildId });
    }
    if (argv[0] === 'help') return await help(argv.slice(1), io, width);
    const found = findCommand(argv);
    if (!found) throw new CliError(`docker: unknown command: docker ${argv.join(' ')}\n\nRun 'docker --help' for more information`, 1);
    if (found.kind === 'group') {
      if (found.group.plugin) throw new CliError(`docker: '${found.group.path[0]}' is not available in Slipway yet`, 1);
      const word = found.rest[0];
      if (word === undefined || word === '--help' || word === '-h') {
        await (word === undefined ? io.stderr : io.stdout).write(renderGroupHelp(found.group));
        return 0;
      }
      throw unknownSubcommand(found.group, word);
    }
    const parsed = parseCommandLine(found, found.rest);
    for (const notice of parsed.notices) await io.stderr.write(notice + '\n');
    if (parsed.help) {
      await io.stdout.write(renderCommandHelp(found, width));
      return 0;
    }
    const handler = handlers[found.descriptor.path.join(' ')];
    if (!handler) throw new CliError(`${found.commandPath}: not implemented in Slipway yet`, 1);
    return await handler({ io, flags: parsed, args: parsed.args, api: ctx.api, now: ctx.now ?? Date.now, commandPath: found.commandPath });
  } catch (e) {
    if (e instanceof CliError) {
      await io.stderr.write(e.message + '\n');
      return e.exitCode;
    }
    if (isClientGone(e)) throw e;
    await io.stderr.write(daemonMessage(e) + '\n');
    return 1;
  }
}

async function help(words: readonly string[], io: CommandIO, width: number): Promise<number> {
  if (words.length === 0) {
    await io.stdout.write(renderRootHelp(width));
    return 0;
  }
  const found = findCommand(words);
  if (!found) throw new CliError(`unknown help topic: ${words.join(' ')}`, 1);
  if (found.kind === 'group') await io.stdout.write(renderGroupHelp(found.group));
  else await io.stdout.write(renderCommandHelp(found, width));
  return 0;
}

const ROOT_USAGE = "\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information";

/**
 * `docker`'s own options before the command (docker/cli's root flag set): accepted (the client
 * is always this one daemon's), `-v/--version` answered, anything else refused as pflag does.
 */
function parseGlobalFlags(argv: readonly string[]): { rest: readonly string[]; version: boolean } {
  let version = false;
  let i = 0;
  const fail = (message: string) => new CliError(message + ROOT_USAGE, ExitCode.DAEMON_ERROR);
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return { rest: argv.slice(i + 1), version };
    if (!arg.startsWith('-') || arg === '-' || arg === '--help' || arg === '-h') break;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const spec = globalFlags.find((f) => f.name === name);
      if (!spec) throw fail(`unknown flag: --${name}`);
      if (spec.kind === 'bool') {
        if (name === 'version') version = eq < 0 || arg.slice(eq + 1) === 'true';
        continue;
      }
      if (eq < 0 && ++i >= argv.length) throw fail(`flag needs an argument: --${name}`);
      continue;
    }
    for (let c = 1; c < arg.length; c++) {
      const spec = globalFlags.find((f) => f.short === arg[c]);
      if (!spec) throw fail(`unknown shorthand flag: '${arg[c]}' in ${arg}`);
      if (spec.kind === 'bool') {
        if (spec.name === 'version') version = true;
        continue;
      }
      if (c === arg.length - 1 && ++i >= argv.length) throw fail(`flag needs an argument: '${arg[c]}' in -${arg[c]}`);
      break;
    }
  }
  return { rest: argv.slice(i), version };
}
