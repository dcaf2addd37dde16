// `docker save`, `docker load` and `docker import`, as docker/cli's runSave, runLoad and runImport:
// the archive comes from or goes to stdout/stdin or a file of the client's machine, and the
// daemon's messages print as jsonmessage does.
import { ProgressRenderer } from '../../format/progress.ts';
import { parseDockerRef } from '../../../lib/reference.ts';
import { byteSource, readAll } from '../../../lib/streams.ts';
import type { BuildMessage } from '../../../engine/api/types.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

function absolute(cwd: string, path: string): string {
  return path.startsWith('/') ? path : `${cwd}/${path}`;
}

/** `-i FILE` / a file argument: its bytes, or docker/cli's error for a missing file. */
async function readClientFile(ctx: CommandContext, path: string): Promise<Uint8Array> {
  if (!ctx.io.files) throw new CliError('this client has no files to read', 1);
  const full = absolute(ctx.io.cwd, path);
  const bytes = await ctx.io.files.readBytes(full);
  if (!bytes) throw new CliError(`open ${path}: no such file or directory`, 1);
  return bytes;
}

async function readStdin(ctx: CommandContext): Promise<Uint8Array> {
  const { io } = ctx;
  if (!io.stdin || !io.openStdin) throw new CliError('this client cannot read stdin', 1);
  io.openStdin({ raw: false });
  return readAll(io.stdin);
}

export async function save(ctx: CommandContext): Promise<number> {
  const { io, api } = ctx;
  const output = ctx.flags.string('output');
  if (!output && io.terminal?.stdout) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
  try {
    if (output) {
      if (!io.files) throw new CliError('docker save: this client has no files to write to', 1);
      const problem = await io.files.checkOutputPath(absolute(io.cwd, output));
      if (problem) throw new CliError(`failed to save image: invalid output path: ${problem}`, 1);
    }
    const write = await api.imageSave(ctx.args);
    if (!output) await write({ write: (b) => io.stdout.write(b), end: () => undefined });
    else await io.files!.writeFile(absolute(io.cwd, output), write);
    return 0;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(daemonMessage(e), 1);
  }
}

/** jsonmessage's display of the daemon's messages (streams as they are, progress as bars on a tty). */
async function display(ctx: CommandContext, messages: readonly BuildMessage[]): Promise<void> {
  const renderer = new ProgressRenderer({ tty: ctx.io.terminal?.stdout ?? false, width: ctx.io.terminal?.cols ?? 80 });
  for (const m of messages) {
    if (m.error !== undefined) throw new CliError(m.error, 1);
    if (m.stream !== undefined) await ctx.io.stdout.write(m.stream);
    else if (m.status !== undefined) {
      const text = renderer.render({ status: m.status, ...(m.id !== undefined ? { id: m.id } : {}), ...(m.progressDetail ? { progressDetail: m.progressDetail } : {}) });
      if (text) await ctx.io.stdout.write(text);
    }
  }
}

export async function load(ctx: CommandContext): Promise<number> {
  const { io, flags } = ctx;
  const input = flags.string('input');
  if (!input && io.terminal?.stdin) throw new CliError('requested load from stdin, but stdin is empty', 1);
  const archive = input ? await readClientFile(ctx, input) : await readStdin(ctx);
  try {
    // docker/cli asks for no progress when its output is not a terminal.
    const messages = await ctx.api.imageLoad(byteSource(archive), { quiet: flags.bool('quiet') || !io.terminal?.stdout });
    await display(ctx, messages);
    return 0;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(daemonMessage(e), 1);
  }
}

export async function importCommand(ctx: CommandContext): Promise<number> {
  const [source = '', reference] = ctx.args;
  if (reference) {
    try {
      parseDockerRef(reference);
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
  }
  const remote = /^https?:\/\//.test(source);
  const bytes = source === '-' ? await readStdin(ctx) : remote ? new Uint8Array(0) : await readClientFile(ctx, source);
  const colon = reference ? reference.lastIndexOf(':') : -1;
  const tagged = reference && colon > reference.lastIndexOf('/');
  try {
    const { Id } = await ctx.api.imageImport(byteSource(bytes), {
      // docker/cli sends a file as the request body, named `-` as stdin is.
      fromSrc: remote ? source : '-',
      ...(reference ? { repo: tagged ? reference.slice(0, colon) : reference } : {}),
      ...(tagged ? { tag: reference!.slice(colon + 1) } : {}),
      ...(ctx.flags.string('message') ? { message: ctx.flags.string('message') } : {}),
      changes: ctx.flags.list('change'),
      ...(ctx.flags.string('platform') ? { platform: ctx.flags.string('platform') } : {}),
    });
    await ctx.io.stdout.write(`${Id}\n`);
    return 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
}
