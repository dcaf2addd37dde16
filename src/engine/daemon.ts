// The daemon's front door: every `docker` run in the guest arrives here as a client session and
// is answered by the CLI layer over the engine's services.
import { readAll } from '../lib/streams.ts';
import type { ClientSession, Disposable, GuestPort } from '../protocol/guest/port.ts';
import { SessionFlag } from '../protocol/guest/constants.ts';
import type { Stores } from '../protocol/store.ts';
import { runCli } from './cli/main.ts';
import type { HostFacts } from './api/engine-api.ts';
import type { CommandIO } from './cli/io.ts';
import { guestClientFiles } from './client-files.ts';
import { ClientLink, isClientGone } from './client-link.ts';
import { Engine, type EngineOptions } from './engine.ts';
import { createEngineApi } from './api/engine-api.ts';
import type { EngineApi } from './api/types.ts';
import { guestSocketConnection, HttpApiServer } from './api/http/index.ts';
import { apiRouter, classifyDaemonError } from './api/routes.ts';

/** Where Docker's clients look for the daemon (/var/run is /run in the guest). */
export const API_SOCKET = '/var/run/docker.sock';
import type { CatalogueSource } from './image/catalogue-source.ts';

export interface DaemonFacts {
  kernelRelease: string;
  agentBuildId: string;
}

export interface DaemonOptions {
  stores: Stores;
  catalogue: CatalogueSource;
  now?: () => number;
  warmUp?: EngineOptions['warmUp'];
  log?: EngineOptions['log'];
}

export class Daemon {
  readonly engine: Engine;
  /** The daemon's one boundary: the CLI sessions and the API socket are its clients. */
  readonly api: EngineApi;
  /** The API's HTTP server: the guest's socket and the runner's host socket feed it connections. */
  readonly http: HttpApiServer;
  readonly #log: (line: string) => void;
  readonly #guest: GuestPort;
  readonly #server: HostFacts;
  #runtimeVersion: Promise<string> | null = null;

  private constructor(guest: GuestPort, facts: DaemonFacts, engine: Engine, log: (line: string) => void) {
    this.#guest = guest;
    this.engine = engine;
    this.#server = { ...facts, runtimeVersion: () => (this.#runtimeVersion ??= this.#askRuntimeVersion()) };
    this.api = createEngineApi(engine, this.#server);
    this.http = new HttpApiServer({ router: apiRouter(this.api), classifyError: classifyDaemonError, log });
    this.#log = log;
  }

  static async start(guest: GuestPort, facts: DaemonFacts, options: DaemonOptions): Promise<Daemon> {
    const engine = await Engine.open({ guest, stores: options.stores, catalogue: options.catalogue, now: options.now, warmUp: options.warmUp, log: options.log });
    return new Daemon(guest, facts, engine, options.log ?? (() => {}));
  }

  /**
   * Answers the guest's `docker` sessions, and the Engine API over HTTP on the guest's
   * /var/run/docker.sock (where real Docker clients and containers mounting it find it).
   */
  serve(): Disposable {
    // #handle settles every error itself; a bug that still escapes must not take the daemon down.
    const sessions = this.#guest.onSession((session) => void this.#handle(session).catch(() => session.exit(125)));
    const socket = this.#guest
      .listenUnix(API_SOCKET, (conn) => void this.http.serve(guestSocketConnection(conn)))
      .catch((e: unknown) => {
        this.#log(`API socket ${API_SOCKET} unavailable: ${(e as Error).message}`);
        return null;
      });
    return {
      dispose: () => {
        sessions.dispose();
        void socket.then((l) => l?.dispose());
      },
    };
  }

  async #handle(session: ClientSession): Promise<void> {
    const { argv, env, cwd, flags, rows, cols } = session.request;
    if (argv[0] !== 'version') this.engine.noteUserActivity();
    const envMap = new Map(env.map((kv) => [kv.slice(0, Math.max(0, kv.indexOf('='))), kv.slice(kv.indexOf('=') + 1)]));
    const client = new ClientLink(session);
    // Docker's CLI dies on SIGINT/SIGTERM unless the command forwards signals (run, attach).
    let signalsClaimed = false;
    const defaultSignals = session.onSignal((signo) => {
      if (!signalsClaimed) client.end(128 + signo);
    });
    const io: CommandIO = {
      stdout: client.stdout,
      stderr: client.stderr,
      env: envMap,
      cwd,
      stdin: session.stdin,
      terminal: {
        stdin: (flags & SessionFlag.STDIN_TTY) !== 0,
        stdout: (flags & SessionFlag.STDOUT_TTY) !== 0,
        stderr: (flags & SessionFlag.STDERR_TTY) !== 0,
        rows: rows || 24,
        cols: cols || 80,
      },
      openStdin: (o) => session.openStdin(o),
      onResize: (l) => session.onResize(l),
      onSignal: (l) => {
        signalsClaimed = true;
        return session.onSignal(l);
      },
      disconnected: client.gone,
      files: guestClientFiles(this.engine),
    };
    let code: number;
    try {
      code = await runCli(argv, io, { api: this.api, clientBuildId: this.#server.agentBuildId, now: () => this.engine.now() });
    } catch (e) {
      // The client went away mid-command: nothing left to tell it.
      if (!isClientGone(e)) await client.stderr.write(`docker: ${(e as Error).message}\n`).catch(() => undefined);
      code = 125;
    } finally {
      defaultSignals.dispose();
    }
    client.end(code);
  }

  async #askRuntimeVersion(): Promise<string> {
    const proc = await this.#guest.spawn({ argv: ['crun', '--version'] });
    const [out] = await Promise.all([readAll(proc.stdout), readAll(proc.stderr), proc.exited]);
    return new TextDecoder().decode(out).split('\n')[0] ?? 'unknown';
  }
}
