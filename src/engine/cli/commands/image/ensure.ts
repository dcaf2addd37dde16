// The image a `run`/`create` needs: local, or pulled first with Docker's "Unable to find image"
// line and pull progress on stderr.
import type { ResolvedImage } from '../../../container/service.ts';
import { DaemonError } from '../../../container/state.ts';
import { ProgressRenderer } from '../../../image/progress.ts';
import { pullImage, PullError } from '../../../image/pull.ts';
import { familiarString, parseDockerRef } from '../../../image/reference.ts';
import type { Platform } from '../../../image/oci.ts';
import { imagePlatform, platformMismatch } from '../../../image/platform.ts';
import type { CommandContext } from '../../context.ts';
import { OrderedWrites } from '../../../../lib/ordered-writes.ts';

export async function ensureImage(
  ctx: CommandContext,
  ref: string,
  pull: 'missing' | 'always' | 'never',
  quiet: boolean,
  platform?: Platform,
): Promise<ResolvedImage> {
  const { images } = ctx.engine;
  const local = pull === 'always' ? undefined : await images.resolve(ref);
  // moby's create looks the image up for the platform asked for: another one is "not found".
  const mismatch = local && platform ? platformMismatch(ref, imagePlatform(local.config), platform) : undefined;
  if (local && !mismatch) return { id: local.id, config: local.config };
  const named = parseDockerRef(ref);
  const display = familiarString(named);
  if (pull === 'never') throw mismatch ?? new DaemonError(`No such image: ${display}`, 'notFound');
  if (pull === 'missing' && !quiet) await ctx.io.stderr.write(`Unable to find image '${display}' locally\n`);
  const tty = ctx.io.terminal?.stderr ?? false;
  const renderer = new ProgressRenderer({ tty, width: ctx.io.terminal?.cols ?? 80 });
  const output = new OrderedWrites();
  try {
    const result = await pullImage(images, ctx.engine.catalogue, named, {
      platform,
      onProgress: (event) => {
        if (quiet) return;
        const text = renderer.render(event);
        if (text) output.push(() => ctx.io.stderr.write(text));
      },
    });
    await output.settled();
    // The create after the pull looks the image up for the platform again (moby pulls what the
    // platform list allows: linux/amd64 takes linux/386).
    const pulled = platform ? platformMismatch(ref, imagePlatform(result.image.config), platform) : undefined;
    if (pulled) throw pulled;
    return { id: result.image.id, config: result.image.config };
  } catch (e) {
    await output.settled();
    if (e instanceof PullError && e.hint) throw new DaemonError(`${e.message}\n${e.hint}`, 'notFound');
    throw e;
  }
}
