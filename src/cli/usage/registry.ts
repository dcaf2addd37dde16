// Every command Slipway knows, and argv → command resolution through groups and aliases
// (`docker ps` = `docker container ls` = `docker container list` = `docker container ps`).
import { containerCommands } from './commands/container.ts';
import { imageCommands } from './commands/image.ts';
import { miscCommands } from './commands/misc.ts';
import { objectCommands } from './commands/objects.ts';
import { volumeCommands } from './commands/volume.ts';
import type { CommandDescriptor, GroupDescriptor, ResolvedCommand } from './types.ts';

export const commands: readonly CommandDescriptor[] = [
  ...containerCommands,
  ...imageCommands,
  ...objectCommands,
  ...volumeCommands,
  ...miscCommands,
];

/** Management commands. Docker's checkpoint, context, manifest, plugin, trust and swarm ones are left out. */
export const groups: readonly GroupDescriptor[] = [
  { path: ['builder'], short: 'Manage builds' },
  { path: ['compose'], short: 'Docker Compose', plugin: true },
  { path: ['container'], short: 'Manage containers' },
  { path: ['image'], short: 'Manage images' },
  { path: ['network'], short: 'Manage networks' },
  { path: ['system'], short: 'Manage Docker' },
  { path: ['volume'], short: 'Manage volumes' },
];

export type FoundCommand =
  | ({ kind: 'command'; rest: string[] } & ResolvedCommand)
  /** A group alone, a group with an unknown subcommand (rest[0]), or a plugin (rest = its argv). */
  | { kind: 'group'; group: GroupDescriptor; rest: string[] };

interface Route {
  descriptor: CommandDescriptor;
  shownPath: readonly string[];
}

const routes = new Map<string, Route>();
for (const descriptor of commands) {
  for (const path of [descriptor.path, ...(descriptor.aliases ?? [])]) {
    // cobra aliases inside a group resolve to the same command, shown under its canonical name; top-level
    // shortcuts (`docker ps`) and other groups' copies (`docker builder build`) are commands of their own.
    const sameGroup = path.length > 1 && path[0] === descriptor.path[0];
    routes.set(path.join(' '), { descriptor, shownPath: sameGroup ? descriptor.path : path });
  }
}

/** Resolves the command words at the start of argv (global options already removed); undefined if unknown. */
export function findCommand(argv: readonly string[]): FoundCommand | undefined {
  const [first, second] = argv;
  if (first === undefined) return undefined;
  const group = groups.find((g) => g.path[0] === first);
  if (group) {
    const route = group.plugin || second === undefined ? undefined : routes.get(`${first} ${second}`);
    if (!route) return { kind: 'group', group, rest: argv.slice(1) };
    return { kind: 'command', rest: argv.slice(2), ...resolved(route) };
  }
  const route = routes.get(first);
  return route ? { kind: 'command', rest: argv.slice(1), ...resolved(route) } : undefined;
}

function resolved(route: Route): ResolvedCommand {
  const commandPath = ['docker', ...route.shownPath].join(' ');
  const canonical = ['docker', ...route.descriptor.path].join(' ');
  return { descriptor: route.descriptor, commandPath, useLine: commandPath + route.descriptor.usage.slice(canonical.length) };
}

/** The descriptors of a group's subcommands, sorted by name as cobra lists them. */
export function groupCommands(group: GroupDescriptor): CommandDescriptor[] {
  return commands.filter((c) => c.path.length === 2 && c.path[0] === group.path[0]).sort((a, b) => (a.path[1]! < b.path[1]! ? -1 : 1));
}

/** Top-level names (`run`, `ps`, `images`, …) with their descriptors, as `docker --help` lists them. */
export function topLevelCommands(): { name: string; descriptor: CommandDescriptor }[] {
  const out: { name: string; descriptor: CommandDescriptor }[] = [];
  for (const [key, route] of routes) if (!key.includes(' ')) out.push({ name: key, descriptor: route.descriptor });
  return out;
}
