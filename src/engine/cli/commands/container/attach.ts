// `docker attach CONTAINER`: the container's output and (unless --no-stdin) its stdin, until it
// exits (its code) or the detach keys.
import { attachSession, detachKeysOrDefault, outputForwarder } from '../../attach.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { DaemonError, guards } from '../../../container/state.ts';
import { CliError } from '../../io.ts';

export async function attach(ctx: CommandContext): Promise<number> {
  const containers = ctx.engine.containers;
  try {
    const ref = ctx.args[0]!;
    const record = containers.registry.get(ref);
    const refused = guards.attach(record.State, ref);
    const live = containers.live(record.Id);
    if (refused || !live) throw refused ?? new DaemonError('You cannot attach to a stopped container, start it first');
    const tty = record.Config.Tty;
    const forwarder = outputForwarder(ctx.io, { stdout: true, stderr: true, tty });
    const sigProxy = ctx.flags.bool('sig-proxy');
    const end = await attachSession(ctx.io, live, {
      stdin: !ctx.flags.bool('no-stdin') && record.Config.OpenStdin,
      stdout: true,
      stderr: true,
      tty,
      stdinOnce: false,
      detachKeys: detachKeysOrDefault(ctx.flags.string('detach-keys')),
      ...(sigProxy && !tty ? { sigProxy: (signo: number) => void containers.kill(record.Id, signo).catch(() => undefined) } : {}),
    }, forwarder);
    if (end === 'detached') {
      // The client restores the terminal only when it exits: return the carriage ourselves.
      await ctx.io.stderr.write(ctx.io.terminal?.stdin ? 'read escape sequence\r\n' : 'read escape sequence\n');
      return 1;
    }
    return end === 'exited' ? await live.stopped : 0;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(daemonMessage(e), 1);
  }
}
