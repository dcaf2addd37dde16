// Commands that look inside a container through the guest: top (its processes), diff (its
// changes against the image), port (its published ports, from the record).
import { resolveInTree } from '../../../container/launch.ts';
import { GuestPaths } from '../../../container/runtime.ts';
import { containerTop } from '../../../container/top.ts';
import { portMap } from '../../../container/views.ts';
import { tabwrite } from '../../format/tabwriter.ts';
import { formatPorts } from '../../format/port-events.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

/** Paths Docker leaves out of `docker diff` (set up by the runtime, not by the container). */
const DIFF_EXCLUDED = new Set(['/etc/hosts', '/etc/hostname', '/etc/resolv.conf', '/.dockerenv', '/dev', '/proc', '/sys']);

export async function top(ctx: CommandContext): Promise<number> {
  const { engine } = ctx;
  const [ref = '', ...psArgs] = ctx.args;
  try {
    const record = engine.containers.registry.get(ref);
    // The CLI sends the options as one `ps_args` string; the daemon splits it again.
    const { Titles, Processes } = await containerTop(engine.runtime, record, psArgs.join(' '));
    const rows = [Titles, ...Processes].map((row) => row.join('\t') + '\n').join('');
    await ctx.io.stdout.write(tabwrite(rows, { minwidth: 20, tabwidth: 1, padding: 3, padchar: ' ' }));
    return 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
}

export async function diff(ctx: CommandContext): Promise<number> {
  const { engine } = ctx;
  try {
    const record = engine.containers.registry.get(ctx.args[0]!);
    const rootfs = await engine.trees.get(record.Image);
    const upper = `${GuestPaths.bundle(record.Id)}/upper`;
    const r = await engine.runtime.run(['/bin/sh', '-c', 'cd "$1" 2>/dev/null || exit 0; find .; echo ---; find . -type c', 'slipway-diff', upper]);
    const [all = '', whiteouts = ''] = r.stdout.split('---\n');
    const deleted = new Set(whiteouts.split('\n').filter(Boolean).map((p) => p.slice(1)));
    const paths = new Set(all.split('\n').filter(Boolean).map((x) => x.slice(1)));
    // Changes from earlier boots live in stored diffs below this boot's upper dir.
    for (const c of await engine.containers.storedChanges(record)) {
      if (paths.has(c.path)) continue;
      paths.add(c.path);
      if (c.deleted) deleted.add(c.path);
    }
    const changes: [kind: string, path: string][] = [];
    for (const p of [...paths].sort()) {
      if (!p || DIFF_EXCLUDED.has(p) || [...DIFF_EXCLUDED].some((x) => p.startsWith(`${x}/`))) continue;
      const lower = resolveInTree(rootfs, p);
      changes.push([deleted.has(p) ? 'D' : lower ? 'C' : 'A', p]);
    }
    // A directory the runtime only touched (mount points of /etc/hosts…) is not a change.
    const lines = changes
      .filter(([kind, p]) => kind !== 'C' || resolveInTree(rootfs, p)?.type !== 'dir' || changes.some(([, q]) => q.startsWith(`${p}/`)))
      .map(([kind, p]) => `${kind} ${p}`);
    if (lines.length) await ctx.io.stdout.write(lines.join('\n') + '\n');
    return 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
}

export async function port(ctx: CommandContext): Promise<number> {
  const [ref = '', privatePort] = ctx.args;
  let record;
  try {
    record = ctx.engine.containers.registry.get(ref);
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
  const key = privatePort;
  const text = formatPorts(portMap(record) as never, key);
  if (text === null) throw new CliError(`Error: No public port '${key}' published for ${ref}`, 1);
  if (text) await ctx.io.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return 0;
}
