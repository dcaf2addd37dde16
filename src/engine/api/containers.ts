// The /containers routes over the container service: lifecycle verbs, logs, attach, wait, top,
// changes, archive and prune. Container records answer moby's shapes (container/views.ts).
import type { ByteSink, Disposable } from '../../protocol/guest/port.ts';
import { copyFromContainer, copyToContainer, exportContainer, statInContainer } from '../container/archive.ts';
import type { ContainerLog, LogEntry } from '../container/logs.ts';
import { parseDetachKeys } from '../../lib/signals.ts';
import { DEFAULT_DETACH_KEYS, detachingSink } from '../container/detach-keys.ts';
import { goTime, type ContainerRecord } from '../container/record.ts';
import type { LiveContainer, OutputListener } from '../container/service.ts';
import { DaemonError, isActive } from '../container/state.ts';
import { containerTop } from '../container/top.ts';
import { containerInspect } from '../container/views.ts';
import type { Engine } from '../engine.ts';
import { AsyncQueue } from '../../lib/async-queue.ts';
import { containerChanges } from './container-changes.ts';
import { listContainers } from './container-list.ts';
import { createContainer } from './container-create.ts';
import type { AttachOptions, AttachedStreams, EngineApi, LogsOptions, OutputFrame } from './types.ts';

type ContainerRoutes = Pick<
  EngineApi,
  | 'containerList'
  | 'containerCreate'
  | 'containerInspect'
  | 'containerStart'
  | 'containerStop'
  | 'containerRestart'
  | 'containerKill'
  | 'containerPause'
  | 'containerUnpause'
  | 'containerRename'
  | 'containerRemove'
  | 'containerWait'
  | 'containerLogs'
  | 'containerAttach'
  | 'containerResize'
  | 'containerTop'
  | 'containerChanges'
  | 'containerArchiveInfo'
  | 'containerArchive'
  | 'putContainerArchive'
  | 'containerExport'
  | 'containerPrune'
>;

/** Splits an entry into lines (a line keeps its newline; a final partial line is one too). */
function* lines(entry: LogEntry): Generator<OutputFrame> {
  let start = 0;
  for (let i = 0; i < entry.data.length; i++) {
    if (entry.data[i] !== 0x0a) continue;
    yield { stream: entry.stream, time: entry.time, data: entry.data.subarray(start, i + 1) };
    start = i + 1;
  }
  if (start < entry.data.length) yield { stream: entry.stream, time: entry.time, data: entry.data.subarray(start) };
}

/** moby's RFC3339NanoFixed: nine fraction digits always. */
export function rfc3339NanoFixed(ms: number): string {
  return goTime(ms).replace(/(\.\d+)?Z$/, (_m, f: string | undefined) => `${(f ?? '.').padEnd(10, '0')}Z`);
}

/** `timestamps=1`: the daemon writes each line's time before it, as moby does. */
function withTimestamp(frame: OutputFrame): OutputFrame {
  const prefix = new TextEncoder().encode(`${rfc3339NanoFixed(frame.time ?? 0)} `);
  const data = new Uint8Array(prefix.length + frame.data.length);
  data.set(prefix);
  data.set(frame.data, prefix.length);
  return { ...frame, data };
}

