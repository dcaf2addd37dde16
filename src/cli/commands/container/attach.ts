// `docker attach CONTAINER`: the container's output and (unless --no-stdin) its stdin, until it
// exits (its code) or the detach keys.
import { attachedSession, escapeSequenceNotice } from '../../attach.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

interface AttachTarget {
  Id: string;
  Config: { Tty: boolean; OpenStdin: boolean };
  State: { Running: boolean; Paused: boolean; Restarting: boolean };
}

export async function attach(ctx: CommandContext): Promise<number> {
  const { api, io } = ctx;
  const waiting = new AbortController();
  try {
    const ref = ctx.args[0]!;
    // docker/cli's attach checks the state itself before it attaches (the texts are moby's).
    const c = (await api.containerInspect(ref)) as unknown as AttachTarget;
    const refused = !c.State.Running
      ? 'You cannot attach to a stopped container, start it first'
      : c.State.Paused
        ? `container ${ref} is paused, unpause the container before attach`
        : c.State.Restarting
          ? `container ${ref} is restarting, wait until the container is running`
          : null;
    if (refused) throw new CliError(`Error response from daemon: ${refused}`, 1);
    const tty = c.Config.Tty;
    const stdin = !ctx.flags.bool('no-stdin') && c.Config.OpenStdin;
    const detachKeys = ctx.flags.string('detach-keys');
    const streams = await api.containerAttach(c.Id, { stream: true, stdin, stdout: true, stderr: true, ...(detachKeys ? { detachKeys } : {}) });
    const exit = api.containerWait(c.Id, { condition: 'not-running' }, waiting.signal);
    void exit.catch(() => undefined);
    const end = await attachedSession(io, streams, {
      stdin,
      resize: (rows, cols) => api.containerResize(c.Id, { h: rows, w: cols }),
      resizeNow: true,
      ...(ctx.flags.bool('sig-proxy') && !tty ? { sigProxy: (signo: number) => void api.containerKill(c.Id, { signal: String(signo) }).catch(() => undefined) } : {}),
    });
    if (end === 'detached') {
      await io.stderr.write(escapeSequenceNotice(io));
      return 1;
    }
    return end === 'exited' ? (await exit).StatusCode : 0;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(daemonMessage(e), 1);
  } finally {
    waiting.abort();
  }
}
