// `docker start [-a] [-i] CONTAINER...`: without -a, start each and echo it; with -a/-i (one
// container only), attach like `docker run` does and exit with the container's code.
import { attachSession, detachKeysOrDefault, outputForwarder } from '../../attach.ts';
import { daemonMessage, forEachArgInParallel, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

export async function start(ctx: CommandContext): Promise<number> {
  const attach = ctx.flags.bool('attach');
  const interactive = ctx.flags.bool('interactive');
  if (!attach && !interactive) return forEachArgInParallel(ctx, async (ref) => (await ctx.engine.containers.start(ref), ref));
  if (ctx.args.length > 1) throw new CliError('you cannot start and attach multiple containers at once', 1);
  const containers = ctx.engine.containers;
  try {
    const record = containers.registry.get(ctx.args[0]!);
    const tty = record.Config.Tty;
    const forwarder = outputForwarder(ctx.io, { stdout: true, stderr: true, tty });
    const size = tty && ctx.io.terminal ? { rows: ctx.io.terminal.rows, cols: ctx.io.terminal.cols } : undefined;
    if (interactive && record.Config.OpenStdin) ctx.io.openStdin?.({ raw: tty && (ctx.io.terminal?.stdin ?? false) });
    const live = await containers.start(record.Id, { size, attach: forwarder.listener });
    const end = await attachSession(ctx.io, live, {
      stdin: interactive && record.Config.OpenStdin,
      stdout: true,
      stderr: true,
      tty,
      stdinOnce: record.Config.StdinOnce,
      detachKeys: detachKeysOrDefault(ctx.flags.string('detach-keys')),
      ...(!tty ? { sigProxy: (signo: number) => void containers.kill(record.Id, signo).catch(() => undefined) } : {}),
    }, forwarder);
    return end === 'exited' ? await live.stopped : 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
}
