import { describe, expect, it } from 'vitest';
import { CliError } from '../io.ts';
import { checkArgCount, parseCommandLine, unknownSubcommand } from './command-line.ts';
import { commands, findCommand, groups } from './registry.ts';
import type { ResolvedCommand } from './types.ts';

const resolve = (...argv: string[]): ResolvedCommand & { rest: string[] } => {
  const found = findCommand(argv);
  if (found?.kind !== 'command') throw new Error(`not a command: ${argv.join(' ')}`);
  return found;
};
const failure = (fn: () => unknown) => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return [(e as CliError).message, (e as CliError).exitCode];
  }
};

describe('findCommand', () => {
  it.each([
    [['ps', '-a'], 'docker ps', 'container ls', ['-a']],
    [['container', 'ls'], 'docker container ls', 'container ls', []],
    [['container', 'list'], 'docker container ls', 'container ls', []],
    [['container', 'ps', '-q'], 'docker container ls', 'container ls', ['-q']],
    [['images'], 'docker images', 'image ls', []],
    [['image', 'list'], 'docker image ls', 'image ls', []],
    [['rmi', 'x'], 'docker rmi', 'image rm', ['x']],
    [['container', 'remove', 'x'], 'docker container rm', 'container rm', ['x']],
    [['info'], 'docker info', 'system info', []],
    [['run', '-it', 'busybox'], 'docker run', 'container run', ['-it', 'busybox']],
    [['inspect', 'x'], 'docker inspect', 'inspect', ['x']],
  ])('%j', (argv, commandPath, canonical, rest) => {
    const found = resolve(...argv);
    expect([found.commandPath, found.descriptor.path.join(' '), found.rest]).toEqual([commandPath, canonical, rest]);
  });

  it('builds the usage line for the path typed', () => {
    expect(resolve('ps').useLine).toBe('docker ps [OPTIONS]');
    expect(resolve('container', 'ps').useLine).toBe('docker container ls [OPTIONS]');
  });

  it('returns groups, plugins and unknowns', () => {
    expect(findCommand(['volume'])).toMatchObject({ kind: 'group', rest: [] });
    expect(findCommand(['volume', 'frob'])).toMatchObject({ kind: 'group', rest: ['frob'] });
    expect(findCommand(['compose', 'up', '-d'])).toMatchObject({ kind: 'group', group: { plugin: true }, rest: ['up', '-d'] });
    expect(findCommand(['frob'])).toBeUndefined();
    expect(findCommand([])).toBeUndefined();
  });

  it('has every command of the brief', () => {
    const names = new Set(commands.flatMap((c) => [c.path, ...(c.aliases ?? [])].map((p) => p.join(' '))));
    const wanted =
      'run create start stop restart kill pause unpause rm rename wait attach exec logs ps inspect top diff port stats events images history tag rmi pull push login logout build commit cp info version help';
    for (const n of wanted.split(' ')) expect(names.has(n), n).toBe(true);
    expect(groups.map((g) => g.path[0])).toEqual(['builder', 'compose', 'container', 'image', 'network', 'system', 'volume']);
  });
});

describe('parseCommandLine errors (Docker v28 texts and exit codes)', () => {
  it.each([
    [['rm'], [], "docker: 'docker rm' requires at least 1 argument\n\nUsage:  docker rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker rm --help' for more information", 1],
    [['rename'], ['a'], "docker: 'docker rename' requires 2 arguments\n\nUsage:  docker rename CONTAINER NEW_NAME\n\nRun 'docker rename --help' for more information", 1],
    [['ps'], ['x'], "docker: 'docker ps' accepts no arguments\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information", 1],
    [['login'], ['a', 'b'], "docker: 'docker login' requires at most 1 argument\n\nUsage:  docker login [OPTIONS] [SERVER]\n\nSRun 'docker login --help' for more information", 1],
    [['port'], ['a', 'b', 'c'], "docker: 'docker port' requires at least 1 and at most 2 arguments\n\nUsage:  docker port CONTAINER [PRIVATE_PORT[/PROTO]]\n\nRun 'docker port --help' for more information", 1],
    [['run'], ['--foo'], "unknown flag: --foo\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information", 125],
    [['container', 'run'], ['-e'], "flag needs an argument: 'e' in -e\n\nUsage:  docker container run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker container run --help' for more information", 125],
    [['stop'], ['-t', 'abc', 'x'], 'invalid argument "abc" for "-t, --timeout" flag: strconv.ParseInt: parsing "abc": invalid syntax\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nRun \'docker stop --help\' for more information', 125],
  ])('%j %j', (path, argv, message, code) => {
    expect(failure(() => parseCommandLine(resolve(...path), argv))).toEqual([message, code]);
  });

  it('skips the argument check when help is asked for', () => {
    expect(parseCommandLine(resolve('rm'), ['--help']).help).toBe(true);
    expect(failure(() => checkArgCount(resolve('rm'), 1))).toBeUndefined();
  });

  it('reports unknown subcommands', () => {
    const e = unknownSubcommand(groups.find((g) => g.path[0] === 'volume')!, 'foo');
    expect([e.message, e.exitCode]).toEqual([
      "docker: unknown command: docker volume foo\n\nUsage:  docker volume COMMAND\n\nRun 'docker volume --help' for more information",
      1,
    ]);
  });
});
