// `docker images` / `docker image ls`, `docker history`, `docker tag`, `docker rmi`, `docker pull`.
import { formatHistory, type HistoryItem } from '../../format/history.ts';
import { formatImages, type ImageSummary } from '../../format/image.ts';
import { parseDockerRef, referenceString } from '../../../lib/reference.ts';
import type { ImageDeleteResponseItem } from '../../../engine/api/types.ts';
import { daemonMessage, filtersOf, forEachArg, writeFormatted, type CommandContext } from '../../context.ts';
import { pullWithProgress } from './ensure.ts';
import { CliError } from '../../io.ts';


export async function images(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  let list: ImageSummary[];
  try {
    const filters = filtersOf(flags.list('filter'));
    // docker/cli: the positional argument is a reference filter.
    if (ctx.args[0]) (filters.reference ??= []).push(ctx.args[0]);
    list = (await ctx.api.imageList({ filters })) as unknown as ImageSummary[];
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(daemonMessage(e), 1);
  }
  return writeFormatted(ctx, () =>
    formatImages(list, { format: flags.string('format'), quiet: flags.bool('quiet'), digests: flags.bool('digests'), noTrunc: flags.bool('no-trunc'), now: new Date(ctx.now()) }),
  );
}

export async function history(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  let items: HistoryItem[];
  try {
    items = (await ctx.api.imageHistory(ctx.args[0]!)) as unknown as HistoryItem[];
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  return writeFormatted(ctx, () =>
    formatHistory(items, { format: flags.string('format'), quiet: flags.bool('quiet'), human: flags.changed('human') ? flags.bool('human') : true, noTrunc: flags.bool('no-trunc'), now: new Date(ctx.now()) }),
  );
}

export async function tag(ctx: CommandContext): Promise<number> {
  const [source = '', target = ''] = ctx.args;
  try {
    await ctx.api.imageTag(source, target);
    return 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
}

export async function rmi(ctx: CommandContext): Promise<number> {
  const force = ctx.flags.bool('force');
  return forEachArg(ctx, async (ref) => formatDeleteResponses((await ctx.api.imageRemove(ref, { force })) as never).replace(/\n$/, ''));
}

export async function pull(ctx: CommandContext): Promise<number> {
  const { io, flags } = ctx;
  const given = ctx.args[0]!;
  let named;
  try {
    named = parseDockerRef(given);
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  const quiet = flags.bool('quiet');
  if (!given.includes(':') && !given.includes('@') && !flags.bool('all-tags') && !quiet) await io.stdout.write('Using default tag: latest\n');
  try {
    // The daemon parses --platform (the client sends it as typed).
    await pullWithProgress(ctx, referenceString(named), io.stdout, { quiet, tty: io.terminal?.stdout ?? false, platform: flags.string('platform') || undefined });
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  await io.stdout.write(`${referenceString(named)}\n`);
  return 0;
}

/** `docker rmi` output: one `Untagged: …` or `Deleted: …` line per record. */
export function formatDeleteResponses(records: readonly ImageDeleteResponseItem[]): string {
  return records.map((r) => ('Untagged' in r ? `Untagged: ${r.Untagged}\n` : `Deleted: ${r.Deleted}\n`)).join('');
}
