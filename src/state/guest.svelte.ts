// The page's view of the guest: boot status and progress, mirrored from the engine worker, plus
// the two guards around it: one engine per browser profile (host lock) and crash recovery.
import { bootCallbacks, engineHealth, startEngine, type EngineClient, type EngineWorker } from '../client/engine.ts';
import type { BootInfo, BootRequestOptions } from '../protocol/ui.ts';
import { applyBootEvent, initialBootProgress, type BootProgress } from './boot-progress.ts';
import { acquireHostLock, type HostLocks } from './host-lock.ts';
import { StorageState } from './storage.svelte.ts';

/** How often the page checks that the engine worker answers, and how long it waits. */
export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
}
const HEARTBEAT: HeartbeatOptions = { intervalMs: 5_000, timeoutMs: 20_000 };
const HEARTBEAT_MISSES = 2;

/** `locked`: another tab runs the engine; `rebooting`: the guest crashed or hung and restarts. */
export type GuestStatus = 'starting' | 'locked' | 'booting' | 'ready' | 'rebooting' | 'failed';

export class GuestState {
  status = $state<GuestStatus>('starting');
  boot = $state.raw<BootInfo | null>(null);
  progress = $state.raw<BootProgress>(initialBootProgress);
  error = $state<string | null>(null);
  /** The guest's memory use, as of the last heartbeat. */
  memory = $state.raw<{ used: number; total: number } | null>(null);
  /** Times the guest was rebooted after a crash or hang since the page loaded. */
  reboots = $state(0);
  /** The user asked to take over from another tab; waiting for it to close. */
  waitingForLock = $state(false);
  readonly storage = new StorageState();
  /** Used by start() when given no options (set before it, e.g. from debugBootOptions). */
  bootOptions: BootRequestOptions = {};
  heartbeat: HeartbeatOptions = HEARTBEAT;
  #engine: EngineClient | null = null;
  #worker: EngineWorker | null = null;
  #heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #replacedListeners = new Set<(engine: EngineClient) => void>();
  readonly #locks: HostLocks | undefined = globalThis.navigator?.locks;
  readonly #rebootListeners = new Set<() => void>();
  #lockGranted: (() => void) | null = null;

  get engine(): EngineClient | null {
    return this.#engine;
  }

  /** Resolves once the guest is ready or failed (a locked page waits for takeOver()). */
  async start(guestBase: string, options: BootRequestOptions = this.bootOptions): Promise<void> {
    try {
      if (!(await acquireHostLock(this.#locks, false))) {
        this.status = 'locked';
        await new Promise<void>((resolve) => (this.#lockGranted = resolve));
      }
      this.status = 'starting';
      await this.#startWorker(guestBase, options);
      this.status = 'ready';
      this.storage.start();
      // A hidden page may be closed or reloaded next: keep what running containers changed.
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') void this.#engine?.checkpoint();
      });
    } catch (e) {
      this.error = (e as Error).message;
      this.status = 'failed';
    }
  }

  /** A worker with a booted guest; the heartbeat then watches it. */
  async #startWorker(guestBase: string, options: BootRequestOptions): Promise<void> {
    this.#worker = await startEngine();
    this.#engine = this.#worker.engine;
    if (this.status !== 'rebooting') this.status = 'booting';
    this.boot = await this.#engine.boot(
      guestBase,
      options,
      bootCallbacks({
        progress: (event) => (this.progress = applyBootEvent(this.progress, event)),
        guestLost: () => {
          this.status = 'rebooting';
        },
        rebooted: (info) => {
          this.boot = info;
          this.#recovered();
        },
        rebootFailed: (message) => {
          this.error = message;
          this.status = 'failed';
        },
      }),
    );
    this.#beat(guestBase, options);
  }

  /**
   * One health check per interval. Two misses in a row end the worker: a page whose own thread
   * was busy past the timeout can see its timer fire before the answer it already has.
   */
  #beat(guestBase: string, options: BootRequestOptions, missed = 0): void {
    const engine = this.#engine;
    this.#heartbeatTimer = setTimeout(async () => {
      if (!engine || engine !== this.#engine) return;
      const health = await engineHealth(engine, this.heartbeat.timeoutMs);
      if (engine !== this.#engine) return;
      if (health) {
        this.memory = health.memory;
        this.#beat(guestBase, options);
      } else if (missed + 1 < HEARTBEAT_MISSES) this.#beat(guestBase, options, missed + 1);
      else await this.#replaceWorker(guestBase, options);
    }, missed ? 0 : this.heartbeat.intervalMs);
  }

  /**
   * The worker stopped answering (it died, or hangs outside the guest): end it and boot a new one
   * on the same stores, as a page reload would. Its IndexedDB writes are whole or absent.
   */
  async #replaceWorker(guestBase: string, options: BootRequestOptions): Promise<void> {
    this.status = 'rebooting';
    this.#worker?.terminate();
    this.#worker = null;
    this.#engine = null;
    try {
      await this.#startWorker(guestBase, options);
      for (const listener of this.#replacedListeners) listener(this.#engine!);
      this.#recovered();
    } catch (e) {
      this.error = (e as Error).message;
      this.status = 'failed';
    }
  }

  #recovered(): void {
    this.reboots++;
    this.status = 'ready';
    for (const listener of this.#rebootListeners) listener();
  }

  /** Runs when a new engine worker replaced a dead one (before the onRebooted listeners). */
  onEngineReplaced(listener: (engine: EngineClient) => void): () => void {
    this.#replacedListeners.add(listener);
    return () => this.#replacedListeners.delete(listener);
  }

  /** Tests only: ends the engine worker as a crash would. */
  debugKillWorker(): void {
    this.#worker?.terminate();
  }

  /** Another tab holds the engine: start here as soon as it closes. */
  async takeOver(): Promise<void> {
    if (this.status !== 'locked' || this.waitingForLock) return;
    this.waitingForLock = true;
    if (await acquireHostLock(this.#locks, true)) this.#lockGranted?.();
    this.waitingForLock = false;
  }

  /** Runs after each automatic reboot (open shells have ended by then); returns a disposer. */
  onRebooted(listener: () => void): () => void {
    this.#rebootListeners.add(listener);
    return () => this.#rebootListeners.delete(listener);
  }

  /** Tests only: freezes the guest so the watchdog reboots it. */
  async debugFreezeGuest(): Promise<void> {
    await this.#engine?.debugFreezeGuest();
  }
}
