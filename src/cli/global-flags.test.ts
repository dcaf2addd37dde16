// `docker`'s own options before the command, answered as Docker v28.2.2 answers them.
import { describe, expect, it } from 'vitest';
import { fakeApi, versionResponse } from './testing/fake-api.ts';
import { runDocker } from './testing/run-docker.ts';

const { api } = fakeApi({ version: async () => versionResponse('6.1', 'abc123', '1.8.1') });
const docker = (...argv: string[]) => runDocker(api, argv, undefined, { clientBuildId: 'abc123' });

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
