// The daemon: the engine's services behind the Engine API, served over HTTP on the guest's
// /var/run/docker.sock. Its clients (the CLI sessions the worker wires, the page, real Docker
// clients) all go through `api`.
import { readAll } from '../lib/streams.ts';
import type { Disposable, GuestPort } from '../protocol/guest/port.ts';
import type { Stores } from '../protocol/store.ts';
import type { HostFacts } from './api/engine-api.ts';
import { Engine, type EngineOptions } from './engine.ts';
import { createEngineApi } from './api/engine-api.ts';
import type { EngineApi } from './api/types.ts';
import { guestSocketConnection, HttpApiServer } from './api/http/index.ts';
import { apiRouter } from './api/routes.ts';
import { WORKSPACE_KEY, type Workspace } from './workspace/workspace.ts';
import { guestLocalFiles } from './local-files.ts';
import type { ClientFiles } from '../protocol/client-files.ts';

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
  workspaceRestored?: EngineOptions['workspaceRestored'];
  log?: EngineOptions['log'];
}

/** `/_ping` and `/version`, with or without a version prefix. */
const HANDSHAKE = /^(\/v[\d.]+)?\/(_ping|version)(\?|$)/;

export class Daemon {
  readonly engine: Engine;
  /** The daemon's one boundary: the CLI sessions and the API socket are its clients. */
  readonly api: EngineApi;
  /** The API's HTTP server: the guest's socket and the runner's host socket feed it connections. */
  readonly http: HttpApiServer;
  readonly #log: (line: string) => void;
  readonly #guest: GuestPort;
  /** What the guest told about itself (the thin client's build is the agent's). */
  readonly facts: DaemonFacts;
  readonly #server: HostFacts;
  #runtimeVersion: Promise<string> | null = null;
  #localFiles: ClientFiles | null = null;

  private constructor(guest: GuestPort, facts: DaemonFacts, engine: Engine, log: (line: string) => void) {
    this.#guest = guest;
    this.engine = engine;
    this.facts = facts;
    this.#server = { ...facts, runtimeVersion: () => (this.#runtimeVersion ??= this.#askRuntimeVersion()) };
    this.api = createEngineApi(engine, this.#server);
    // A client's request is a user at work: the post-boot warm-up gives way (a client's
    // version handshake is not; the page's panels use the API in process, not over HTTP).
    const onRequest = ({ target }: { target: string }) => {
      if (!HANDSHAKE.test(target)) engine.noteUserActivity();
    };
    this.http = new HttpApiServer({ router: apiRouter(this.api), log, onRequest });
    this.#log = log;
  }

  static async start(guest: GuestPort, facts: DaemonFacts, options: DaemonOptions): Promise<Daemon> {
    const engine = await Engine.open({ guest, stores: options.stores, catalogue: options.catalogue, now: options.now, warmUp: options.warmUp, workspaceRestored: options.workspaceRestored, log: options.log });
    return new Daemon(guest, facts, engine, options.log ?? (() => {}));
  }

  /**
   * The page's file tree over the guest's /root. Not an Engine API object (Docker has none like
   * it), so the page reaches it here rather than through `api`.
   */
  get workspace(): Workspace {
    return this.engine.workspace;
  }

  /** Storing the workspace failed (the previous save is intact). */
  onWorkspaceSaveFailed(listener: (error: Error) => void): Disposable {
    return this.engine.saved.onSaveFailed((key, error) => {
      if (key === WORKSPACE_KEY) listener(error);
    });
  }

  /** Writes back what the guest cached and stores the workspace: the page is being hidden. */
  checkpoint(): Promise<void> {
    return this.engine.checkpoint();
  }

  /** The host shuts down: pending logs are stored, then nothing more is written to the store. */
  close(): Promise<void> {
    return this.engine.close();
  }

  /** The daemon's clock (ms since the epoch). */
  now(): number {
    return this.engine.now();
  }

  /** A user is at work (a command, an API request): background warm-up gives way. */
  noteUserActivity(): void {
    this.engine.noteUserActivity();
  }

  /** The guest shell's files, for the thin client's CLI (its --env-file and `docker cp`'s local side). */
  get localFiles(): ClientFiles {
    return (this.#localFiles ??= guestLocalFiles(this.engine));
  }

  /**
   * Answers the Engine API over HTTP on the guest's
   * /var/run/docker.sock (where real Docker clients and containers mounting it find it).
   */
  serve(): Disposable {
    const socket = this.#guest
      .listenUnix(API_SOCKET, (conn) => void this.http.serve(guestSocketConnection(conn)))
      .catch((e: unknown) => {
        this.#log(`API socket ${API_SOCKET} unavailable: ${(e as Error).message}`);
        return null;
      });
    return {
      dispose: () => {
        void socket.then((l) => l?.dispose());
      },
    };
  }

  async #askRuntimeVersion(): Promise<string> {
    const proc = await this.#guest.spawn({ argv: ['crun', '--version'] });
    const [out] = await Promise.all([readAll(proc.stdout), readAll(proc.stderr), proc.exited]);
    return new TextDecoder().decode(out).split('\n')[0] ?? 'unknown';
  }
}
