// Top-level commands outside any group: inspect, login, logout, version, help.
import type { CommandDescriptor } from '../types.ts';

export const miscCommands: readonly CommandDescriptor[] = [
  {
    path: ['inspect'],
    usage: 'docker inspect [OPTIONS] NAME|ID [NAME|ID...]',
    short: 'Return low-level information on Docker objects',
    args: { min: 1, max: Infinity },
    flags: [
      { name: 'format', short: 'f', kind: 'string', usage: 'Format output using a custom template:\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' },
      { name: 'size', short: 's', kind: 'bool', usage: 'Display total file sizes if the type is container' },
      { name: 'type', kind: 'string', usage: 'Only inspect objects of the given type' },
    ],
  },
  {
    path: ['login'],
    usage: 'docker login [OPTIONS] [SERVER]',
    short: 'Authenticate to a registry',
    long: 'Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.',
    args: { min: 0, max: 1 },
    top: 8,
    flags: [
      { name: 'password', short: 'p', kind: 'string', usage: 'Password or Personal Access Token (PAT)' },
      { name: 'password-stdin', kind: 'bool', usage: 'Take the Password or Personal Access Token (PAT) from stdin' },
      { name: 'username', short: 'u', kind: 'string', usage: 'Username' },
    ],
  },
  {
    path: ['logout'],
    usage: 'docker logout [SERVER]',
    short: 'Log out from a registry',
    long: 'Log out from a registry.\nIf no server is specified, the default is defined by the daemon.',
    args: { min: 0, max: 1 },
    top: 9,
    flags: [],
  },
  {
    path: ['version'],
    usage: 'docker version [OPTIONS]',
    short: 'Show the Docker version information',
    args: { min: 0, max: 0 },
    top: 11,
    flags: [
      { name: 'format', short: 'f', kind: 'string', usage: 'Format output using a custom template:\n\'json\':             Print in JSON format\n\'TEMPLATE\':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates' },
    ],
  },
  {
    path: ['help'],
    usage: 'docker help [command]',
    short: 'Help about the command',
    args: { min: 0, max: Infinity },
    flags: [],
  },
];
