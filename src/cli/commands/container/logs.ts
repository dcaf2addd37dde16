// `docker logs [-f] [-t] [--tail N] [--since T] [--until T] CONTAINER`: the container's output as
// the daemon streams it (one log line per frame), stdout and stderr to the client's matching
// streams (with -t the daemon puts each line's time before it); each write waits for the client, so memory stays bounded whatever the log's size.
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';
import { parseTimestamp } from '../../time.ts';

export async function logs(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const now = ctx.now();
  const since = flags.string('since') ? parseTimestamp(flags.string('since'), now) : undefined;
  const until = flags.string('until') ? parseTimestamp(flags.string('until'), now) : undefined;
  const tailText = flags.string('tail') || 'all';
  const tailNumber = tailText === 'all' ? Infinity : Number(tailText);
  if (!Number.isInteger(tailNumber) && tailNumber !== Infinity) throw new CliError(`Error response from daemon: invalid value for "tail": ${JSON.stringify(tailText)}`, 1);
  const timestamps = flags.bool('timestamps');
  const gone = new AbortController();
  void io.disconnected?.then(() => gone.abort());
  let stream;
  try {
    stream = await ctx.api.containerLogs(
      ctx.args[0]!,
      { follow: flags.bool('follow'), since, until, timestamps, tail: tailNumber === Infinity ? 'all' : tailNumber },
      gone.signal,
    );
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  for await (const frame of stream.frames) {
    const target = frame.stream === 'stderr' && !stream.tty ? io.stderr : io.stdout;
    await target.write(frame.data);
  }
  return 0;
}
