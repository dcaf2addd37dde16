// Pushes the panels' snapshot to the page: at subscribe and after every engine event (containers,
// images and volumes all emit them). Bursts (run = create + start) are debounced into one push.
// Everything it shows comes through the Engine API, as for any other client of the daemon.
import type { EngineApi, EngineEvent } from '../engine/api/types.ts';
import type { BuildView, EngineCallbacks, EngineSnapshot } from '../protocol/ui.ts';
import { containerViews, imageView, volumeViews, type ContainerSummary, type ImageSummary, type VolumeSummary } from './engine-views.ts';

const FEED = {
  /** `docker run -d` emits create and start a few ms apart: one push for both. */
  debounceMs: 50,
  /** Texts like "Up 3 seconds" age with the clock: re-render this often, push only if one changed. */
  ageTickMs: 1000,
} as const;

/** The routes the panels read. */
export type FeedApi = Pick<EngineApi, 'containerList' | 'imageList' | 'volumeList' | 'diskUsage' | 'events'>;

interface Volumes {
  list: VolumeSummary[];
  /** `docker system df`'s volumes, with their sizes. */
  usage: VolumeSummary[];
}

export class EngineFeed {
  readonly #api: FeedApi;
  readonly #now: () => number;
  readonly #subscribers = new Map<number, EngineCallbacks>();
  #nextId = 1;
  /** Image summaries read from the store once per change, not once per tick. */
  #images: Promise<ImageSummary[]> | null = null;
  /** Volume sizes walk their trees: once per change too (a size seen at the last event). */
  #volumes: Promise<Volumes> | null = null;
  #lastPushed = '';
  #debounce: ReturnType<typeof setTimeout> | null = null;
  #ticker: ReturnType<typeof setInterval> | null = null;
  /** Ends the events stream when the last panel goes. */
  #events: AbortController | null = null;
  /** Builds under way, from builder events (`end` removes one). */
  readonly #builds = new Map<string, BuildView>();
  /** Pushes run one at a time so snapshots arrive in order. */
  #queue: Promise<void> = Promise.resolve();

  constructor(api: FeedApi, now: () => number) {
    this.#api = api;
    this.#now = now;
  }

  async subscribe(callbacks: EngineCallbacks): Promise<number> {
    const id = this.#nextId++;
    if (this.#subscribers.size === 0) {
      this.#followEvents();
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
    this.#events?.abort();
    this.#events = null;
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = null;
  }

  /** Something may have changed containers, images or volumes: push a fresh snapshot soon. */
  changed(): void {
    this.#images = null;
    this.#volumes = null;
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      this.#debounce = null;
      this.#push(true);
    }, FEED.debounceMs);
  }

  /** GET /events from now on: every event may change what the panels show. */
  #followEvents(): void {
    const controller = new AbortController();
    this.#events = controller;
    const events = this.#api.events({}, controller.signal);
    void (async () => {
      for await (const event of events) {
        if (event.Type === 'builder') this.#build(event);
        this.changed();
      }
    })().catch(() => undefined); // the daemon went away: a new feed follows the next one
  }

  #build(event: EngineEvent): void {
    const id = event.Actor.ID;
    if (event.Action === 'end') {
      this.#builds.delete(id);
      return;
    }
    const a = event.Actor.Attributes;
    this.#builds.set(id, { id, name: a.name ?? '', step: Number(a.step), total: Number(a.total), instruction: a.instruction ?? '' });
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

  async #readVolumes(): Promise<Volumes> {
    const [list, usage] = await Promise.all([this.#api.volumeList(), this.#api.diskUsage({ type: ['volume'] })]);
    return { list: list.Volumes as unknown as VolumeSummary[], usage: (usage.Volumes ?? []) as unknown as VolumeSummary[] };
  }

  async #render(): Promise<EngineSnapshot> {
    const now = this.#now();
    this.#images ??= this.#api.imageList() as unknown as Promise<ImageSummary[]>;
    const images = await this.#images.catch(() => [] as ImageSummary[]);
    this.#volumes ??= this.#readVolumes();
    const volumes = await this.#volumes.catch((): Volumes => ({ list: [], usage: [] }));
    // Every render: the status texts ("Up 3 seconds") are the daemon's, computed when asked.
    const containers = (await this.#api.containerList({ all: true })) as unknown as ContainerSummary[];
    return {
      containers: containerViews(containers, now),
      images: images.map((i) => imageView(i, now)),
      volumes: volumeViews(volumes.list, volumes.usage, containers),
      builds: [...this.#builds.values()],
    };
  }
}
