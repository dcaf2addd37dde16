// `docker images` / `docker image ls`, `docker history`, `docker tag`, `docker rmi`, `docker pull`.
import { FormatError } from '../../format/formatter.ts';
import { formatHistory, type HistoryItem } from '../../format/history.ts';
import { formatImages, type ImageSummary } from '../../format/image.ts';
import { ProgressRenderer } from '../../../image/progress.ts';
import { pullImage, PullError } from '../../../image/pull.ts';
import { parsePlatform } from '../../../image/platform.ts';
import { familiarString, parseDockerRef, referenceString } from '../../../image/reference.ts';
import { formatDeleteResponses } from '../../../image/store/remove.ts';
import { daemonMessage, forEachArg, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';
import { OrderedWrites } from '../../../../lib/ordered-writes.ts';

async function writeFormatted(ctx: CommandContext, render: () => string): Promise<number> {
  try {
    await ctx.io.stdout.write(render());
    return 0;
  } catch (e) {
    if (e instanceof FormatError) throw new CliError(e.message, e.exitCode);
    throw e;
  }
}

export async function images(ctx: CommandContext): Promise<number> {
  const { flags, engine } = ctx;
  let list = (await engine.images.list()) as unknown as ImageSummary[];
  const refFilter = ctx.args[0];
  const filters = flags.list('filter');
  const matchRef = (pattern: string, tags: readonly string[]) => {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.')}(:.*)?$`);
    return tags.some((t) => re.test(t) || re.test(t.replace(/:[^:/]*$/, '')));
  };
  if (refFilter) list = list.filter((i) => matchRef(refFilter, (i.RepoTags ?? []).map((t) => familiarString(parseDockerRef(t)))));
  for (const f of filters) {
    const [key = '', value = ''] = f.split('=', 2);
    if (key === 'dangling') list = list.filter((i) => ((i.RepoTags ?? []).length === 0) === (value === 'true' || value === '1'));
    else if (key === 'reference') list = list.filter((i) => matchRef(value, (i.RepoTags ?? []).map((t) => familiarString(parseDockerRef(t)))));
    else if (key === 'label') list = list.filter((i) => value.split('=')[0]! in (i.Labels ?? {}));
    else throw new CliError(`Error response from daemon: invalid filter '${key}'`, 1);
  }
  return writeFormatted(ctx, () =>
    formatImages(list, { format: flags.string('format'), quiet: flags.bool('quiet'), digests: flags.bool('digests'), noTrunc: flags.bool('no-trunc'), now: new Date(engine.now()) }),
  );
}

export async function history(ctx: CommandContext): Promise<number> {
  const { flags, engine } = ctx;
  let items: HistoryItem[];
  try {
    items = (await engine.images.history(ctx.args[0]!)) as unknown as HistoryItem[];
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  return writeFormatted(ctx, () =>
    formatHistory(items, { format: flags.string('format'), quiet: flags.bool('quiet'), human: flags.changed('human') ? flags.bool('human') : true, noTrunc: flags.bool('no-trunc'), now: new Date(engine.now()) }),
  );
}

export async function tag(ctx: CommandContext): Promise<number> {
  const [source = '', target = ''] = ctx.args;
  try {
    await ctx.engine.images.tag(source, target);
    return 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
}

export async function rmi(ctx: CommandContext): Promise<number> {
  const force = ctx.flags.bool('force');
  return forEachArg(ctx, async (ref) => formatDeleteResponses(await ctx.engine.images.remove(ref, { force })).replace(/\n$/, ''));
}

export async function pull(ctx: CommandContext): Promise<number> {
  const { io, engine, flags } = ctx;
  const given = ctx.args[0]!;
  let named;
  try {
    named = parseDockerRef(given);
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  const quiet = flags.bool('quiet');
  if (!given.includes(':') && !given.includes('@') && !flags.bool('all-tags') && !quiet) await io.stdout.write('Using default tag: latest\n');
  // The daemon parses --platform (the client sends it as typed).
  let platform;
  try {
    platform = flags.string('platform') ? parsePlatform(flags.string('platform')) : undefined;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  const renderer = new ProgressRenderer({ tty: io.terminal?.stdout ?? false, width: io.terminal?.cols ?? 80 });
  const output = new OrderedWrites();
  try {
    await pullImage(engine.images, engine.catalogue, named, {
      platform,
      onProgress: (event) => {
        if (quiet) return;
        const text = renderer.render(event);
        if (text) output.push(() => io.stdout.write(text));
      },
    });
    await output.settled();
  } catch (e) {
    await output.settled();
    const hint = e instanceof PullError && e.hint ? `\n${e.hint}` : '';
    throw new CliError(daemonMessage(e) + hint, 1);
  }
  await io.stdout.write(`${referenceString(named)}\n`);
  return 0;
}
