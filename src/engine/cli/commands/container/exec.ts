// `docker exec [-d] [-i] [-t] [-u USER] [-w DIR] [-e K=V] CONTAINER COMMAND [ARG...]`: a process
// in a running container through `crun exec`, attached like `docker run`.
import { execProcess } from '../../../container/launch.ts';
import { GuestPaths } from '../../../container/runtime.ts';
import { guards } from '../../../container/state.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';
import { DetachKeyFilter, detachKeysOrDefault } from '../../attach.ts';

let execCounter = 0;

export async function exec(ctx: CommandContext): Promise<number> {
  const { flags, io, engine } = ctx;
  const [ref = '', ...args] = ctx.args;
  const tty = flags.bool('tty');
  const interactive = flags.bool('interactive');
  const detach = flags.bool('detach');
  if (interactive && tty && !detach && io.terminal && !io.terminal.stdin) throw new CliError('the input device is not a TTY', 1);
  let proc;
  try {
    const record = engine.containers.registry.get(ref);
    const refused = guards.exec(record.State, record.Id);
    if (refused) throw refused;
    const size = tty && io.terminal ? { rows: io.terminal.rows, cols: io.terminal.cols } : undefined;
    const process = await execProcess(engine.containers.launchDeps, record, {
      args,
      env: flags.list('env'),
      user: flags.string('user'),
      workdir: flags.string('workdir'),
      tty,
      privileged: flags.bool('privileged'),
      size,
    });
    const execId = `${Date.now().toString(36)}${(execCounter++).toString(36)}`;
    const path = `${GuestPaths.shared(record.Id)}/exec-${execId}.json`;
    await engine.guest.files.write(path, new TextEncoder().encode(JSON.stringify(process)));
    if (interactive) io.openStdin?.({ raw: tty && (io.terminal?.stdin ?? false) });
    proc = await engine.runtime.exec(record.Id, `${GuestPaths.sharedInGuest(record.Id)}/exec-${execId}.json`, tty, execId);
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  if (detach) {
    proc.stdin.end();
    return 0;
  }
  const decoder = new TextDecoder();
  let crunError = '';
  const out = (async () => {
    for await (const chunk of proc.stdout) await io.stdout.write(chunk);
  })();
  const err = (async () => {
    for await (const chunk of proc.stderr) {
      const text = decoder.decode(chunk, { stream: true });
      // crun's own failure (before the process ran): its message, then exit status 255.
      if (/^(crun: )?executable file `|^crun: /.test(text) || crunError) crunError += text;
      else await io.stderr.write(chunk);
    }
  })();
  if (tty) {
    void proc.console.then(() => io.terminal && proc.resize(io.terminal.rows, io.terminal.cols));
  }
  const resize = tty ? io.onResize?.((r, c) => proc.resize(r, c)) : undefined;
  // Ctrl-P Ctrl-Q (or --detach-keys) leaves an -it process running, as for `docker attach`.
  let leave!: () => void;
  const left = new Promise<'detached'>((resolve) => (leave = () => resolve('detached')));
  if (interactive) {
    io.openStdin?.({ raw: tty && (io.terminal?.stdin ?? false) });
    const filter = new DetachKeyFilter(tty ? detachKeysOrDefault(flags.string('detach-keys')) : new Uint8Array(0));
    void (async () => {
      if (tty) await proc.console;
      for await (const chunk of io.stdin!) {
        const { data, detached } = filter.feed(chunk);
        if (data.length) await proc.stdin.write(data).catch(() => undefined);
        if (detached) return leave();
      }
      if (!tty) proc.stdin.end();
    })().catch(() => undefined); // the process or the client went away: nothing left to feed
  } else {
    proc.stdin.end();
  }
  const ended = await Promise.race([Promise.all([proc.exited, out, err]), left]);
  resize?.dispose();
  if (ended === 'detached') {
    await io.stderr.write(io.terminal?.stdin ? 'read escape sequence\r\n' : 'read escape sequence\n');
    return 1;
  }
  const [status] = ended;
  const code = status.signal ? 128 + status.signal : status.code;
  if (crunError) {
    const m = /executable file `([^`]*)` not found/.exec(crunError);
    if (m) {
      await io.stderr.write(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${m[1]}": executable file not found in $PATH: unknown\n`);
      return 127;
    }
    await io.stderr.write(`OCI runtime exec failed: exec failed: unable to start container process: ${crunError.replace(/^crun: /, '').trim()}: unknown\n`);
    return 126;
  }
  return code;
}
