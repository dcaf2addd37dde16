// Runs one `docker` command line against a (usually partial, faked) engine and collects what it
// printed, for the CLI commands' unit tests. `stdin` is given as one chunk, then end of input.
import type { ByteSource } from '../../../protocol/guest/port.ts';
import type { Engine } from '../../engine.ts';
import type { ServerFacts } from '../commands/version.ts';
import { runCli } from '../main.ts';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runDocker(engine: Engine, argv: string[], stdin?: string, server = {} as ServerFacts): Promise<DockerResult> {
  let stdout = '';
  let stderr = '';
  const chunks = stdin === undefined ? [] : [new TextEncoder().encode(stdin)];
  const io = {
    stdout: { write: async (t: string | Uint8Array) => void (stdout += typeof t === 'string' ? t : new TextDecoder().decode(t)) },
    stderr: { write: async (t: string | Uint8Array) => void (stderr += typeof t === 'string' ? t : new TextDecoder().decode(t)) },
    env: new Map<string, string>(),
    cwd: '/root',
    ...(stdin === undefined ? {} : { stdin: { read: async () => chunks.shift() ?? null } as ByteSource, openStdin: () => undefined }),
  };
  const code = await runCli(argv, io, { engine, server });
  return { code, stdout, stderr };
}
