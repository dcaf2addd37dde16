// Pulling as the CLI does it: POST /images/create's progress messages rendered as docker/cli's
// jsonmessage display; and the image a `run`/`create` needs, pulled first with Docker's "Unable to
// find image" line when the daemon says it has none (for the platform asked for).
import { ProgressRenderer } from '../../format/progress.ts';
import { familiarString, parseDockerRef } from '../../../lib/reference.ts';
import { isNotFound } from '../../errors.ts';
import type { ByteSink } from '../../../protocol/guest/port.ts';
import type { CommandContext } from '../../context.ts';

/** An error the daemon sent inside the progress stream: docker prints it as it is. */
export class PullStreamError extends Error {
  override name = 'PullStreamError';
}

/**
 * Pulls `ref`, printing progress on `out` unless quiet. The daemon's refusal before the stream
 * started is thrown as it came; an error inside the stream as a PullStreamError (printed as is).
 */
export async function pullWithProgress(ctx: CommandContext, ref: string, out: Pick<ByteSink, 'write'>, options: { quiet: boolean; tty: boolean; platform?: string }): Promise<void> {
  const renderer = new ProgressRenderer({ tty: options.tty, width: ctx.io.terminal?.cols ?? 80 });
  for await (const message of ctx.api.imagePull({ fromImage: ref, ...(options.platform ? { platform: options.platform } : {}) })) {
    if (message.error !== undefined) throw new PullStreamError(message.error);
    if (options.quiet) continue;
    const text = renderer.render({ status: message.status ?? '', ...(message.id !== undefined ? { id: message.id } : {}), ...(message.progressDetail ? { progressDetail: message.progressDetail } : {}) });
    if (text) await out.write(text);
  }
}

/** The daemon has no image by that name (or none of that platform): the CLI may pull it. */
function imageMissing(e: unknown): boolean {
  // Not found, and about the image ("No such image", or an image error: none for that platform),
  // not about a network or a volume the request names.
  return isNotFound(e) && e instanceof Error && (e.message.startsWith('No such image:') || /^image with reference .* was found but its platform/.test(e.message));
}

/** docker/cli's createContainer: create; on "No such image", pull (unless --pull never) and retry. */
export async function createWithPull<T>(
  ctx: CommandContext,
  ref: string,
  options: { pull: 'missing' | 'always' | 'never'; quiet: boolean; platform?: string },
  create: () => Promise<T>,
): Promise<T> {
  const display = familiarString(parseDockerRef(ref));
  const pullNow = () => pullWithProgress(ctx, ref, ctx.io.stderr, { quiet: options.quiet, tty: ctx.io.terminal?.stderr ?? false, platform: options.platform });
  if (options.pull === 'always') await pullNow();
  try {
    return await create();
  } catch (e) {
    if (!imageMissing(e) || options.pull !== 'missing') throw e;
  }
  if (!options.quiet) await ctx.io.stderr.write(`Unable to find image '${display}' locally\n`);
  await pullNow();
  return create();
}
