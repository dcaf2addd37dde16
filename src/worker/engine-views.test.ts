// The panels' rows carry exactly the texts `docker ps -a` and `docker images` print.
import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '../cli/testing/fake-api.ts';
import { statusText } from '../engine/api/container-list.ts';
import type { EngineEvent, JsonObject } from '../engine/api/types.ts';
import type { ContainerRecord } from '../engine/container/record.ts';
import { createdState, type ContainerState } from '../engine/container/state.ts';
import { containerSummary } from '../engine/container/views.ts';
import { EventBus } from '../engine/events.ts';
import { AsyncQueue } from '../lib/async-queue.ts';
import type { EngineSnapshot } from '../protocol/ui.ts';
import { EngineFeed } from './engine-feed.ts';
import { containerViews, imageView, volumeViews, type ContainerSummary, type ImageSummary } from './engine-views.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

const config = (image: string, exposed: string[] = []): ContainerRecord['Config'] =>
  ({ Image: image, Cmd: ['sleep', '1000'], ExposedPorts: Object.fromEntries(exposed.map((p) => [p, {}])) }) as unknown as ContainerRecord['Config'];

/** What GET /containers/json answers for the records at `now` (the daemon's own view). */
function summaries(records: readonly ContainerRecord[], now = NOW): JsonObject[] {
  return records.map((r) => containerSummary(r, { now, statusText: statusText(r, now) }));
}

const asSummaries = (list: JsonObject[]) => list as unknown as ContainerSummary[];

function record(name: string, state: Partial<ContainerState>, extra: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    Id: name.padEnd(64, '0'),
    Created: ago(300),
    Path: 'sleep',
    Args: ['1000'],
    State: { ...createdState(), ...state },
    Image: 'sha256:' + 'b'.repeat(64),
    Name: `/${name}`,
    RestartCount: 0,
    Config: config('busybox'),
    HostConfig: {} as ContainerRecord['HostConfig'],
    network: null,
    ...extra,
  };
}

describe('containerViews', () => {
  it.each([
    ['created', record('a', {}), { state: 'created', status: 'Created', ports: '' }],
    [
      'running with a published port',
      record(
        'web',
        { Status: 'running', Running: true, StartedAt: ago(120) },
        { Config: config('nginx', ['80/tcp']), ports: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } },
      ),
      { state: 'running', status: 'Up 2 minutes', ports: '0.0.0.0:8080->80/tcp, [::]:8080->80/tcp', image: 'nginx' },
    ],
    ['paused', record('p', { Status: 'paused', Running: true, Paused: true, StartedAt: ago(5) }), { state: 'paused', status: 'Up 5 seconds (Paused)' }],
    [
      'exited',
      record('x', { Status: 'exited', ExitCode: 137, StartedAt: ago(60), FinishedAt: ago(3) }),
      { state: 'exited', status: 'Exited (137) 3 seconds ago' },
    ],
  ])('%s', (_, rec, expected) => {
    const [view] = containerViews(asSummaries(summaries([rec])), NOW);
    expect(view).toEqual({ id: rec.Id, name: rec.Name.slice(1), image: 'busybox', ports: '', created: '5 minutes ago', ...expected });
  });

  it('keeps the API\'s order', () => {
    expect(containerViews(asSummaries(summaries([record('new', {}), record('old', {})])), NOW).map((v) => v.name)).toEqual(['new', 'old']);
    expect(containerViews([], NOW)).toEqual([]);
  });
});

const busybox: ImageSummary = {
  Containers: -1,
  Created: Math.floor(NOW / 1000) - 14 * 86400,
  Id: 'sha256:' + 'c'.repeat(64),
  Labels: null,
  ParentId: '',
  RepoDigests: [],
  RepoTags: ['busybox:latest'],
  SharedSize: -1,
  Size: 4_261_000,
};

describe('imageView', () => {
  it('shows the columns of docker images', () => {
    expect(imageView(busybox, NOW)).toEqual({ id: busybox.Id, shortId: 'cccccccccccc', tags: ['busybox:latest'], size: '4.26MB', created: '2 weeks ago' });
    expect(imageView({ ...busybox, RepoTags: [] }, NOW).tags).toEqual([]);
  });
});

