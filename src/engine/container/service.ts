// The container lifecycle: create, start, stop, kill, pause, restart policies, removal. Each
// operation checks its guard (state.ts), changes the record, persists it and emits Docker's event.
import { layerBytes } from './verify.ts';
import type { Disposable, ExitStatus, GuestProcess } from '../../protocol/guest/port.ts';
import type { MetaStore } from '../../protocol/store.ts';
import type { EventBus } from '../events.ts';
import type { ImageConfig } from '../image/oci.ts';
import { ContainerLog, LOG_CHUNK_BYTES, type LogStream } from './logs.ts';
import { NAME_CHARS, NAME_PATTERN } from './names.ts';
import type { Config, HostConfig } from './options-types.ts';
import { displayName, eventAttributes, goTime, type ContainerRecord } from './record.ts';
import type { ContainerRegistry } from './registry.ts';
import type { GuestRuntime } from './runtime.ts';
import { prepareLaunch, rootfsLowerDir, type LaunchDeps } from './launch.ts';
import { newContainerRecord } from './create.ts';
import type { LegacyDiffs } from './legacy-diffs.ts';
import type { ContainerMounts, ContainerNetworking } from './needs.ts';
import { DaemonError, guards, isActive } from './state.ts';
import { signalNumber } from './signals.ts';
import { verifyContainerSettings } from './verify.ts';
import { DEFAULT_LOG_DRIVER, logRetention, mergeAndVerifyLogConfig, readableLogOrThrow } from './log-config.ts';

export interface CreateRequest {
  name?: string;
  config: Config;
  hostConfig: HostConfig;
  /** NetworkingConfig's endpoint for the container's network (aliases, a fixed address). */
  endpoint?: { aliases: string[]; ipv4?: string };
}

export interface ResolvedImage {
  id: string;
  config: ImageConfig;
}

/** Output of a running container, as attached clients receive it. */
/** Receives a live container's output; a returned promise holds the output pump until it settles. */
export type OutputListener = (stream: LogStream, data: Uint8Array) => void | Promise<void>;

/** What exists only while a container runs: the crun process and its attached listeners. */
export interface LiveContainer {
  process: GuestProcess;
  tty: boolean;
  readonly listeners: Set<OutputListener>;
  /** Settles with the exit code once the container stopped and its state was recorded. */
  readonly stopped: Promise<number>;
  /** Set when a stop/kill/rm asked for the exit (no restart policy then). */
  stopRequested: boolean;
  /** Relays of published ports. */
  ports?: { dispose(): void } | null;
}

export interface ContainerServiceDeps extends LaunchDeps {
  /** Diffs stored by earlier versions (read-only). */
  legacyDiffs?: LegacyDiffs;
  registry: ContainerRegistry;
  runtime: GuestRuntime;
  meta: MetaStore;
  events: EventBus;
  now(): number;
  random(): number;
  network: ContainerNetworking;
  mounts: ContainerMounts;
}

const RESTART_BACKOFF_START_MS = 100;
const RESTART_BACKOFF_MAX_MS = 60_000;
/** A container that ran this long restarts without back-off (Docker's rule). */
const RESTART_RESET_AFTER_MS = 10_000;

export class ContainerService {
  readonly #d: ContainerServiceDeps;
  readonly #live = new Map<string, LiveContainer>();
  readonly #logs = new Map<string, ContainerLog>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #backoff = new Map<string, number>();
  /** Output listeners of clients attached before the container started (API attach, then start). */
  readonly #pendingAttach = new Map<string, Set<OutputListener>>();
  /** Called with each container that started (attached clients waiting for its process). */
  readonly #startListeners = new Set<(id: string, live: LiveContainer) => void>();

  constructor(deps: ContainerServiceDeps) {
    this.#d = deps;
  }

  get registry(): ContainerRegistry {
    return this.#d.registry;
  }

  get launchDeps(): LaunchDeps {
    return this.#d;
  }

  live(id: string): LiveContainer | undefined {
    return this.#live.get(id);
  }

  /**
   * Hands `listener` the container's output: now if it runs, else from its next start's first
   * byte on (moby's attach before start, as `docker run` does it). Disposing stops it.
   */
  attachOutput(id: string, listener: OutputListener): Disposable {
    const live = this.#live.get(id);
    if (live) {
      live.listeners.add(listener);
      return { dispose: () => live.listeners.delete(listener) };
    }
    let set = this.#pendingAttach.get(id);
    if (!set) this.#pendingAttach.set(id, (set = new Set()));
    set.add(listener);
    return {
      dispose: () => {
        set.delete(listener);
        this.#live.get(id)?.listeners.delete(listener);
      },
    };
  }

