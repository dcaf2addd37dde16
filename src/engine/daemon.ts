// The daemon's front door: every `docker` run in the guest arrives here as a client session.
import { readAll } from '../lib/streams.ts';
import type { ClientSession, Disposable, GuestPort } from '../protocol/guest/port.ts';
import { runCli } from './cli/main.ts';
import type { ServerFacts } from './cli/commands/version.ts';

export interface DaemonFacts {
  kernelRelease: string;
  agentBuildId: string;
}

export class Daemon {
  readonly #guest: GuestPort;
  readonly #server: ServerFacts;
  #runtimeVersion: Promise<string> | null = null;

  constructor(guest: GuestPort, facts: DaemonFacts) {
    this.#guest = guest;
    this.#server = { ...facts, runtimeVersion: () => (this.#runtimeVersion ??= this.#askRuntimeVersion()) };
  }

  serve(): Disposable {
    return this.#guest.onSession((session) => void this.#handle(session));
  }

  async #handle(session: ClientSession): Promise<void> {
    const { argv, env, cwd } = session.request;
    const envMap = new Map(env.map((kv) => [kv.slice(0, Math.max(0, kv.indexOf('='))), kv.slice(kv.indexOf('=') + 1)]));
    let code: number;
    try {
      code = await runCli(argv, { stdout: session.stdout, stderr: session.stderr, env: envMap, cwd }, { server: this.#server });
    } catch (e) {
      // The client went away mid-command: nothing left to tell it.
      if ((e as Error).name === 'GuestGoneError') return;
      throw e;
    }
    session.exit(code);
  }

  async #askRuntimeVersion(): Promise<string> {
    const proc = await this.#guest.spawn({ argv: ['crun', '--version'] });
    const [out] = await Promise.all([readAll(proc.stdout), readAll(proc.stderr), proc.exited]);
    return new TextDecoder().decode(out).split('\n')[0] ?? 'unknown';
  }
}
