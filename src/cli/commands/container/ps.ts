// `docker ps` / `docker container ls`: the daemon's list (GET /containers/json with all, limit,
// size and filters), in Docker's table or format.
import { formatContainers, type ContainerSummary } from '../../format/container.ts';
import { FormatError } from '../../format/formatter.ts';
import { daemonMessage, filtersOf, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

export async function ps(ctx: CommandContext): Promise<number> {
  const { flags, api } = ctx;
  const limit = flags.bool('latest') ? 1 : flags.changed('last') ? flags.int('last') : -1;
  let summaries: ContainerSummary[];
  try {
    const filters = filtersOf(flags.list('filter'));
    summaries = (await api.containerList({ all: flags.bool('all'), limit, size: flags.bool('size'), filters })) as unknown as ContainerSummary[];
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(daemonMessage(e), 1);
  }
  try {
    await ctx.io.stdout.write(
      formatContainers(summaries, { format: flags.string('format'), quiet: flags.bool('quiet'), size: flags.bool('size'), noTrunc: flags.bool('no-trunc'), now: new Date(ctx.now()) }),
    );
  } catch (e) {
    if (e instanceof FormatError) throw new CliError(e.message, e.exitCode);
    throw e;
  }
  return 0;
}
