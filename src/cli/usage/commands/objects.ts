// `docker network|system …` commands (and docker info, docker events); volume.ts has `docker volume`.
// Flag tables mirror Docker v28.2's help pages; test/golden/help/ pins them. Every --filter is
// docker/cli's opts.FilterOpt: a value without '=' is a flag error (exit 125).
import { validateFilter } from '../../opts/filters.ts';
import type { CommandDescriptor } from '../types.ts';

export const objectCommands: readonly CommandDescriptor[] = [
  {
    path: ['system', 'events'],
    aliases: [['events']],
    usage: 'docker system events [OPTIONS]',
    short: 'Get real time events from the server',
    args: { min: 0, max: 0 },
    flags: [
      { name: 'filter', short: 'f', kind: 'list', typeName: 'filter', usage: 'Filter output based on conditions provided', validate: validateFilter },
      { name: 'format', kind: 'string', usage: 'Format output using a custom template:\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' },
      { name: 'since', kind: 'string', usage: 'Show all events created since timestamp' },
      { name: 'until', kind: 'string', usage: 'Stream events until this timestamp' },
    ],
  },
  {
    path: ['system', 'info'],
    aliases: [['info']],
    usage: 'docker system info [OPTIONS]',
    short: 'Display system-wide information',
    args: { min: 0, max: 0 },
    top: 12,
    flags: [
      { name: 'format', short: 'f', kind: 'string', usage: 'Format output using a custom template:\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' },
    ],
  },
  {
    path: ['network', 'create'],
    usage: 'docker network create [OPTIONS] NETWORK',
    short: 'Create a network',
    args: { min: 1, max: 1 },
    flags: [
      { name: 'attachable', kind: 'bool', usage: 'Enable manual container attachment' },
      { name: 'aux-address', kind: 'map', usage: 'Auxiliary IPv4 or IPv6 addresses used by Network driver', defaultText: 'map[]' },
      { name: 'config-from', kind: 'string', usage: 'The network from which to copy the configuration' },
      { name: 'config-only', kind: 'bool', usage: 'Create a configuration only network' },
      { name: 'driver', short: 'd', kind: 'string', usage: 'Driver to manage the Network', defaultText: '"bridge"' },
      { name: 'gateway', kind: 'strings', usage: 'IPv4 or IPv6 Gateway for the master subnet' },
      { name: 'ingress', kind: 'bool', usage: 'Create swarm routing-mesh network' },
      { name: 'internal', kind: 'bool', usage: 'Restrict external access to the network' },
      { name: 'ip-range', kind: 'strings', usage: 'Allocate container ip from a sub-range' },
      { name: 'ipam-driver', kind: 'string', usage: 'IP Address Management Driver', defaultText: '"default"' },
      { name: 'ipam-opt', kind: 'map', usage: 'Set IPAM driver specific options', defaultText: 'map[]' },
      { name: 'ipv4', kind: 'bool', usage: 'Enable or disable IPv4 address assignment', defaultText: 'true' },
      { name: 'ipv6', kind: 'bool', usage: 'Enable or disable IPv6 address assignment' },
      { name: 'label', kind: 'list', usage: 'Set metadata on a network' },
      { name: 'opt', short: 'o', kind: 'map', usage: 'Set driver specific options', defaultText: 'map[]' },
      { name: 'scope', kind: 'string', usage: 'Control the network\'s scope' },
      { name: 'subnet', kind: 'strings', usage: 'Subnet in CIDR format that represents a network segment' },
    ],
  },
  {
    path: ['network', 'ls'],
    aliases: [['network', 'list']],
    usage: 'docker network ls [OPTIONS]',
    short: 'List networks',
    args: { min: 0, max: 0 },
    flags: [
      { name: 'filter', short: 'f', kind: 'list', typeName: 'filter', usage: 'Provide filter values (e.g. "driver=bridge")', validate: validateFilter },
      { name: 'format', kind: 'string', usage: 'Format output using a custom template:\n\'table\':            Print output in table format with column headers (default)\n\'table TEMPLATE\':   Print output in table format using the given Go template\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' },
      { name: 'no-trunc', kind: 'bool', usage: 'Do not truncate the output' },
      { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only display network IDs' },
    ],
  },
  {
    path: ['network', 'inspect'],
    usage: 'docker network inspect [OPTIONS] NETWORK [NETWORK...]',
    short: 'Display detailed information on one or more networks',
    args: { min: 1, max: Infinity },
    flags: [
      { name: 'format', short: 'f', kind: 'string', usage: 'Format output using a custom template:\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' },
      { name: 'verbose', short: 'v', kind: 'bool', usage: 'Verbose output for diagnostics' },
    ],
  },
  {
    path: ['network', 'rm'],
    aliases: [['network', 'remove']],
    usage: 'docker network rm NETWORK [NETWORK...]',
    short: 'Remove one or more networks',
    args: { min: 1, max: Infinity },
    flags: [
      { name: 'force', short: 'f', kind: 'bool', usage: 'Do not error if the network does not exist' },
    ],
  },
  {
    path: ['network', 'connect'],
    usage: 'docker network connect [OPTIONS] NETWORK CONTAINER',
    short: 'Connect a container to a network',
    args: { min: 2, max: 2 },
    flags: [
      { name: 'alias', kind: 'strings', usage: 'Add network-scoped alias for the container' },
      { name: 'driver-opt', kind: 'strings', usage: 'driver options for the network' },
      { name: 'gw-priority', kind: 'int', usage: 'Highest gw-priority provides the default gateway. Accepts positive and negative values.' },
      { name: 'ip', kind: 'string', usage: 'IPv4 address (e.g., "172.30.100.104")' },
      { name: 'ip6', kind: 'string', usage: 'IPv6 address (e.g., "2001:db8::33")' },
      { name: 'link', kind: 'list', usage: 'Add link to another container' },
      { name: 'link-local-ip', kind: 'strings', usage: 'Add a link-local address for the container' },
    ],
  },
  {
    path: ['network', 'disconnect'],
    usage: 'docker network disconnect [OPTIONS] NETWORK CONTAINER',
    short: 'Disconnect a container from a network',
    args: { min: 2, max: 2 },
    flags: [
      { name: 'force', short: 'f', kind: 'bool', usage: 'Force the container to disconnect from a network' },
    ],
  },
  {
    path: ['network', 'prune'],
    usage: 'docker network prune [OPTIONS]',
    short: 'Remove all unused networks',
    args: { min: 0, max: 0 },
    flags: [
      { name: 'filter', kind: 'list', typeName: 'filter', usage: 'Provide filter values (e.g. "until=<timestamp>")', validate: validateFilter },
      { name: 'force', short: 'f', kind: 'bool', usage: 'Do not prompt for confirmation' },
    ],
  },
  {
    path: ['system', 'df'],
    usage: 'docker system df [OPTIONS]',
    short: 'Show docker disk usage',
    args: { min: 0, max: 0 },
    flags: [
      { name: 'format', kind: 'string', usage: 'Format output using a custom template:\n\'table\':            Print output in table format with column headers (default)\n\'table TEMPLATE\':   Print output in table format using the given Go template\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' },
      { name: 'verbose', short: 'v', kind: 'bool', usage: 'Show detailed information on space usage' },
    ],
  },
  {
    path: ['system', 'prune'],
    usage: 'docker system prune [OPTIONS]',
    short: 'Remove unused data',
    args: { min: 0, max: 0 },
    flags: [
      { name: 'all', short: 'a', kind: 'bool', usage: 'Remove all unused images not just dangling ones' },
      { name: 'filter', kind: 'list', typeName: 'filter', usage: 'Provide filter values (e.g. "label=<key>=<value>")', validate: validateFilter },
      { name: 'force', short: 'f', kind: 'bool', usage: 'Do not prompt for confirmation' },
      { name: 'volumes', kind: 'bool', usage: 'Prune anonymous volumes' },
    ],
  },
];
