// Runs one `docker` command line against an Engine API (usually a recording fake) and collects
// what it printed, for the CLI commands' unit tests. `stdin` is given as one chunk, then end of input.
import type { ByteSource } from '../../protocol/guest/port.ts';
import type { EngineApi } from '../../engine/api/types.ts';
import type { ClientFiles } from '../io.ts';
import { runCli } from '../main.ts';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ClientOptions {
  clientBuildId?: string;
  now?: () => number;
  files?: ClientFiles;
}

export async function runDocker(api: EngineApi, argv: string[], stdin?: string, client: ClientOptions = {}): Promise<DockerResult> {
  let stdout = '';
  let stderr = '';
  const chunks = stdin === undefined ? [] : [new TextEncoder().encode(stdin)];
  const io = {
    stdout: { write: async (t: string | Uint8Array) => void (stdout += typeof t === 'string' ? t : new TextDecoder().decode(t)) },
    stderr: { write: async (t: string | Uint8Array) => void (stderr += typeof t === 'string' ? t : new TextDecoder().decode(t)) },
    env: new Map<string, string>(),
    cwd: '/root',
    ...(client.files ? { files: client.files } : {}),
    ...(stdin === undefined ? {} : { stdin: { read: async () => chunks.shift() ?? null, async *[Symbol.asyncIterator]() { for (let c = chunks.shift(); c; c = chunks.shift()) yield c; } } as ByteSource, openStdin: () => undefined }),
  };
  const code = await runCli(argv, io, { api, clientBuildId: client.clientBuildId ?? '', ...(client.now ? { now: client.now } : {}) });
  return { code, stdout, stderr };
}
