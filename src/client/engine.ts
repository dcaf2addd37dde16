// Main-thread side of the engine worker: starts it and returns the typed Comlink proxy.
import * as Comlink from 'comlink';
import { UI_PROTOCOL_VERSION, type BootCallbacks, type EngineHealth, type EngineCallbacks, type EngineWorkerApi, type ShellCallbacks, type WorkspaceCallbacks } from '../protocol/ui.ts';

export type EngineClient = Comlink.Remote<EngineWorkerApi>;

export interface EngineWorker {
  engine: EngineClient;
  /** Ends the worker (and the guest in it) at once. */
  terminate(): void;
}

export async function startEngine(): Promise<EngineWorker> {
  const worker = new Worker(new URL('../worker/main.ts', import.meta.url), { type: 'module', name: 'slipway-engine' });
  const engine = Comlink.wrap<EngineWorkerApi>(worker);
  const version = await engine.protocolVersion();
  if (version !== UI_PROTOCOL_VERSION) throw new Error(`engine worker speaks UI protocol ${version}, page ${UI_PROTOCOL_VERSION}`);
  let ended = false;
  return {
    engine,
    terminate: () => {
      if (ended) return;
      ended = true;
      engine[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/**
 * Resolves null when the worker does not answer within `timeoutMs`: it died (out of memory,
 * a crash of the browser's worker process) or is stuck.
 */
export async function engineHealth(engine: EngineClient, timeoutMs: number): Promise<EngineHealth | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    // A released proxy (terminated worker) throws synchronously: keep it inside the promise.
    const answer = Promise.resolve().then(() => engine.health()).catch(() => null);
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Callbacks cross the worker boundary by proxy. */
export const shellCallbacks = (callbacks: ShellCallbacks) => Comlink.proxy(callbacks);
export const engineCallbacks = (callbacks: EngineCallbacks) => Comlink.proxy(callbacks);
export const workspaceCallbacks = (callbacks: WorkspaceCallbacks) => Comlink.proxy(callbacks);
export const bootCallbacks = (callbacks: BootCallbacks) => Comlink.proxy(callbacks);