describe('EngineFeed', () => {
  it('pushes at subscribe, once per burst of events, and when an age text changes', async () => {
    vi.useFakeTimers({ now: NOW });
    try {
      const bus = new EventBus();
      const records: ContainerRecord[] = [];
      // GET /events as the daemon streams it: live events until the client aborts.
      const events = (_: unknown, signal: AbortSignal): AsyncIterable<EngineEvent> => {
        const queue = new AsyncQueue<EngineEvent>();
        const sub = bus.subscribe((e) => void queue.push(e));
        signal.addEventListener('abort', () => (sub.dispose(), queue.close()));
        return queue;
      };
      const { api, calls } = fakeApi({
        containerList: async () => summaries(records, Date.now()),
        imageList: async () => [{ ...busybox }],
        volumeList: async () => ({ Volumes: [], Warnings: null }),
        diskUsage: async () => ({ LayersSize: 0, Images: null, Containers: null, Volumes: [], BuildCache: null }),
        events,
      });
      const feed = new EngineFeed(api, Date.now);
      const seen: EngineSnapshot[] = [];
      const id = await feed.subscribe({ snapshot: (s) => void seen.push(s) });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.images.map((i) => i.tags)).toEqual([['busybox:latest']]);

      records.push(record('web', { Status: 'running', Running: true, StartedAt: new Date(Date.now()).toISOString() }));
      bus.emit('container', 'create', records[0]!.Id);
      bus.emit('container', 'start', records[0]!.Id);
      await vi.advanceTimersByTimeAsync(60);
      expect(seen).toHaveLength(2);
      expect(seen[1]!.containers[0]).toMatchObject({ name: 'web', state: 'running', status: 'Up Less than a second' });

      await vi.advanceTimersByTimeAsync(1000);
      expect(seen.at(-1)!.containers[0]!.status).toBe('Up 1 second');
      const count = seen.length;
      feed.unsubscribe(id);
      bus.emit('container', 'die', records[0]!.Id);
      await vi.advanceTimersByTimeAsync(5000);
      expect(seen).toHaveLength(count);
      // What it asked: every container, images and volumes once per change, volume sizes alone.
      expect(calls.filter((c) => c.method === 'imageList')).toHaveLength(2);
      expect(calls.find((c) => c.method === 'containerList')!.args).toEqual([{ all: true }]);
      expect(calls.find((c) => c.method === 'diskUsage')!.args).toEqual([{ type: ['volume'] }]);
      expect(bus.subscriberCount).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('volumeViews', () => {
  it('lists volumes by name with system df\'s sizes and the names of the containers using them, oldest first', () => {
    const mount = (name: string) => ({ Type: 'volume' as const, Name: name, Source: '', Destination: '/d', Mode: 'z', RW: true, Propagation: '' });
    const web = record('web', { Running: true, Status: 'running' }, { Created: ago(100), mountPoints: [mount('pgdata')] });
    const old = record('old', {}, { Created: ago(200), mountPoints: [mount('pgdata')] });
    const volume = (name: string, options: Record<string, string> | null = null) => ({ Name: name, Driver: 'local', Mountpoint: '', Scope: 'local', Labels: null, Options: options });
    const views = volumeViews(
      [volume('pgdata'), volume('cache'), volume('ram', { type: 'tmpfs', device: 'tmpfs' })],
      [
        { ...volume('pgdata'), UsageData: { Size: 41_234_567, RefCount: 2 } },
        { ...volume('cache'), UsageData: { Size: 0, RefCount: 0 } },
      ],
      asSummaries(summaries([web, old])),
    );
    expect(views).toEqual([
      { name: 'cache', driver: 'local', size: '0B', usedBy: [] },
      { name: 'pgdata', driver: 'local', size: '41.23MB', usedBy: ['old', 'web'] },
      { name: 'ram', driver: 'local', size: '0B', usedBy: [] },
    ]);
  });
});
