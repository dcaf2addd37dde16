// Help pages in Docker v28's layout (docker/cli cli/cobra.go usageTemplate), wrapped like a terminal of
// `width` columns (the client's window width; 80 when it is not a terminal).
import { globalFlags } from './global-flags.ts';
import { groupCommands, groups, topLevelCommands } from './registry.ts';
import { renderFlagUsages } from './render-flags.ts';
import type { GroupDescriptor, ResolvedCommand } from './types.ts';

export const defaultHelpWidth = 80;

// cobra pads command names to its minimum name padding (every name we list is shorter).
const namePadding = 11;
const row = (name: string, short: string) => `  ${name.padEnd(namePadding + 1)}${short}\n`;
// docker/cli wraps flag usage one column short of the terminal width.
const flagColumns = (width: number) => width - 1;

/** `docker run --help`, `docker help container ls`. */
export function renderCommandHelp(cmd: ResolvedCommand, width = defaultHelpWidth): string {
  const d = cmd.descriptor;
  let out = `Usage:  ${cmd.useLine}\n\n${d.long ?? d.short}\n`;
  if (d.aliases && d.aliases.length > 0) {
    out += `\nAliases:\n  ${[d.path, ...d.aliases].map((p) => ['docker', ...p].join(' ')).join(', ')}\n`;
  }
  if (d.flags.some((f) => !f.hidden)) out += `\nOptions:\n${renderFlagUsages(d.flags, flagColumns(width))}`;
  return out;
}

/** `docker volume`, `docker volume --help`. */
export function renderGroupHelp(group: GroupDescriptor): string {
  const path = `docker ${group.path[0]}`;
  const subs = groupCommands(group)
    .map((c) => row(c.path[1]!, c.short))
    .join('');
  return `Usage:  ${path} COMMAND\n\n${group.short}\n\nCommands:\n${subs}\nRun '${path} COMMAND --help' for more information on a command.\n`;
}

/** `docker --help`, `docker help`: only the commands Slipway has (see test/golden/help/README.md). */
export function renderRootHelp(width = defaultHelpWidth): string {
  const top = topLevelCommands();
  const common = top.filter((c) => c.descriptor.top !== undefined).sort((a, b) => a.descriptor.top! - b.descriptor.top!);
  const plain = top
    .filter((c) => c.descriptor.top === undefined && c.name !== 'help')
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const management = [...groups].sort((a, b) => (a.path[0] < b.path[0] ? -1 : 1));
  return [
    'Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n',
    `\nCommon Commands:\n${common.map((c) => row(c.name, c.descriptor.short)).join('')}`,
    `\nManagement Commands:\n${management.map((g) => row(g.path[0] + (g.plugin ? '*' : ''), g.short)).join('')}`,
    `\nCommands:\n${plain.map((c) => row(c.name, c.descriptor.short)).join('')}`,
    `\nGlobal Options:\n${renderFlagUsages(globalFlags, flagColumns(width))}`,
    "\nRun 'docker COMMAND --help' for more information on a command.\n",
    '\nFor more help on how to use Docker, head to https://docs.docker.com/go/guides/\n',
  ].join('');
}
