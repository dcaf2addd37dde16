import type { EngineApi, VersionResponse } from '../../engine/api/types.ts';
import { API_VERSION, DOCKER_CLI_COMPAT } from '../version.ts';
import { goJSON } from '../format/gojson.ts';
import { parseTemplate } from '../format/template.ts';
import { goStruct } from '../format/template/values.ts';
import { CliError, type CommandIO } from '../io.ts';

/** What the client knows of itself: the thin client's build (it is the agent's binary). */
export interface ClientFacts {
  buildId: string;
}

export const usage = `
Usage:  docker version [OPTIONS]

Show the Docker version information

Options:
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
`;

/** `docker version`: Client and Server sections laid out like Docker v28's default template. */
export async function run(args: readonly string[], io: CommandIO, api: EngineApi, client: ClientFacts): Promise<number> {
  if (args.includes('--help')) {
    await io.stdout.write(usage.slice(1));
    return 0;
  }
  let format: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^(?:--format|-f)(?:=(.*))?$/.exec(a) ?? /^-f(.+)$/.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    format = m[1] ?? args[++i];
    if (format === undefined) throw new CliError(`flag needs an argument: ${a.startsWith('--') ? "'format' in --format" : "'f' in -f"}\nSee 'docker version --help'.`);
  }
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown) throw new CliError(`unknown flag: ${unknown}\nSee 'docker version --help'.`);
  if (rest.length > 0) throw new CliError(`"docker version" accepts no arguments.\nSee 'docker version --help'.`);
  const server = await api.version();
  if (format) {
    const info = versionInfo(io, client.buildId, server);
    if (format === 'json') {
      await io.stdout.write(goJSON(info) + '\n');
      return 0;
    }
    let template;
    try {
      template = parseTemplate(format);
    } catch (e) {
      throw new CliError(`template parsing error: ${(e as Error).message}`);
    }
    await io.stdout.write(template.execute(info) + '\n');
    return 0;
  }

  const runtime = server.Components.find((c) => c.Name === 'crun')?.Version ?? '';
  const rows = (indent: string, pairs: [string, string][]) =>
    pairs.map(([k, v]) => `${indent}${(k + ':').padEnd(20 - indent.length)}${v}`).join('\n');
  const text = [
    'Client:',
    rows(' ', [
      ['Version', `${DOCKER_CLI_COMPAT}-slipway`],
      ['API version', API_VERSION],
      ['Go version', 'none (Slipway thin client)'],
      ['Git commit', client.buildId],
      ['OS/Arch', 'linux/386'],
      ['Context', io.env.get('DOCKER_CONTEXT') ?? 'default'],
    ]),
    '',
    'Server: Slipway Engine',
    ' Engine:',
    rows('  ', [
      ['Version', server.Version],
      ['API version', `${server.ApiVersion} (minimum version ${server.MinAPIVersion})`],
      ['Go version', server.GoVersion],
      ['OS/Arch', `${server.Os}/${server.Arch}`],
      ['Kernel Version', server.KernelVersion],
      ['Experimental', 'false'],
    ]),
    ' crun:',
    rows('  ', [['Version', runtime]]),
    '',
  ].join('\n');
  await io.stdout.write(text);
  return 0;
}

/** docker/cli's versionInfo (Client) and the API's types.Version (Server), in their field order. */
function versionInfo(io: CommandIO, gitCommit: string, server: VersionResponse): object {
  const platform = (name: string) => goStruct({ Name: name });
  // Go's field is APIVersion; its JSON name is ApiVersion.
  const withApiVersion = (typeName: string, fields: Record<string, unknown>) => {
    return goStruct(fields, typeName, () => goJSON(goStruct({ ...fields })).replace('"APIVersion":', '"ApiVersion":'));
  };
  return goStruct(
    {
      Client: withApiVersion('*command.clientVersion', {
        Platform: platform(''),
        Version: `${DOCKER_CLI_COMPAT}-slipway`,
        APIVersion: API_VERSION,
        DefaultAPIVersion: API_VERSION,
        GitCommit: gitCommit,
        GoVersion: 'none (Slipway thin client)',
        Os: 'linux',
        Arch: '386',
        BuildTime: '',
        Context: io.env.get('DOCKER_CONTEXT') ?? 'default',
      }),
      Server: withApiVersion('*types.Version', {
        Platform: platform('Slipway Engine'),
        Components: server.Components.map((c) => goStruct({ Name: c.Name, Version: c.Version, Details: componentDetails(c.Details) }, 'types.ComponentVersion')),
        Version: server.Version,
        APIVersion: server.ApiVersion,
        MinAPIVersion: server.MinAPIVersion,
        GitCommit: server.GitCommit,
        GoVersion: server.GoVersion,
        Os: server.Os,
        Arch: server.Arch,
        KernelVersion: server.KernelVersion,
        BuildTime: server.BuildTime,
      }),
    },
    'command.versionInfo',
  );
}

/** The Engine's details the client shows: those docker/cli prints in its Server section. */
function componentDetails(details: Record<string, string> | undefined): Record<string, string> {
  const shown = ['ApiVersion', 'Arch', 'KernelVersion', 'MinAPIVersion', 'Os'];
  return Object.fromEntries(Object.entries(details ?? {}).filter(([k]) => shown.includes(k)));
}