  /** Calls `listener` whenever a container starts (its process exists from then on). */
  onStart(listener: (id: string, live: LiveContainer) => void): Disposable {
    this.#startListeners.add(listener);
    return { dispose: () => this.#startListeners.delete(listener) };
  }

  /** Stores every container's pending output. */
  async flushLogs(): Promise<void> {
    await Promise.all([...this.#logs.values()].map((log) => log.flush()));
  }

  /** The container's log as the daemon writes it (whatever its driver). */
  async log(id: string): Promise<ContainerLog> {
    let log = this.#logs.get(id);
    if (!log) {
      log = await ContainerLog.load(id, this.#d.meta, this.#retention(id));
      this.#logs.set(id, log);
    }
    return log;
  }

  /** `docker logs`: the log, unless the container's driver keeps none (moby ContainerLogs). */
  async readLog(ref: string): Promise<ContainerLog> {
    const record = this.#d.registry.get(ref);
    readableLogOrThrow(record.HostConfig.LogConfig);
    return this.log(record.Id);
  }

  /** A bad option failed the container's start already; a log read without one keeps everything. */
  #retention(id: string) {
    const config = this.#d.registry.find(id)?.HostConfig.LogConfig;
    try {
      return config ? logRetention(config, LOG_CHUNK_BYTES) : null;
    } catch {
      return null;
    }
  }

  async create(req: CreateRequest, image: ResolvedImage): Promise<ContainerRecord> {
    verifyContainerSettings(req.config, req.hostConfig);
    const record = newContainerRecord(req, image, this.#d);
    record.HostConfig = { ...record.HostConfig, LogConfig: mergeAndVerifyLogConfig(req.hostConfig.LogConfig) };
    this.#d.network.check(record);
    await this.#d.mounts.register(record);
    await this.#d.registry.save(record);
    this.#d.events.emit('container', 'create', record.Id, eventAttributes(record));
    return record;
  }

  /**
   * Starts a created or stopped container; resolves once crun runs it. `attach` receives output
   * from the first byte on (a listener added after this resolves could miss some).
   */
  async start(ref: string, options: { size?: { rows: number; cols: number }; attach?: OutputListener } = {}): Promise<LiveContainer> {
    const record = this.#d.registry.get(ref);
    const live = this.#live.get(record.Id);
    if (live && record.State.Running) return live;
    const refused = guards.start(record.State, record.Id);
    if (refused) throw refused;
    try {
      return await this.#start(record, options);
    } catch (e) {
      // moby's containerStart: a container that fails to start with --rm is removed, with its
      // anonymous volumes (docker run --rm and docker start alike).
      if (record.HostConfig.AutoRemove) await this.remove(record.Id, { force: true, volumes: true }).catch(() => undefined);
      throw e;
    }
  }

  async #start(record: ContainerRecord, options: { size?: { rows: number; cols: number }; attach?: OutputListener }): Promise<LiveContainer> {
    const [rows = 0, cols = 0] = record.HostConfig.ConsoleSize ?? [];
    const tty = options.size ?? (record.Config.Tty && rows > 0 && cols > 0 ? { rows, cols } : undefined);
    const waitStarted = !options.attach;
    const launch = await prepareLaunch(this.#d, record, tty, waitStarted).catch(async (e: unknown) => {
      record.State.Error = (e as Error).message;
      if (e instanceof DaemonError && e.exitCode !== undefined) record.State.ExitCode = e.exitCode;
      await this.#d.registry.save(record);
      throw e;
    });
    // Ports are bound before the process runs, as Docker programs them while it sets up the
    // container's network: a port in use fails the start and the container stays as it was.
    record.network = launch.network;
    let ports: { dispose(): void } | null | undefined;
    let process: GuestProcess;
    try {
      ports = await this.#d.network.publishPorts(record);
      record.layer = true;
      process = await this.#d.runtime.start(launch.request);
    } catch (e) {
      ports?.dispose();
      await this.#d.network.release(record).catch(() => undefined);
      record.network = null;
      record.State.Error = (e as Error).message;
      await this.#d.registry.save(record);
      throw e;
    }
    const log = await this.log(record.Id);
    // The none driver keeps nothing; attached clients still get the output.
    const keepLog = (record.HostConfig.LogConfig?.Type ?? DEFAULT_LOG_DRIVER) !== 'none';
    let resolveStopped!: (code: number) => void;
    const entry: LiveContainer = {
      process,
      tty: launch.request.tty,
      listeners: new Set([...(options.attach ? [options.attach] : []), ...(this.#pendingAttach.get(record.Id) ?? [])]),
      stopped: new Promise((r) => (resolveStopped = r)),
      stopRequested: false,
      ports,
    };
    this.#live.set(record.Id, entry);
    this.#pendingAttach.delete(record.Id);
    for (const l of [...this.#startListeners]) l(record.Id, entry);
    // The agent's NOTIFY (launch.ts's poststart hook) says the process runs; it comes before EXIT.
    const started = process.notified;
    let seen = false;
    void started.then(() => (seen = true));
    // crun's own stderr before the process ran: its reason when the start fails.
    let early = '';
    const pump = async (source: GuestProcess['stdout'], stream: LogStream) => {
      for await (const chunk of source) {
        if (stream === 'stderr' && waitStarted && !seen) early += new TextDecoder().decode(chunk);
        if (keepLog) log.append(stream, chunk, this.#d.now());
        // Attached clients are written to before the next chunk is read: a slow client slows the
        // container (as Docker's attach does) instead of piling its output up in memory.
        const writes = [...entry.listeners].map((l) => l(stream, chunk)).filter((w) => w !== undefined);
        if (writes.length) await Promise.all(writes.map((w) => w.catch(() => undefined)));
      }
    };
    const pumps = Promise.all([pump(process.stdout, 'stdout'), pump(process.stderr, 'stderr')]).catch(() => undefined);
    if (!record.Config.OpenStdin) process.stdin.end();

    const startedAt = this.#d.now();
    Object.assign(record.State, {
      Status: 'running',
      Running: true,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Error: '',
      ExitCode: 0,
      StartedAt: goTime(startedAt),
    });
    await this.#d.registry.save(record);

    if (waitStarted) {
      // crun failing before the process ran (bad mount, missing cwd…) ends with its message on stderr.
      const failed = await Promise.race([
        started.then(() => false),
        process.exited.then(
          async () => (await pumps, !seen),
          () => true,
        ),
      ]);
      if (failed) {
        await pumps;
        const message = early.trim().replace(/^crun: /, '') || 'container exited before it started';
        this.#live.delete(record.Id);
        ports?.dispose();
        void process.exited.then(() => undefined, () => undefined);
        Object.assign(record.State, { Status: 'exited', Running: false, Error: message, ExitCode: 128, FinishedAt: goTime(this.#d.now()) });
        void this.#d.network.release(record).catch(() => undefined);
        await this.#d.registry.save(record);
        throw new DaemonError(`failed to create task for container: failed to create shim task: OCI runtime create failed: ${message}: unknown`, 'system');
      }
    }
    // After the ports are published, as Docker does: whoever follows events (the page's panel)
    // then reads the container with its PORTS.
    this.#d.events.emit('container', 'start', record.Id, eventAttributes(record));
    void Promise.all([process.exited, pumps]).then(
      async ([status]) => resolveStopped(await this.#finish(record, entry, status, startedAt, log)),
      // The guest went away (reboot, crash): the container died with it.
      () => {
        this.#live.delete(record.Id);
        resolveStopped(255);
      },
    ).catch(() => resolveStopped(255)); // a failed save must not end the daemon
    return entry;
  }

  async #finish(record: ContainerRecord, entry: LiveContainer, status: ExitStatus, startedAt: number, log: ContainerLog): Promise<number> {
    const code = status.signal ? 128 + status.signal : status.code;
    entry.ports?.dispose();
    record.ports = undefined;
    const oom = code === 137 && (await this.#d.runtime.oomKilled(record.Id).catch(() => false));
    this.#live.delete(record.Id);
    Object.assign(record.State, {
      Status: 'exited',
      Running: false,
      Paused: false,
      Restarting: false,
      OOMKilled: oom,
      Pid: 0,
      ExitCode: code,
      FinishedAt: goTime(this.#d.now()),
    });
    void this.#d.network.release(record).catch(() => undefined);
    await log.flush();
    this.#d.mounts.released(record); // unmount events precede "die"
    if (oom) this.#d.events.emit('container', 'oom', record.Id, eventAttributes(record));
    this.#d.events.emit('container', 'die', record.Id, { ...eventAttributes(record), exitCode: String(code) });

    const restart = !entry.stopRequested && this.#shouldRestart(record, code);
    if (restart) {
      const ranMs = this.#d.now() - startedAt;
      const delay = ranMs >= RESTART_RESET_AFTER_MS ? RESTART_BACKOFF_START_MS : (this.#backoff.get(record.Id) ?? RESTART_BACKOFF_START_MS);
      this.#backoff.set(record.Id, Math.min(delay * 2, RESTART_BACKOFF_MAX_MS));
      record.RestartCount++;
      Object.assign(record.State, { Status: 'restarting', Restarting: true, Running: true });
      await this.#d.registry.save(record);
      setTimeout(() => void this.resumeRestart(record.Id), delay);
    } else {
      log.end();
      await this.#d.registry.save(record);
      this.#notifyWaiters(record.Id);
      if (record.HostConfig.AutoRemove) await this.remove(record.Id, { force: true, volumes: true }).catch(() => undefined);
    }
    return code;
  }

  /** Starts a container shown as restarting (after its back-off, or after a reboot). */
  async resumeRestart(id: string): Promise<void> {
    const record = this.#d.registry.find(id);
    if (!record || record.State.Status !== 'restarting') return;
    // Shown as restarting until it runs (never as exited in between).
    try {
      await this.start(id);
    } catch (e) {
      Object.assign(record.State, { Status: 'exited', Running: false, Restarting: false, Error: (e as Error).message });
      await this.#d.registry.save(record);
      this.#notifyWaiters(id);
    }
  }

  #shouldRestart(record: ContainerRecord, code: number): boolean {
    const policy = record.HostConfig.RestartPolicy ?? { Name: 'no' };
    switch (policy.Name) {
      case 'always':
      case 'unless-stopped':
        return true;
      case 'on-failure':
        return code !== 0 && (!policy.MaximumRetryCount || record.RestartCount < policy.MaximumRetryCount);
      default:
        return false;
    }
  }

  storedChanges(record: ContainerRecord): Promise<{ path: string; deleted: boolean }[]> {
    return this.#d.legacyDiffs?.changes(record) ?? Promise.resolve([]);
  }

  /**
   * Mounts the rootfs of a container that has not run since the boot (a running or already
   * started one has it): for `docker cp` into or out of a created or stopped container.
   */
  async mountRootfs(ref: string): Promise<void> {
    const record = this.#d.registry.get(ref);
    await this.#d.runtime.mountRootfs(record.Id, await rootfsLowerDir(this.#d, record), layerBytes(record.HostConfig));
    if (!record.layer) {
      record.layer = true;
      await this.#d.registry.save(record);
    }
  }

  /** Resolves with the exit code once the container is not running (at once if it is not). */
  async wait(ref: string): Promise<number> {
    const record = this.#d.registry.get(ref);
    while (isActive(record.State)) {
      await new Promise<void>((resolve) => {
        let set = this.#waiters.get(record.Id);
        if (!set) this.#waiters.set(record.Id, (set = new Set()));
        set.add(resolve);
      });
    }
    return record.State.ExitCode;
  }

  #notifyWaiters(id: string): void {
    const set = this.#waiters.get(id);
    this.#waiters.delete(id);
    for (const w of set ?? []) w();
  }

  async kill(ref: string, signal: string | number = 'KILL'): Promise<void> {
    const record = this.#d.registry.get(ref);
    const refused = guards.kill(record.State, record.Id);
    if (refused) throw refused;
    const signo = signalNumber(signal);
    const live = this.#live.get(record.Id);
    // A SIGKILL from the user is a manual stop: no restart policy brings the container back.
    if (live && signo === 9) live.stopRequested = true;
    if (record.State.Restarting) {
      Object.assign(record.State, { Status: 'exited', Restarting: false, Running: false });
      await this.#d.registry.save(record);
      this.#notifyWaiters(record.Id);
      return;
    }
    if (record.State.Paused && signo === 9) await this.#d.runtime.resume(record.Id);
    let r = await this.#d.runtime.kill(record.Id, signo);
    // Right after a start, crun may not have written its state yet: the container is live but
    // cannot be signalled for a moment. Retry then (for up to 5 s), or a forced removal would
    // wait for an exit that never comes.
    for (let tries = 0; r.code !== 0 && /No such file or directory/.test(r.stderr) && this.#live.has(record.Id) && tries < 50; tries++) {
      await sleep(100);
      r = await this.#d.runtime.kill(record.Id, signo);
    }
    if (r.code !== 0 && this.#live.has(record.Id)) throw new DaemonError(`Cannot kill container: ${ref}: ${r.stderr.trim()}`, 'system');
    this.#d.events.emit('container', 'kill', record.Id, { ...eventAttributes(record), signal: String(signo) });
  }

  /** `docker stop`: the stop signal, then SIGKILL after the timeout (seconds; -1 waits forever). */
  async stop(ref: string, timeoutSeconds?: number, signal?: string): Promise<void> {
    const record = this.#d.registry.get(ref);
    const live = this.#live.get(record.Id);
    if (!isActive(record.State) || !live) {
      if (record.State.Restarting) await this.kill(ref);
      return;
    }
    live.stopRequested = true;
    if (record.State.Paused) await this.unpause(ref);
    const timeout = timeoutSeconds ?? record.Config.StopTimeout ?? 10;
    await this.#d.runtime.kill(record.Id, signalNumber(signal ?? record.Config.StopSignal ?? 'TERM'));
    const stopped = await Promise.race([
      live.stopped.then(() => true),
      timeout < 0 ? new Promise<boolean>(() => {}) : sleep(timeout * 1000).then(() => false),
    ]);
    if (!stopped) {
      await this.#d.runtime.kill(record.Id, 9);
      await live.stopped;
    }
    this.#d.events.emit('container', 'stop', record.Id, eventAttributes(record));
  }

  async restart(ref: string, timeoutSeconds?: number, signal?: string): Promise<void> {
    await this.stop(ref, timeoutSeconds, signal);
    await this.start(ref);
    const record = this.#d.registry.get(ref);
    this.#d.events.emit('container', 'restart', record.Id, eventAttributes(record));
  }

  async pause(ref: string): Promise<void> {
    const record = this.#d.registry.get(ref);
    const refused = guards.pause(record.State, record.Id);
    if (refused) throw refused;
    const r = await this.#d.runtime.pause(record.Id);
    if (r.code !== 0) throw new DaemonError(`Cannot pause container ${record.Id}: ${r.stderr.trim()}`, 'system');
    Object.assign(record.State, { Status: 'paused', Paused: true });
    await this.#d.registry.save(record);
    this.#d.events.emit('container', 'pause', record.Id, eventAttributes(record));
  }

  async unpause(ref: string): Promise<void> {
    const record = this.#d.registry.get(ref);
    const refused = guards.unpause(record.State, record.Id);
    if (refused) throw refused;
    const r = await this.#d.runtime.resume(record.Id);
    if (r.code !== 0) throw new DaemonError(`Cannot unpause container ${record.Id}: ${r.stderr.trim()}`, 'system');
    Object.assign(record.State, { Status: 'running', Paused: false });
    await this.#d.registry.save(record);
    this.#d.events.emit('container', 'unpause', record.Id, eventAttributes(record));
  }

  async rename(ref: string, newName: string): Promise<void> {
    const record = this.#d.registry.get(ref);
    const name = newName.replace(/^\//, '');
    if (!name) throw new DaemonError('Neither old nor new names may be empty', 'invalid-parameter');
    if (!NAME_PATTERN.test(name)) throw new DaemonError(`Invalid container name (${name}), only ${NAME_CHARS} are allowed`, 'invalid-parameter');
    if (`/${name}` === record.Name) throw new DaemonError('Renaming a container with the same name as its current name', 'invalid-parameter');
    const holder = this.#d.registry.nameInUse(name);
    if (holder) {
      throw new DaemonError(
        `Error when allocating new name: Conflict. The container name "/${name}" is already in use by container "${holder.Id}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    }
    const oldName = displayName(record);
    record.Name = `/${name}`;
    await this.#d.registry.save(record);
    this.#d.events.emit('container', 'rename', record.Id, { ...eventAttributes(record), oldName: `/${oldName}` });
  }

  async remove(ref: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<ContainerRecord> {
    const record = this.#d.registry.get(ref);
    const refused = guards.remove(record.State, record.Name, options.force ?? false);
    if (refused) throw refused;
    const live = this.#live.get(record.Id);
    if (live || record.State.Restarting) {
      if (live) live.stopRequested = true;
      record.HostConfig = { ...record.HostConfig, AutoRemove: false };
      await this.kill(record.Id, 9).catch(() => undefined);
      await live?.stopped;
    }
    record.State.Status = 'removing';
    // The guest cleanup (unmount, delete the layer) need not delay the answer: IDs are unique.
    void this.#d.runtime.remove(record.Id).catch(() => undefined);
    await (await this.log(record.Id)).remove();
    this.#logs.delete(record.Id);
    await this.#d.mounts.forget(record, options.volumes ?? false);
    await this.#d.legacyDiffs?.forget(record);
    await this.#d.registry.delete(record.Id);
    this.#d.events.emit('container', 'destroy', record.Id, eventAttributes(record));
    this.#notifyWaiters(record.Id);
    return record;
  }

}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
