// Pulling as the CLI does it: POST /images/create's progress messages rendered as docker/cli's
// jsonmessage display; and the image a `run`/`create` needs, pulled first with Docker's "Unable to
// find image" line when the daemon says it has none.
import { DaemonError } from '../../../container/state.ts';
import { ProgressRenderer } from '../../../image/progress.ts';
import { familiarString, parseDockerRef } from '../../../image/reference.ts';
import type { ByteSink } from '../../../../protocol/guest/port.ts';
import type { CommandContext } from '../../context.ts';

/** Pulls `ref`, printing progress on `out` unless quiet; throws the daemon's error. */
export async function pullWithProgress(ctx: CommandContext, ref: string, out: Pick<ByteSink, 'write'>, options: { quiet: boolean; tty: boolean }): Promise<void> {
  const renderer = new ProgressRenderer({ tty: options.tty, width: ctx.io.terminal?.cols ?? 80 });
  for await (const message of ctx.api.imagePull({ fromImage: ref })) {
    if (message.error !== undefined) throw new DaemonError(message.error, 'notFound');
    if (options.quiet) continue;
    const text = renderer.render({ status: message.status ?? '', ...(message.id !== undefined ? { id: message.id } : {}), ...(message.progressDetail ? { progressDetail: message.progressDetail } : {}) });
    if (text) await out.write(text);
  }
}

/** docker/cli's createContainer: create; on "No such image", pull (unless --pull never) and retry. */
export async function createWithPull<T>(ctx: CommandContext, ref: string, pull: 'missing' | 'always' | 'never', quiet: boolean, create: () => Promise<T>): Promise<T> {
  const named = parseDockerRef(ref);
  const display = familiarString(named);
  const pullNow = () => pullWithProgress(ctx, ref, ctx.io.stderr, { quiet, tty: ctx.io.terminal?.stderr ?? false });
  if (pull === 'always') await pullNow();
  try {
    return await create();
  } catch (e) {
    if (!(e instanceof DaemonError && e.status === 'notFound' && e.message.startsWith('No such image:')) || pull !== 'missing') throw e;
  }
  await ctx.io.stderr.write(`Unable to find image '${display}' locally\n`);
  await pullNow();
  return create();
}
