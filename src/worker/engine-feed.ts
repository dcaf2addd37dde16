// Pushes the panels' snapshot to the page: at subscribe and after every engine event (containers,
// images and volumes all emit them). Bursts (run = create + start) are debounced into one push.
import type { ContainerRecord } from '../engine/container/record.ts';
import type { EngineEvent } from '../engine/events.ts';
import type { ImageSummary } from '../engine/image/store/views.ts';
import type { Disposable } from '../protocol/guest/port.ts';
import type { EngineCallbacks, EngineSnapshot } from '../protocol/ui.ts';
import type { VolumeUsage } from '../engine/volume/volumes.ts';
import { containerViews, imageView, volumeViews } from './engine-views.ts';

const FEED = {
  /** `docker run -d` emits create and start a few ms apart: one push for both. */
  debounceMs: 50,
  /** Texts like "Up 3 seconds" age with the clock: re-render this often, push only if one changed. */
  ageTickMs: 1000,
} as const;

export interface FeedSources {
  containers(): readonly ContainerRecord[];
  images(): Promise<ImageSummary[]>;
  volumes(): Promise<VolumeUsage[]>;
  events: { subscribe(listener: (event: EngineEvent) => void): Disposable };
  now(): number;
}

export class EngineFeed {
  readonly #sources: FeedSources;
  readonly #subscribers = new Map<number, EngineCallbacks>();
  #nextId = 1;
  /** Image summaries read from the store once per change, not once per tick. */
  #images: Promise<ImageSummary[]> | null = null;
  /** Volume sizes walk their trees: once per change too (a size seen at the last event). */
  #volumes: Promise<VolumeUsage[]> | null = null;
  #lastPushed = '';
  #debounce: ReturnType<typeof setTimeout> | null = null;
  #ticker: ReturnType<typeof setInterval> | null = null;
  #events: Disposable | null = null;
  /** Pushes run one at a time so snapshots arrive in order. */
  #queue: Promise<void> = Promise.resolve();

  constructor(sources: FeedSources) {
    this.#sources = sources;
  }

  async subscribe(callbacks: EngineCallbacks): Promise<number> {
    const id = this.#nextId++;
    if (this.#subscribers.size === 0) {
      this.#events = this.#sources.events.subscribe(() => this.changed());
      this.#ticker = setInterval(() => this.#push(false), FEED.ageTickMs);
    }
    this.#subscribers.set(id, callbacks);
    await this.#enqueue(async () => {
      const snapshot = await this.#render();
      await callbacks.snapshot(snapshot);
    });
    return id;
  }

  unsubscribe(id: number): void {
    this.#subscribers.delete(id);
    if (this.#subscribers.size > 0) return;
    this.#events?.dispose();
    this.#events = null;
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = null;
  }

  /** Something may have changed containers or images: push a fresh snapshot soon. */
  changed(): void {
    this.#images = null;
    this.#volumes = null;
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = null;
      this.#push(true);
    }, FEED.debounceMs);
  }

  #push(force: boolean): void {
    if (this.#subscribers.size === 0) return;
    void this.#enqueue(async () => {
      const snapshot = await this.#render();
      const text = JSON.stringify(snapshot);
      if (!force && text === this.#lastPushed) return;
      this.#lastPushed = text;
      for (const [id, callbacks] of this.#subscribers) {
        // A page that went away (reload) cannot unsubscribe: drop it on the first failure.
        Promise.resolve(callbacks.snapshot(snapshot)).catch(() => this.unsubscribe(id));
      }
    }).catch(() => undefined); // a failed render is retried by the next change
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #render(): Promise<EngineSnapshot> {
    const now = this.#sources.now();
    this.#images ??= this.#sources.images();
    const images = await this.#images.catch(() => [] as ImageSummary[]);
    this.#volumes ??= this.#sources.volumes();
    const volumes = await this.#volumes.catch(() => [] as VolumeUsage[]);
    const containers = this.#sources.containers();
    return {
      containers: containerViews(containers, now),
      images: images.map((i) => imageView(i, now)),
      volumes: volumeViews(volumes, containers),
    };
  }
}
