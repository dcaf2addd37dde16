// The /exec routes: a process in a running container through `crun exec`. An exec is created
// (its configuration kept by the daemon, as moby does), started attached or detached, and
// inspected for its exit code. crun's own failures become moby's "OCI runtime exec failed" text on
// the stream and exit code 126/127.
import type { ByteSink, GuestProcess } from '../../protocol/guest/port.ts';
import { AsyncQueue } from '../../lib/async-queue.ts';
import { execProcess } from '../container/launch.ts';
import { parseDetachKeys } from '../../lib/signals.ts';
import { DEFAULT_DETACH_KEYS, detachingSink } from '../container/detach-keys.ts';
import { eventAttributes } from '../container/record.ts';
import { GuestPaths } from '../container/runtime.ts';
import { DaemonError, guards } from '../container/state.ts';
import type { Engine } from '../engine.ts';
import type { AttachedStreams, EngineApi, ExecCreateRequest, ExecInspectResponse, OutputFrame } from './types.ts';

type ExecRoutes = Pick<EngineApi, 'execCreate' | 'execStart' | 'execInspect' | 'execResize'>;

interface ExecState {
  id: string;
  containerId: string;
  config: ExecCreateRequest;
  running: boolean;
  exitCode: number | null;
  pid: number;
  process: GuestProcess | null;
}

/** Execs are forgotten this long after they end (moby keeps them until the container goes). */
const KEEP_ENDED = 256;

export function execRoutes(engine: Engine): ExecRoutes {
  const execs = new Map<string, ExecState>();
  const find = (id: string): ExecState => {
    const e = execs.get(id);
    if (!e) throw new DaemonError(`No such exec instance: ${id}`, 'not-found');
    return e;
  };
  const forgetOld = () => {
    const ended = [...execs.values()].filter((e) => !e.running && e.exitCode !== null);
    for (const e of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) execs.delete(e.id);
  };

  async function launch(state: ExecState, tty: boolean): Promise<GuestProcess> {
    const record = engine.containers.registry.get(state.containerId);
    const refused = guards.exec(record.State, record.Id);
    if (refused) throw refused;
    const c = state.config;
    const size = c.ConsoleSize ? { rows: c.ConsoleSize[0], cols: c.ConsoleSize[1] } : undefined;
    const process = await execProcess(engine.containers.launchDeps, record, {
      args: c.Cmd,
      env: c.Env ?? [],
      user: c.User ?? '',
      workdir: c.WorkingDir ?? '',
      tty,
      privileged: c.Privileged ?? false,
      size,
    });
    const shortId = state.id.slice(0, 16);
    await engine.guest.files.write(`${GuestPaths.shared(record.Id)}/exec-${shortId}.json`, new TextEncoder().encode(JSON.stringify(process)));
    const proc = await engine.runtime.exec(record.Id, `${GuestPaths.sharedInGuest(record.Id)}/exec-${shortId}.json`, tty, shortId);
    state.process = proc;
    state.running = true;
    state.pid = proc.pid;
    engine.events.emit('container', `exec_start: ${[...c.Cmd].join(' ')}`, record.Id, { execID: state.id, ...eventAttributes(record) });
    return proc;
  }

  return {
    async execCreate(id, body) {
      const record = engine.containers.registry.get(id);
      const refused = guards.exec(record.State, record.Id);
      if (refused) throw refused;
      if (!body.Cmd?.length) throw new DaemonError('No exec command specified', 'invalid-parameter');
      if (body.DetachKeys) {
        try {
          parseDetachKeys(body.DetachKeys);
        } catch (e) {
          throw new DaemonError((e as Error).message, 'invalid-parameter');
        }
      }
      const bytes = new Uint8Array(32);
      crypto.getRandomValues(bytes);
      const execId = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
      execs.set(execId, { id: execId, containerId: record.Id, config: body, running: false, exitCode: null, pid: 0, process: null });
      forgetOld();
      engine.events.emit('container', `exec_create: ${body.Cmd.join(' ')}`, record.Id, { execID: execId, ...eventAttributes(record) });
      return { Id: execId };
    },

    async execStart(execId, body) {
      const state = find(execId);
      if (state.running || state.exitCode !== null) throw new DaemonError(`Exec command ${execId} has already run`, 'conflict');
      const c = state.config;
      const tty = body.Tty ?? c.Tty ?? false;
      if (body.ConsoleSize) state.config = { ...c, ConsoleSize: body.ConsoleSize };
      const proc = await launch(state, tty);
      const finished = (code: number) => {
        state.running = false;
        state.exitCode = code;
        const record = engine.containers.registry.find(state.containerId);
        if (record) engine.events.emit('container', 'exec_die', record.Id, { execID: state.id, exitCode: String(code), ...eventAttributes(record) });
      };
      if (body.Detach) {
        proc.stdin.end();
        void drainAndFinish(proc, null, finished);
        return null;
      }
      return attachExec(proc, state, tty, finished);
    },

    async execInspect(execId): Promise<ExecInspectResponse> {
      const s = find(execId);
      const [entrypoint = '', ...args] = s.config.Cmd;
      return {
        ID: s.id,
        Running: s.running,
        ExitCode: s.exitCode,
        ProcessConfig: { tty: s.config.Tty ?? false, entrypoint, arguments: args, privileged: s.config.Privileged ?? false, ...(s.config.User ? { user: s.config.User } : {}) },
        OpenStdin: s.config.AttachStdin ?? false,
        OpenStderr: s.config.AttachStderr ?? false,
        OpenStdout: s.config.AttachStdout ?? false,
        CanRemove: !s.running && s.exitCode !== null,
        ContainerID: s.containerId,
        DetachKeys: s.config.DetachKeys ?? '',
        Pid: s.pid,
      };
    },

    async execResize(execId, size) {
      const s = find(execId);
      if (!s.process || !s.running) throw new DaemonError(`Exec ${execId} is not running`, 'conflict');
      s.process.resize(size.h, size.w);
    },
  };
}

