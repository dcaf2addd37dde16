// The panels' view of the engine: a mirror of the snapshots the worker pushes, plus the buttons'
// actions (a button stays disabled while its container's action runs).
import { engineCallbacks, type EngineClient } from '../client/engine.ts';
import { saveBytes } from './transfer.ts';
import type { BuildView, ContainerAction, ContainerStateName, ContainerView, ImageView, VolumeView } from '../protocol/ui.ts';

/** Which buttons make sense in each state (the daemon's guards would refuse the others). */
const ENABLED: Record<ContainerStateName, readonly ContainerAction[]> = {
  created: ['start', 'remove'],
  running: ['stop', 'restart', 'pause', 'remove'],
  paused: ['stop', 'restart', 'unpause', 'remove'],
  restarting: ['stop', 'remove'],
  removing: [],
  exited: ['start', 'restart', 'remove'],
  dead: ['remove'],
};

export function actionEnabled(state: ContainerStateName, action: ContainerAction): boolean {
  return ENABLED[state]?.includes(action) ?? false;
}

export class EngineState {
  containers = $state.raw<ContainerView[]>([]);
  images = $state.raw<ImageView[]>([]);
  volumes = $state.raw<VolumeView[]>([]);
  builds = $state.raw<BuildView[]>([]);
  /** IDs (containers and images) and volume names with an action under way. */
  pending = $state.raw<ReadonlySet<string>>(new Set());
  /** The daemon's answer to the last failed action, until dismissed. */
  error = $state<string | null>(null);
  running = $derived(this.containers.filter((c) => c.state === 'running').length);
  #engine: EngineClient | null = null;
  #subscription: number | null = null;

  async attach(engine: EngineClient): Promise<void> {
    this.#engine = engine;
    this.#subscription = await engine.subscribeEngine(
      engineCallbacks({
        snapshot: (snapshot) => {
          this.containers = snapshot.containers;
          this.images = snapshot.images;
          this.volumes = snapshot.volumes;
          this.builds = snapshot.builds;
        },
      }),
    );
  }

  containerAction(id: string, action: ContainerAction): Promise<void> {
    return this.#run(id, (engine) => engine.containerAction(id, action));
  }

  removeImage(id: string): Promise<void> {
    return this.#run(id, (engine) => engine.removeImage(id));
  }

  removeVolume(name: string): Promise<void> {
    return this.#run(name, (engine) => engine.removeVolume(name));
  }

  /** `docker save` of one image, offered to the browser as `<name>.tar`. */
  saveImage(id: string, ref: string): Promise<void> {
    return this.#run(id, async (engine) => saveBytes(await engine.saveImage(ref), `${ref.replace(/[/:@]+/g, '_')}.tar`, 'application/x-tar'));
  }

  /** `docker load` of dropped archives; resolves with the daemon's lines (errors land in `error`). */
  async loadImages(archives: readonly Uint8Array[]): Promise<string[]> {
    const lines: string[] = [];
    for (const archive of archives) await this.#run('load', async (engine) => void lines.push(...(await engine.loadImages(archive))));
    return lines;
  }

  dismissError(): void {
    this.error = null;
  }

  dispose(): void {
    if (this.#engine && this.#subscription !== null) void this.#engine.unsubscribeEngine(this.#subscription);
    this.#subscription = null;
  }

  async #run(id: string, action: (engine: EngineClient) => Promise<void>): Promise<void> {
    if (!this.#engine || this.pending.has(id)) return;
    this.pending = new Set([...this.pending, id]);
    try {
      await action(this.#engine);
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      const rest = new Set(this.pending);
      rest.delete(id);
      this.pending = rest;
    }
  }
}
