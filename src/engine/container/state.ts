// The container lifecycle as an explicit state machine (STYLE.md §10). Every operation checks
// its guard first and fails with the daemon's own words (moby v28 daemon/*.go).
import { ApiError, type ApiErrorKind } from '../api/errors.ts';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** Docker API `State` of a container, in Docker's field order. */
export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function createdState(): ContainerState {
  return {
    Status: 'created',
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 0,
    ExitCode: 0,
    Error: '',
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
  };
}

/** An error the daemon answers with, of one of moby's kinds (a conflict unless said otherwise). */
export class DaemonError extends ApiError {
  override name = 'DaemonError';
  constructor(
    message: string,
    kind: ApiErrorKind = 'conflict',
    /** For start failures: the exit code Docker's CLI derives from the message (126, 127). */
    readonly exitCode?: number,
  ) {
    super(kind, message);
  }
}

export function noSuchContainer(ref: string): DaemonError {
  return new DaemonError(`No such container: ${ref}`, 'not-found');
}

function notRunning(id: string): DaemonError {
  return new DaemonError(`container ${id} is not running`);
}

export function isActive(s: ContainerState): boolean {
  return s.Running || s.Restarting;
}

/** A guard returns null when the operation may proceed. */
export const guards = {
  start(s: ContainerState, id: string): DaemonError | null {
    if (s.Status === 'paused') return new DaemonError('cannot start a paused container, try unpause instead');
    if (s.Status === 'removing') return new DaemonError(`container is marked for removal and cannot be started`);
    if (s.Status === 'dead') return new DaemonError(`container is marked for removal and cannot be started`);
    void id;
    return null;
  },
  pause(s: ContainerState, id: string): DaemonError | null {
    if (!s.Running) return notRunning(id);
    if (s.Paused) return new DaemonError(`container ${id} is already paused`);
    if (s.Restarting) return new DaemonError(`Container ${id} is restarting, wait until the container is running`);
    return null;
  },
  unpause(s: ContainerState, id: string): DaemonError | null {
    if (!s.Paused) return new DaemonError(`Container ${id} is not paused`);
    return null;
  },
  kill(s: ContainerState, id: string): DaemonError | null {
    if (!s.Running) return notRunning(id);
    return null;
  },
  exec(s: ContainerState, id: string): DaemonError | null {
    if (!s.Running) return notRunning(id);
    if (s.Paused) return new DaemonError(`Container ${id} is paused, unpause the container before exec`);
    if (s.Restarting) return new DaemonError(`Container ${id} is restarting, wait until the container is running`);
    return null;
  },
  attach(s: ContainerState, ref: string): DaemonError | null {
    if (!s.Running) return new DaemonError('You cannot attach to a stopped container, start it first');
    if (s.Paused) return new DaemonError(`container ${ref} is paused, unpause the container before attach`);
    if (s.Restarting) return new DaemonError(`container ${ref} is restarting, wait until the container is running`);
    return null;
  },
  remove(s: ContainerState, name: string, force: boolean): DaemonError | null {
    if (s.Status === 'removing') return new DaemonError(`removal of container ${name.replace(/^\//, '')} is already in progress`);
    if (!force && isActive(s)) {
      const why = s.Paused
        ? 'container is paused and must be unpaused first'
        : `container is ${s.Restarting ? 'restarting' : 'running'}: stop the container before removing or force remove`;
      return new DaemonError(`cannot remove container ${JSON.stringify(name)}: ${why}`);
    }
    return null;
  },
  top(s: ContainerState, id: string): DaemonError | null {
    if (!s.Running) return notRunning(id);
    if (s.Restarting) return new DaemonError(`Container ${id} is restarting, wait until the container is running`);
    return null;
  },
} as const;