export function containerRoutes(engine: Engine): ContainerRoutes {
  const containers = engine.containers;
  const get = (ref: string): ContainerRecord => containers.registry.get(ref);
  const archiveDeps = {
    guest: engine.guest,
    volumeSource: (name: string) => engine.volumes.mountSource(name),
    mountRootfs: (r: { Id: string }) => containers.mountRootfs(r.Id),
  };

  async function* logFrames(record: ContainerRecord, log: ContainerLog, options: LogsOptions, signal: AbortSignal): AsyncGenerator<OutputFrame> {
    const since = options.since ?? -Infinity;
    const until = options.until ?? Infinity;
    const tail = options.tail === undefined || options.tail === 'all' || options.tail < 0 ? Infinity : options.tail;
    const wanted = (f: OutputFrame) => (f.stream === 'stdout' ? options.stdout !== false : options.stderr !== false) && f.time! >= since && f.time! <= until;
    let wake: (() => void) | null = null;
    let ended = false;
    const follow = options.follow && record.State.Running;
    const subscription = follow
      ? log.follow((entry) => {
          if (!entry) ended = true;
          wake?.();
        })
      : null;
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      // Read as a stream from where tail and since start it: memory stays bounded whatever the size.
      let { from: next, skipLines } = log.startFor(tail, since);
      for (;;) {
        for await (const [seq, entry] of log.read(next)) {
          next = seq + 1;
          for (const frame of lines(entry)) {
            if (skipLines > 0) skipLines--;
            else if (wanted(frame)) yield options.timestamps ? withTimestamp(frame) : frame;
          }
          if (signal.aborted) return;
        }
        if (!subscription || signal.aborted || (ended && next >= log.length)) return;
        if (until !== Infinity && engine.now() > until) return;
        if (next >= log.length && !ended) await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    } finally {
      subscription?.dispose();
      signal.removeEventListener('abort', onAbort);
    }
  }

  return {
    containerList: (options) => listContainers(engine, options),

    containerCreate: (body, options = {}) => createContainer(engine, body, options),

    async containerInspect(id) {
      return containerInspect(get(id), { now: engine.now(), networkId: engine.networkIdOf });
    },

    async containerStart(id) {
      const record = get(id);
      // moby: starting a running container is not an error (304 over HTTP).
      if (record.State.Running && containers.live(record.Id)) return false;
      await containers.start(record.Id);
      return true;
    },

    async containerStop(id, options = {}) {
      const record = get(id);
      if (!isActive(record.State)) return false;
      await containers.stop(record.Id, options.t, options.signal);
      return true;
    },

    async containerRestart(id, options = {}) {
      await containers.restart(id, options.t, options.signal);
    },

    async containerKill(id, options = {}) {
      await containers.kill(id, options.signal || 'KILL');
    },

    containerPause: (id) => containers.pause(id),
    containerUnpause: (id) => containers.unpause(id),
    containerRename: (id, name) => containers.rename(id, name),

    async containerRemove(id, options = {}) {
      if (options.link) throw new DaemonError(`Conflict, cannot remove the default link name of the container`, 'conflict');
      await containers.remove(id, { force: options.force, volumes: options.v });
    },

    async containerWait(id, options = {}, signal) {
      const record = get(id);
      const condition = options.condition || 'not-running';
      if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw new DaemonError(`invalid condition: "${condition}"`, 'invalid-parameter');
      const subscriptions: Disposable[] = [];
      const aborted = new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(new DaemonError('client went away', 'system'))));
      void aborted.catch(() => undefined);
      const event = (action: string) =>
        new Promise<void>((resolve) => {
          subscriptions.push(engine.events.subscribe((e) => e.Type === 'container' && e.Action === action && e.Actor.ID === record.Id && resolve()));
        });
      // docker run asks before it starts the container: the exit to wait for is the next one.
      const started = event('start');
      const removed = condition === 'removed' ? event('destroy') : null;
      try {
        if (condition !== 'not-running' && !isActive(record.State)) await Promise.race([started, aborted, ...(removed ? [removed] : [])]);
        // The record keeps its final state once removed (--rm): its exit code stays readable.
        const code = await Promise.race([containers.wait(record.Id).catch(() => record.State.ExitCode), aborted]);
        if (removed && containers.registry.find(record.Id)) await Promise.race([removed, aborted]);
        // moby omits Error when there is none.
        return { StatusCode: code, ...(record.State.Error ? { Error: { Message: record.State.Error } } : {}) };
      } finally {
        for (const s of subscriptions) s.dispose();
      }
    },

    async containerLogs(id, options, signal) {
      const record = get(id);
      if (options.stdout === false && options.stderr === false) throw new DaemonError('Bad parameters: you must choose at least one stream', 'invalid-parameter');
      // A driver that cannot be read (none) is refused here, before any stream starts.
      const log = await containers.readLog(record.Id);
      return { tty: record.Config.Tty, frames: logFrames(record, log, options, signal) };
    },

    async containerAttach(id, options) {
      // A stopped container can be attached to: the streams wait for its next start (moby).
      return attachStreams(engine, get(id), options);
    },

    async containerResize(id, size) {
      const record = get(id);
      const live = containers.live(record.Id);
      if (!live || !record.State.Running) throw new DaemonError(`Container ${record.Id} is not running`, 'conflict');
      // The agent drops a size sent before crun handed it the pty (right after a start).
      if (live.tty) await live.process.console;
      live.process.resize(size.h, size.w);
    },

    async containerTop(id, options = {}) {
      return containerTop(engine.runtime, get(id), options.psArgs ?? '');
    },

    containerChanges: (id) => containerChanges(engine, get(id)),

    async containerArchiveInfo(id, path) {
      return statInContainer(get(id), path, archiveDeps);
    },

    async containerArchive(id, path, out: ByteSink) {
      const record = get(id);
      const stat = await statInContainer(record, path, archiveDeps);
      await copyFromContainer(record, path, { tar: out }, false, archiveDeps);
      return stat;
    },

    async putContainerArchive(id, path, tar) {
      const record = get(id);
      await copyToContainer(record, { tarFrom: tar }, path, archiveDeps);
    },

    async containerExport(id, out: ByteSink) {
      await exportContainer(get(id), out, archiveDeps);
    },

    async containerPrune() {
      const deleted: string[] = [];
      for (const c of containers.registry.all()) {
        if (c.State.Running || c.State.Restarting || c.State.Paused) continue;
        await containers.remove(c.Id);
        deleted.push(c.Id);
      }
      return { ContainersDeleted: deleted, SpaceReclaimed: 0 };
    },
  };
}

