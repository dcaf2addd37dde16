// The page's view of the guest: boot status, mirrored from the engine worker.
import { startEngine, type EngineClient } from '../client/engine.ts';
import type { BootInfo } from '../protocol/ui.ts';

export type GuestStatus = 'starting' | 'booting' | 'ready' | 'failed';

export class GuestState {
  status = $state<GuestStatus>('starting');
  boot = $state.raw<BootInfo | null>(null);
  error = $state<string | null>(null);
  #engine: EngineClient | null = null;

  get engine(): EngineClient | null {
    return this.#engine;
  }

  async start(guestBase: string): Promise<void> {
    try {
      this.#engine = await startEngine();
      this.status = 'booting';
      this.boot = await this.#engine.boot(guestBase);
      this.status = 'ready';
      // A hidden page may be closed or reloaded next: keep what running containers changed.
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') void this.#engine?.checkpoint();
      });
    } catch (e) {
      this.error = (e as Error).message;
      this.status = 'failed';
    }
  }
}
