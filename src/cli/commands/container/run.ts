// `docker run` and `docker create`: flags → create request, the image (pulled from the offline
// catalogue when missing), then for run: start, attach or print the ID, and exit with the
// container's code. Errors read as docker/cli's runContainer/toStatusError print them.
import { ContainerOptionsError, parseContainerOptions } from '../../opts/options.ts';
import type { ContainerOptions } from '../../opts/types.ts';
import { attachedSession } from '../../attach.ts';
import { daemonMessage, errorText, isPrintedAsIs, type CommandContext } from '../../context.ts';
import { parsePlatform, type Platform } from '../../../lib/platform.ts';
import { CliError } from '../../io.ts';
import { createWithPull } from '../image/ensure.ts';

/** docker/cli's withHelp + toStatusError: the exit code comes from the message. */
export function runError(e: unknown, verb: 'run' | 'create', parsing = false): CliError {
  const daemonSide = (!(e instanceof ContainerOptionsError) || e.kind === 'daemon') && !isPrintedAsIs(e);
  const text = errorText(e);
  const message = `docker: ${daemonSide && !text.startsWith('Error response from daemon') ? `Error response from daemon: ${text}` : text}\n\nRun 'docker ${verb} --help' for more information`;
  if (e instanceof ContainerOptionsError && e.kind === 'plain') return new CliError(text, 1);
  // Option errors are 125 whatever they say (docker/cli: parse → withHelp, StatusCode 125).
  if (parsing) return new CliError(message, 125);
  if (/executable file not found|no such file or directory/.test(text)) return new CliError(message, 127);
  if (/permission denied|is a directory/.test(text)) return new CliError(message, 126);
  return new CliError(message, 125);
}

/**
 * docker/cli runCreate returns what createContainer (create, pull) fails with as it is: printed
 * without "docker:" or the help hint, exit 1. Only its own option errors get those (runError).
 */
function createError(e: unknown): CliError {
  if (e instanceof ContainerOptionsError && e.kind !== 'daemon') return new CliError(errorText(e), 1);
  return new CliError(daemonMessage(e), 1);
}

/** docker/cli createContainer: `--platform` is parsed by the client, with containerd's rules. */
function requestedPlatform(opts: ContainerOptions): Platform | undefined {
  if (!opts.client.platform) return undefined;
  try {
    return parsePlatform(opts.client.platform);
  } catch (e) {
    throw new ContainerOptionsError(`error parsing specified platform: ${errorText(e)}`);
  }
}

async function parseOptions(ctx: CommandContext): Promise<ContainerOptions> {
  return parseContainerOptions(ctx.flags, {
    env: ctx.io.env,
    cwd: ctx.io.cwd,
    // --env-file and --label-file are files of the client, i.e. of the guest shell.
    readFile: async (path) => (await ctx.io.files?.readFile(path.startsWith('/') ? path : `${ctx.io.cwd}/${path}`)) ?? null,
  });
}

async function createContainer(ctx: CommandContext, opts: ContainerOptions, consoleSize?: [number, number]): Promise<{ id: string }> {
  // Parsed here for docker/cli's message; sent as typed, as docker/cli does.
  if (opts.client.platform) requestedPlatform(opts);
  const platform = opts.client.platform || undefined;
  const body = { ...opts.config, HostConfig: { ...opts.hostConfig, ...(consoleSize ? { ConsoleSize: consoleSize } : {}) }, NetworkingConfig: opts.networkingConfig };
  const pull = opts.client.pull as 'missing' | 'always' | 'never';
  const { Id } = await createWithPull(ctx, opts.config.Image, { pull, quiet: opts.client.quiet, platform }, () =>
    ctx.api.containerCreate(body, { ...(opts.name ? { name: opts.name } : {}), ...(platform ? { platform } : {}) }),
  );
  return { id: Id };
}

export async function create(ctx: CommandContext): Promise<number> {
  let opts: ContainerOptions;
  try {
    opts = await parseOptions(ctx);
  } catch (e) {
    // What the daemon refuses at create (a restart policy, a stop signal) is createContainer's.
    throw e instanceof ContainerOptionsError && e.kind === 'daemon' ? createError(e) : runError(e, 'create', true);
  }
  try {
    const { id } = await createContainer(ctx, opts);
    await ctx.io.stdout.write(id + '\n');
    return 0;
  } catch (e) {
    throw createError(e);
  }
}

export async function run(ctx: CommandContext): Promise<number> {
  let opts: ContainerOptions;
  try {
    opts = await parseOptions(ctx);
  } catch (e) {
    throw runError(e, 'run', true);
  }
  const { config } = opts;
  const io = ctx.io;
  if (!opts.client.detach && config.AttachStdin && config.Tty && io.terminal && !io.terminal.stdin) {
    throw new CliError('the input device is not a TTY', 1);
  }
  // The container's terminal starts at the client's size (docker/cli sends it with the create).
  const attach = config.AttachStdin || config.AttachStdout || config.AttachStderr;
  const consoleSize: [number, number] | undefined = attach && config.Tty && io.terminal ? [io.terminal.rows, io.terminal.cols] : undefined;
  let id: string;
  try {
    ({ id } = await createContainer(ctx, opts, consoleSize));
  } catch (e) {
    throw runError(e, 'run');
  }
  const api = ctx.api;
  // (A failed start of an --rm container removes it, with its anonymous volumes: the daemon's part.)
  const startFailed = (e: unknown): never => {
    throw runError(e, 'run');
  };
  if (!attach) {
    // docker/cli prints the ID while the start is under way, so a failed start still shows it.
    await io.stdout.write(id + '\n');
    await api.containerStart(id).catch(startFailed);
    return 0;
  }

  // docker/cli's runContainer: attach first (nothing is missed), wait for the next exit (or the
  // removal of an --rm container), then start.
  // Raw before the container prints anything (its banner would otherwise get \r\r\n).
  if (config.AttachStdin) io.openStdin?.({ raw: config.Tty && (io.terminal?.stdin ?? false) });
  const streams = await api
    .containerAttach(id, { stream: true, stdin: config.AttachStdin, stdout: config.AttachStdout, stderr: config.AttachStderr, ...(opts.client.detachKeys ? { detachKeys: opts.client.detachKeys } : {}) })
    .catch(startFailed);
  const waiting = new AbortController();
  const exit = api.containerWait(id, { condition: opts.hostConfig.AutoRemove ? 'removed' : 'next-exit' }, waiting.signal);
  void exit.catch(() => undefined);
  const session = attachedSession(io, streams, {
    stdin: config.AttachStdin,
    resize: (rows, cols) => api.containerResize(id, { h: rows, w: cols }),
    ...(opts.client.sigProxy ? { sigProxy: (signo: number) => void api.containerKill(id, { signal: String(signo) }).catch(() => undefined) } : {}),
  });
  try {
    await api.containerStart(id);
  } catch (e) {
    streams.close();
    waiting.abort();
    await session;
    startFailed(e);
  }
  const end = await session;
  if (end !== 'exited') {
    waiting.abort();
    return 0;
  }
  const { StatusCode, Error: error } = await exit;
  if (error?.Message && StatusCode === 0) throw new CliError(daemonMessage(new Error(error.Message)), 1);
  return StatusCode;
}