/** crun's message for a process that never ran, in moby's words, with the exit code. */
function crunFailure(text: string): { message: string; code: number } {
  const m = /executable file `([^`]*)` not found/.exec(text);
  if (m) return { message: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${m[1]}": executable file not found in $PATH: unknown\n`, code: 127 };
  return { message: `OCI runtime exec failed: exec failed: unable to start container process: ${text.replace(/^crun: /, '').trim()}: unknown\n`, code: 126 };
}

const isCrunMessage = (text: string) => /^(crun: )?executable file `|^crun: /.test(text);

/** Reads the process's outputs into `queue` (or drops them), then records its exit code. */
async function drainAndFinish(proc: GuestProcess, queue: AsyncQueue<OutputFrame> | null, finished: (code: number) => void): Promise<void> {
  const decoder = new TextDecoder();
  let crunError = '';
  const out = (async () => {
    for await (const data of proc.stdout) await queue?.push({ stream: 'stdout', data });
  })();
  const err = (async () => {
    for await (const data of proc.stderr) {
      const text = decoder.decode(data, { stream: true });
      if (crunError || isCrunMessage(text)) crunError += text;
      else await queue?.push({ stream: 'stderr', data });
    }
  })();
  const [status] = await Promise.all([proc.exited, out.catch(() => undefined), err.catch(() => undefined)]);
  let code = status.signal ? 128 + status.signal : status.code;
  if (crunError) {
    const failure = crunFailure(crunError);
    await queue?.push({ stream: 'stderr', data: new TextEncoder().encode(failure.message) });
    code = failure.code;
  }
  finished(code);
  queue?.close();
}

function attachExec(proc: GuestProcess, state: ExecState, tty: boolean, finished: (code: number) => void): AttachedStreams {
  const queue = new AsyncQueue<OutputFrame>();
  let finish!: (how: 'exited' | 'detached' | 'closed') => void;
  const ended = new Promise<'exited' | 'detached' | 'closed'>((resolve) => (finish = resolve));
  void drainAndFinish(proc, queue, finished).then(() => finish('exited'));
  void ended.then(() => queue.close());
  if (tty && state.config.ConsoleSize) void proc.console.then(() => proc.resize(state.config.ConsoleSize![0], state.config.ConsoleSize![1]));
  const detachKeys = state.config.DetachKeys;
  const stdin: ByteSink | null = state.config.AttachStdin
    ? detachingSink({
        keys: detachKeys ? new Uint8Array(parseDetachKeys(detachKeys)) : DEFAULT_DETACH_KEYS,
        tty,
        target: async () => (tty && (await proc.console), proc.stdin),
        detach: () => finish('detached'),
        end: () => {
          if (!tty) proc.stdin.end();
        },
      })
    : (proc.stdin.end(), null);
  return { tty, output: queue, stdin, ended, close: () => finish('closed') };
}
