// Commands that look inside a container: top (its processes), diff (its changes against the
// image), port (its published ports).
import { tabwrite } from '../../format/tabwriter.ts';
import { formatPorts } from '../../format/port-events.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

export async function top(ctx: CommandContext): Promise<number> {
  const [ref = '', ...psArgs] = ctx.args;
  try {
    // The CLI sends the options as one `ps_args` string; the daemon splits it again.
    const { Titles, Processes } = await ctx.api.containerTop(ref, { psArgs: psArgs.join(' ') });
    const rows = [Titles, ...Processes].map((row) => row.join('\t') + '\n').join('');
    await ctx.io.stdout.write(tabwrite(rows, { minwidth: 20, tabwidth: 1, padding: 3, padchar: ' ' }));
    return 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
}

const KIND_LETTERS = ['C', 'A', 'D'] as const;

export async function diff(ctx: CommandContext): Promise<number> {
  try {
    const changes = await ctx.api.containerChanges(ctx.args[0]!);
    if (changes.length) await ctx.io.stdout.write(changes.map((c) => `${KIND_LETTERS[c.Kind]} ${c.Path}\n`).join(''));
    return 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
}

export async function port(ctx: CommandContext): Promise<number> {
  const [ref = '', privatePort] = ctx.args;
  let ports;
  try {
    ports = ((await ctx.api.containerInspect(ref)).NetworkSettings as { Ports?: unknown }).Ports ?? {};
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  const key = privatePort;
  const text = formatPorts(ports as never, key);
  if (text === null) throw new CliError(`Error: No public port '${key}' published for ${ref}`, 1);
  if (text) await ctx.io.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return 0;
}
