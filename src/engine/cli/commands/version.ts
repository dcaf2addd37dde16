import { API_VERSION, DOCKER_CLI_COMPAT, ENGINE_VERSION, MIN_API_VERSION } from '../../version.ts';
import { CliError, type CommandIO } from '../io.ts';

export interface ServerFacts {
  kernelRelease: string;
  agentBuildId: string;
  /** `crun --version` first line, e.g. "crun version 1.8.1"; asked lazily. */
  runtimeVersion(): Promise<string>;
}

export const usage = `
Usage:  docker version [OPTIONS]

Show the Docker version information
`;

/** `docker version`: Client and Server sections laid out like Docker v28's default template. */
export async function run(args: readonly string[], io: CommandIO, server: ServerFacts): Promise<number> {
  if (args.includes('--help')) {
    await io.stdout.write(usage.slice(1) + '\n');
    return 0;
  }
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) throw new CliError(`unknown flag: ${unknown}\nSee 'docker version --help'.`);
  if (args.length > 0) throw new CliError(`"docker version" accepts no arguments.\nSee 'docker version --help'.`);

  const runtime = (await server.runtimeVersion()).replace(/^crun version\s*/, '');
  const rows = (indent: string, pairs: [string, string][]) =>
    pairs.map(([k, v]) => `${indent}${(k + ':').padEnd(20 - indent.length)}${v}`).join('\n');
  const text = [
    'Client:',
    rows(' ', [
      ['Version', `${DOCKER_CLI_COMPAT}-slipway`],
      ['API version', API_VERSION],
      ['Go version', 'none (Slipway thin client)'],
      ['Git commit', server.agentBuildId],
      ['OS/Arch', 'linux/386'],
      ['Context', io.env.get('DOCKER_CONTEXT') ?? 'default'],
    ]),
    '',
    'Server: Slipway Engine',
    ' Engine:',
    rows('  ', [
      ['Version', ENGINE_VERSION],
      ['API version', `${API_VERSION} (minimum version ${MIN_API_VERSION})`],
      ['Go version', 'none (TypeScript)'],
      ['OS/Arch', 'linux/386'],
      ['Kernel Version', server.kernelRelease],
      ['Experimental', 'false'],
    ]),
    ' crun:',
    rows('  ', [['Version', runtime]]),
    '',
  ].join('\n');
  await io.stdout.write(text);
  return 0;
}