/**
 * The streams of an attached client: output from now on (or from the next start's first byte),
 * the container's stdin (with the detach keys watched on a tty), ending when the container stops,
 * the client detaches or closes.
 */
function attachStreams(engine: Engine, record: ContainerRecord, options: AttachOptions): AttachedStreams {
  const containers = engine.containers;
  const tty = record.Config.Tty;
  const queue = new AsyncQueue<OutputFrame>();
  const listener: OutputListener = (stream, data) => {
    if (stream === 'stdout' ? options.stdout === false : options.stderr === false) return undefined;
    return queue.push({ stream: tty ? 'stdout' : stream, data });
  };
  const output = containers.attachOutput(record.Id, listener);
  let finish!: (how: 'exited' | 'detached' | 'closed') => void;
  const ended = new Promise<'exited' | 'detached' | 'closed'>((resolve) => (finish = resolve));
  const started: Promise<LiveContainer> = new Promise((resolve) => {
    const live = containers.live(record.Id);
    if (live) return resolve(live);
    const sub = containers.onStart((id, l) => {
      if (id !== record.Id) return;
      sub.dispose();
      resolve(l);
    });
    void ended.then(() => sub.dispose());
  });
  void started.then((live) => live.stopped.then(() => finish('exited')));
  void ended.then(() => {
    output.dispose();
    queue.close();
  });

  const stdin: ByteSink | null =
    options.stdin && record.Config.OpenStdin
      ? detachingSink({
          keys: options.detachKeys ? new Uint8Array(parseDetachKeys(options.detachKeys)) : DEFAULT_DETACH_KEYS,
          tty,
          target: async () => {
            const live = await started;
            if (tty) await live.process.console;
            return live.process.stdin;
          },
          detach: () => finish('detached'),
          // stdin-once: the container's stdin closes with the client's.
          end: () => {
            if (record.Config.StdinOnce && !tty) void started.then((live) => live.process.stdin.end());
          },
        })
      : null;
  return {
    tty,
    output: queue,
    stdin,
    ended,
    close: () => finish('closed'),
  };
}
