// `docker logs [-f] [-t] [--tail N] [--since T] [--until T] CONTAINER`: the container's output as
// recorded by the engine, stdout and stderr to the client's matching streams, one log line at a time.
import type { LogEntry } from '../../../container/logs.ts';
import { goTime } from '../../../container/record.ts';
import type { CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';
import { parseTimestamp } from '../../time.ts';

interface Line {
  stream: LogEntry['stream'];
  time: number;
  data: Uint8Array;
}

/** Splits chunks into lines (a line keeps its newline); partial lines stay with their chunk time. */
function toLines(entries: readonly LogEntry[]): Line[] {
  const lines: Line[] = [];
  for (const e of entries) {
    let start = 0;
    for (let i = 0; i < e.data.length; i++) {
      if (e.data[i] === 0x0a) {
        lines.push({ stream: e.stream, time: e.time, data: e.data.subarray(start, i + 1) });
        start = i + 1;
      }
    }
    if (start < e.data.length) lines.push({ stream: e.stream, time: e.time, data: e.data.subarray(start) });
  }
  return lines;
}

export async function logs(ctx: CommandContext): Promise<number> {
  const { flags, io, engine } = ctx;
  const record = engine.containers.registry.get(ctx.args[0]!);
  const now = engine.now();
  const since = flags.string('since') ? parseTimestamp(flags.string('since'), now) : -Infinity;
  const until = flags.string('until') ? parseTimestamp(flags.string('until'), now) : Infinity;
  const tailText = flags.string('tail') || 'all';
  const tailNumber = tailText === 'all' ? Infinity : Number(tailText);
  // A negative --tail is all of it, as in moby.
  const tail = tailNumber < 0 ? Infinity : tailNumber;
  if (!Number.isInteger(tail) && tail !== Infinity) throw new CliError(`Error response from daemon: invalid value for "tail": ${JSON.stringify(tailText)}`, 1);
  const timestamps = flags.bool('timestamps');
  const tty = record.Config.Tty;
  const log = await engine.containers.readLog(record.Id);

  const write = async (line: Line) => {
    if (line.time < since || line.time > until) return;
    const target = line.stream === 'stderr' && !tty ? io.stderr : io.stdout;
    if (timestamps) await target.write(`${goTime(line.time).replace(/(\.\d+)?Z$/, (m, f: string | undefined) => `${(f ?? '.').padEnd(10, '0')}Z`)} `);
    await target.write(line.data);
  };

  const follow = flags.bool('follow') && record.State.Running;
  let wake: (() => void) | null = null;
  let ended = false;
  let disconnected = false;
  const subscription = follow
    ? log.follow((entry) => {
        if (!entry) ended = true;
        wake?.();
      })
    : null;
  void io.disconnected?.then(() => {
    disconnected = true;
    wake?.();
  });
  try {
    // The log is read as a stream from where --tail and --since start it: memory stays bounded
    // whatever its size, and each write waits for the client.
    let { from: next, skipLines } = log.startFor(tail, since);
    for (;;) {
      for await (const [seq, entry] of log.read(next)) {
        next = seq + 1;
        for (const line of toLines([entry])) {
          if (skipLines > 0) skipLines--;
          else await write(line);
        }
        if (disconnected) return 0;
      }
      if (!subscription || disconnected || (ended && next >= log.length)) return 0;
      if (next >= log.length && !ended) await new Promise<void>((r) => (wake = r));
      wake = null;
    }
  } finally {
    subscription?.dispose();
  }
}
