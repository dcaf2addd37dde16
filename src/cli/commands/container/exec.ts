// `docker exec [-d] [-i] [-t] [-u USER] [-w DIR] [-e K=V] CONTAINER COMMAND [ARG...]`: exec create,
// then start attached like `docker run` (or detached), and the exit code from exec inspect.
import { attachedSession, escapeSequenceNotice } from '../../attach.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';
import type { AttachedStreams } from '../../../engine/api/types.ts';

export async function exec(ctx: CommandContext): Promise<number> {
  const { flags, io, api } = ctx;
  const [ref = '', ...args] = ctx.args;
  const tty = flags.bool('tty');
  const interactive = flags.bool('interactive');
  const detach = flags.bool('detach');
  if (interactive && tty && !detach && io.terminal && !io.terminal.stdin) throw new CliError('the input device is not a TTY', 1);
  const detachKeys = flags.string('detach-keys');
  const consoleSize: [number, number] | null = tty && io.terminal ? [io.terminal.rows, io.terminal.cols] : null;
  let execId: string;
  let streams: AttachedStreams | null;
  try {
    ({ Id: execId } = await api.execCreate(ref, {
      AttachStdin: interactive && !detach,
      AttachStdout: !detach,
      AttachStderr: !detach,
      Tty: tty,
      ConsoleSize: consoleSize,
      Env: flags.list('env'),
      Cmd: args,
      Privileged: flags.bool('privileged'),
      User: flags.string('user'),
      WorkingDir: flags.string('workdir'),
      ...(detachKeys ? { DetachKeys: detachKeys } : {}),
    }));
    if (interactive && !detach) io.openStdin?.({ raw: tty && (io.terminal?.stdin ?? false) });
    streams = await api.execStart(execId, { Detach: detach, Tty: tty, ConsoleSize: consoleSize });
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  if (!streams) return 0;
  const end = await attachedSession(io, streams, {
    stdin: interactive,
    resize: (rows, cols) => api.execResize(execId, { h: rows, w: cols }),
  });
  if (end === 'detached') {
    // Ctrl-P Ctrl-Q (or --detach-keys) leaves an -it process running, as for `docker attach`.
    await io.stderr.write(escapeSequenceNotice(io));
    return 1;
  }
  if (end !== 'exited') return 0;
  return (await api.execInspect(execId)).ExitCode ?? 0;
}
