// Main-thread side of the engine worker: starts it and returns the typed Comlink proxy.
import * as Comlink from 'comlink';
import { UI_PROTOCOL_VERSION, type BootCallbacks, type EngineCallbacks, type EngineWorkerApi, type ShellCallbacks, type WorkspaceCallbacks } from '../protocol/ui.ts';

export type EngineClient = Comlink.Remote<EngineWorkerApi>;

export async function startEngine(): Promise<EngineClient> {
  const worker = new Worker(new URL('../worker/main.ts', import.meta.url), { type: 'module', name: 'slipway-engine' });
  const engine = Comlink.wrap<EngineWorkerApi>(worker);
  const version = await engine.protocolVersion();
  if (version !== UI_PROTOCOL_VERSION) throw new Error(`engine worker speaks UI protocol ${version}, page ${UI_PROTOCOL_VERSION}`);
  return engine;
}

/** Callbacks cross the worker boundary by proxy. */
export const shellCallbacks = (callbacks: ShellCallbacks) => Comlink.proxy(callbacks);
export const engineCallbacks = (callbacks: EngineCallbacks) => Comlink.proxy(callbacks);
export const workspaceCallbacks = (callbacks: WorkspaceCallbacks) => Comlink.proxy(callbacks);
export const bootCallbacks = (callbacks: BootCallbacks) => Comlink.proxy(callbacks);
