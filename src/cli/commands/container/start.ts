// `docker start [-a] [-i] CONTAINER...`: without -a, start each and echo it; with -a/-i (one
// container only), attach like `docker run` does and exit with the container's code.
import { attachedSession } from '../../attach.ts';
import { daemonMessage, forEachArgInParallel, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

export async function start(ctx: CommandContext): Promise<number> {
  const { api, io } = ctx;
  const attach = ctx.flags.bool('attach');
  const interactive = ctx.flags.bool('interactive');
  if (!attach && !interactive) return forEachArgInParallel(ctx, async (ref) => (await api.containerStart(ref), ref));
  if (ctx.args.length > 1) throw new CliError('you cannot start and attach multiple containers at once', 1);
  const waiting = new AbortController();
  try {
    const inspected = (await api.containerInspect(ctx.args[0]!)) as { Id: string; Config: { Tty: boolean; OpenStdin: boolean } };
    const id = inspected.Id;
    const { Tty: tty, OpenStdin: openStdin } = inspected.Config;
    const stdin = interactive && openStdin;
    if (stdin) io.openStdin?.({ raw: tty && (io.terminal?.stdin ?? false) });
    const detachKeys = ctx.flags.string('detach-keys');
    const streams = await api.containerAttach(id, { stream: true, stdin, stdout: true, stderr: true, ...(detachKeys ? { detachKeys } : {}) });
    const exit = api.containerWait(id, { condition: 'next-exit' }, waiting.signal);
    void exit.catch(() => undefined);
    const resize = (rows: number, cols: number) => api.containerResize(id, { h: rows, w: cols });
    const session = attachedSession(io, streams, {
      stdin,
      resize,
      sigProxy: (signo) => void api.containerKill(id, { signal: String(signo) }).catch(() => undefined),
    });
    try {
      await api.containerStart(id);
    } catch (e) {
      streams.close();
      await session;
      throw e;
    }
    // docker/cli sizes the terminal once the container runs.
    if (tty && io.terminal) void resize(io.terminal.rows, io.terminal.cols).catch(() => undefined);
    const end = await session;
    return end === 'exited' ? (await exit).StatusCode : 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  } finally {
    waiting.abort();
  }
}
