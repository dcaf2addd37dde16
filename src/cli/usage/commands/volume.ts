// `docker volume …` descriptors (docker/cli cli/command/volume, v28): flag tables as the help pages
// show them (test/golden/help/volume-*.txt), plus the hidden `--name` of `volume create` and the
// parse-time checks docker/cli's option types make (labels, `--filter name=value`).
import { validateLabel } from '../../opts/options-validators.ts';
import { validateFilter } from '../../opts/filters.ts';
import type { CommandDescriptor } from '../types.ts';

export const volumeCommands: readonly CommandDescriptor[] = [
  {
    path: ['volume', 'create'],
    usage: 'docker volume create [OPTIONS] [VOLUME]',
    short: 'Create a volume',
    args: { min: 0, max: 1 },
    flags: [
      { name: 'availability', kind: 'string', usage: 'Cluster Volume availability ("active", "pause", "drain")', defaultText: '"active"' },
      { name: 'driver', short: 'd', kind: 'string', usage: 'Specify volume driver name', defaultText: '"local"' },
      { name: 'group', kind: 'string', usage: 'Cluster Volume group (cluster volumes)' },
      { name: 'label', kind: 'list', usage: 'Set metadata for a volume', validate: validateLabel },
      { name: 'name', kind: 'string', usage: 'Specify volume name', hidden: true },
      { name: 'limit-bytes', kind: 'bytes', usage: 'Minimum size of the Cluster Volume in bytes' },
      { name: 'opt', short: 'o', kind: 'map', usage: 'Set driver specific options', defaultText: 'map[]' },
      { name: 'required-bytes', kind: 'bytes', usage: 'Maximum size of the Cluster Volume in bytes' },
      { name: 'scope', kind: 'string', usage: 'Cluster Volume access scope ("single", "multi")', defaultText: '"single"' },
      { name: 'secret', kind: 'map', usage: 'Cluster Volume secrets', defaultText: 'map[]' },
      { name: 'sharing', kind: 'string', usage: 'Cluster Volume access sharing ("none", "readonly", "onewriter", "all")', defaultText: '"none"' },
      { name: 'topology-preferred', kind: 'list', usage: 'A topology that the Cluster Volume would be preferred in' },
      { name: 'topology-required', kind: 'list', usage: 'A topology that the Cluster Volume must be accessible from' },
      { name: 'type', kind: 'string', usage: 'Cluster Volume access type ("mount", "block")', defaultText: '"block"' },
    ],
  },
  {
    path: ['volume', 'ls'],
    aliases: [['volume', 'list']],
    usage: 'docker volume ls [OPTIONS]',
    short: 'List volumes',
    args: { min: 0, max: 0 },
    flags: [
      { name: 'cluster', kind: 'bool', usage: 'Display only cluster volumes, and use cluster volume list formatting' },
      { name: 'filter', short: 'f', kind: 'list', typeName: 'filter', usage: 'Provide filter values (e.g. "dangling=true")', validate: validateFilter },
      { name: 'format', kind: 'string', usage: 'Format output using a custom template:\n\'table\':            Print output in table format with column headers (default)\n\'table TEMPLATE\':   Print output in table format using the given Go template\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' },
      { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display volume names' },
    ],
  },
  {
    path: ['volume', 'inspect'],
    usage: 'docker volume inspect [OPTIONS] VOLUME [VOLUME...]',
    short: 'Display detailed information on one or more volumes',
    args: { min: 1, max: Infinity },
    flags: [
      { name: 'format', short: 'f', kind: 'string', usage: 'Format output using a custom template:\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' },
    ],
  },
  {
    path: ['volume', 'rm'],
    aliases: [['volume', 'remove']],
    usage: 'docker volume rm [OPTIONS] VOLUME [VOLUME...]',
    short: 'Remove one or more volumes',
    long: 'Remove one or more volumes. You cannot remove a volume that is in use by a container.',
    args: { min: 1, max: Infinity },
    flags: [
      { name: 'force', short: 'f', kind: 'bool', usage: 'Force the removal of one or more volumes' },
    ],
  },
  {
    path: ['volume', 'prune'],
    usage: 'docker volume prune [OPTIONS]',
    short: 'Remove unused local volumes',
    args: { min: 0, max: 0 },
    flags: [
      { name: 'all', short: 'a', kind: 'bool', usage: 'Remove all unused volumes, not just anonymous ones' },
      { name: 'filter', kind: 'list', typeName: 'filter', usage: 'Provide filter values (e.g. "label=<label>")', validate: validateFilter },
      { name: 'force', short: 'f', kind: 'bool', usage: 'Do not prompt for confirmation' },
    ],
  },
];
