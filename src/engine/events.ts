// The daemon's event stream (`docker events`, and what the page's panels mirror). Each event is
// kept for `--since` queries in a bounded history, and handed to every live subscriber.
import type { Disposable } from '../protocol/guest/port.ts';

/**
 * moby's event types. `builder` events with actions `step` and `end` are Slipway's own: they tell
 * the page (through GET /events, as any client) how far a build has got.
 */
export type EventType = 'container' | 'image' | 'volume' | 'network' | 'daemon' | 'builder';

/** Docker API `events.Message`, in Docker's field order. */
export interface EngineEvent {
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
}

const HISTORY = 1024;

export class EventBus {
  readonly #listeners = new Set<(event: EngineEvent) => void>();
  readonly #history: EngineEvent[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  emit(Type: EventType, Action: string, ID: string, Attributes: Record<string, string> = {}): EngineEvent {
    const ms = this.#now();
    const event: EngineEvent = {
      Type,
      Action,
      Actor: { ID, Attributes },
      scope: 'local',
      time: Math.floor(ms / 1000),
      timeNano: Math.round(ms * 1e6),
    };
    this.#history.push(event);
    if (this.#history.length > HISTORY) this.#history.shift();
    for (const listener of [...this.#listeners]) listener(event);
    return event;
  }

  /** Events already emitted with time in [sinceMs, untilMs]. */
  history(sinceMs = 0, untilMs = Infinity): EngineEvent[] {
    return this.#history.filter((e) => e.timeNano / 1e6 >= sinceMs && e.timeNano / 1e6 <= untilMs);
  }

  /** Live subscriptions (a client that went away must not leave one behind). */
  get subscriberCount(): number {
    return this.#listeners.size;
  }

  subscribe(listener: (event: EngineEvent) => void): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }
}
