// `docker`'s own options before the command, answered as Docker v28.2.2 answers them.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine.ts';
import type { ServerFacts } from './commands/version.ts';
import { runDocker } from './testing/run-docker.ts';

const server = { agentBuildId: 'abc123', kernelRelease: '6.1', runtimeVersion: async () => 'crun version 1.8.1' } as ServerFacts;
const docker = (...argv: string[]) => runDocker({} as Engine, argv, undefined, server);

const usage = "\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n";

describe('global options', () => {
  it('prints the version for -v and --version', async () => {
    expect(await docker('--version')).toEqual({ stdout: 'Docker version 28.2.2-slipway, build abc123\n', stderr: '', code: 0 });
    expect((await docker('-v')).stdout).toBe('Docker version 28.2.2-slipway, build abc123\n');
  });

  it('accepts the client options and goes on with the command', async () => {
    expect((await docker('-D', '--log-level', 'debug', '-H', 'unix:///var/run/docker.sock', 'version', '--format', '{{.Client.Os}}')).stdout).toBe('linux\n');
    expect((await docker('-l=info', '--context=default', 'version', '-f', '{{.Server.Os}}')).stdout).toBe('linux\n');
  });

  it('refuses unknown ones with 125, as pflag words it', async () => {
    expect(await docker('--bogus', 'ps')).toEqual({ stdout: '', stderr: `unknown flag: --bogus${usage}`, code: 125 });
    expect(await docker('-z', 'ps')).toEqual({ stdout: '', stderr: `unknown shorthand flag: 'z' in -z${usage}`, code: 125 });
    expect(await docker('--log-level')).toEqual({ stdout: '', stderr: `flag needs an argument: --log-level${usage}`, code: 125 });
  });
});
