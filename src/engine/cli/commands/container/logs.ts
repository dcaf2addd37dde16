// `docker logs [-f] [-t] [--tail N] [--since T] [--until T] CONTAINER`: the container's output as
// the daemon streams it (one log line per frame), stdout and stderr to the client's matching
// streams; each write waits for the client, so memory stays bounded whatever the log's size.
import { goTime } from '../../../container/record.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';
import { parseTimestamp } from '../../time.ts';

/** RFC 3339 with nanoseconds, as `docker logs -t` prints it. */
function timestamp(ms: number): string {
  return goTime(ms).replace(/(\.\d+)?Z$/, (_m, f: string | undefined) => `${(f ?? '.').padEnd(10, '0')}Z`);
}

export async function logs(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const now = ctx.engine.now();
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
    if (timestamps) await target.write(`${timestamp(frame.time ?? 0)} `);
    await target.write(frame.data);
  }
  return 0;
}
