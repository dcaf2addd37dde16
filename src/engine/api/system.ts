// The system routes: /_ping, /version, /info, /system/df and /events (past events from the
// bounded history, then live ones, with moby's filters).
import type { Engine } from '../engine.ts';
import type { EngineEvent } from '../events.ts';
import { API_VERSION, ENGINE_VERSION, MIN_API_VERSION } from '../version.ts';
import { isMeasuredLocally, volumeInspect } from '../volume/records.ts';
import { AsyncQueue } from '../../lib/async-queue.ts';
import { listContainers } from './container-list.ts';
import type { DiskUsageObject, EngineApi, Filters, InfoResponse, JsonObject, VersionResponse } from './types.ts';

type SystemRoutes = Pick<EngineApi, 'ping' | 'version' | 'info' | 'diskUsage' | 'events'>;

/** What the daemon knows of the guest it runs on. */
export interface HostFacts {
  kernelRelease: string;
  agentBuildId: string;
  /** `crun --version` first line, e.g. "crun version 1.8.1"; asked lazily. */
  runtimeVersion(): Promise<string>;
}

/** The Docker host's identity in `docker info` (moby's ID format). */
const HOST_ID = 'SLIP:WAY0:0000:0000:0000:0000:0000:0000';
const MEMORY_BYTES = 268435456;

/** moby's events filters: type, event, container, image, label (and the rest match everything). */
export function eventMatches(filters: Filters, e: EngineEvent): boolean {
  return Object.entries(filters).every(([k, values]) =>
    values.some((v) => {
      switch (k) {
        case 'type':
          return e.Type === v;
        case 'event':
          return e.Action === v || e.Action.startsWith(`${v}:`);
        case 'container':
          return e.Type === 'container' && (e.Actor.ID.startsWith(v) || e.Actor.Attributes.name === v);
        case 'image':
          return e.Actor.Attributes.image === v || e.Actor.ID === v;
        case 'volume':
          return e.Type === 'volume' && e.Actor.ID === v;
        case 'network':
          return e.Type === 'network' && (e.Actor.ID.startsWith(v) || e.Actor.Attributes.name === v);
        case 'label': {
          const [lk = '', lv] = v.split('=', 2);
          return lk in e.Actor.Attributes && (lv === undefined || e.Actor.Attributes[lk] === lv);
        }
        default:
          return true;
      }
    }),
  );
}

/** moby's LocalVolumesSize: local volumes without driver options, with their bytes and users. */
async function volumesUsage(engine: Engine): Promise<JsonObject[]> {
  const usage = new Map((await engine.volumes.usage()).map((u) => [u.name, u]));
  return engine.volumes
    .all()
    .filter(isMeasuredLocally)
    .map((v) => {
      const u = usage.get(v.Name);
      return { ...volumeInspect(v), UsageData: { Size: u?.size ?? 0, RefCount: u?.containers.length ?? 0 } };
    });
}

export function systemRoutes(engine: Engine, host: HostFacts): SystemRoutes {
  return {
    async ping() {},

    async version(): Promise<VersionResponse> {
      const runtime = (await host.runtimeVersion()).replace(/^crun version\s*/, '');
      return {
        Platform: { Name: 'Slipway Engine' },
        Components: [
          {
            Name: 'Engine',
            Version: ENGINE_VERSION,
            Details: {
              ApiVersion: API_VERSION,
              Arch: '386',
              BuildTime: '',
              Experimental: 'false',
              GitCommit: host.agentBuildId,
              GoVersion: 'none (TypeScript)',
              KernelVersion: host.kernelRelease,
              MinAPIVersion: MIN_API_VERSION,
              Os: 'linux',
            },
          },
          { Name: 'crun', Version: runtime, Details: {} },
        ],
        Version: ENGINE_VERSION,
        ApiVersion: API_VERSION,
        MinAPIVersion: MIN_API_VERSION,
        GitCommit: host.agentBuildId,
        GoVersion: 'none (TypeScript)',
        Os: 'linux',
        Arch: '386',
        KernelVersion: host.kernelRelease,
        BuildTime: '',
      };
    },

    async info(): Promise<InfoResponse> {
      const containers = engine.containers.registry.all();
      const running = containers.filter((c) => c.State.Running && !c.State.Paused).length;
      const paused = containers.filter((c) => c.State.Paused).length;
      return {
        ID: HOST_ID,
        Containers: containers.length,
        ContainersRunning: running,
        ContainersPaused: paused,
        ContainersStopped: containers.length - running - paused,
        Images: (await engine.images.list()).length,
        Driver: 'overlay2',
        DriverStatus: [['Backing Filesystem', 'tmpfs (layers over 9p)']],
        Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'null'], Authorization: null, Log: ['json-file'] },
        MemoryLimit: true,
        SwapLimit: true,
        CpuCfsPeriod: true,
        CpuCfsQuota: true,
        PidsLimit: true,
        IPv4Forwarding: true,
        Debug: false,
        NFd: 0,
        NGoroutines: 0,
        SystemTime: new Date(engine.now()).toISOString(),
        LoggingDriver: 'json-file',
        CgroupDriver: 'cgroupfs',
        CgroupVersion: '2',
        NEventsListener: engine.events.subscriberCount,
        KernelVersion: host.kernelRelease,
        OperatingSystem: 'Slipway (Linux in v86)',
        OSVersion: '',
        OSType: 'linux',
        Architecture: 'i686',
        IndexServerAddress: 'https://index.docker.io/v1/',
        RegistryConfig: { IndexConfigs: {}, InsecureRegistryCIDRs: ['::1/128', '127.0.0.0/8'], Mirrors: null },
        NCPU: 1,
        MemTotal: MEMORY_BYTES,
        DockerRootDir: '/var/lib/docker',
        HttpProxy: '',
        HttpsProxy: '',
        NoProxy: '',
        Name: 'slipway',
        Labels: [],
        ExperimentalBuild: false,
        ServerVersion: ENGINE_VERSION,
        Runtimes: { runc: { path: 'crun' } },
        DefaultRuntime: 'runc',
        Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
        LiveRestoreEnabled: false,
        Isolation: '',
        InitBinary: 'docker-init',
        SecurityOptions: ['name=seccomp,profile=builtin', 'name=cgroupns'],
        Warnings: engine.storeProblems.map((p) => `WARNING: store: ${p}`),
      };
    },

    async diskUsage(options = {}) {
      // moby computes only what `type` asks for and answers null for the rest.
      const wanted = (object: DiskUsageObject) => !options.type || options.type.includes(object);
      const images = wanted('image') ? await engine.images.list() : null;
      const used = new Map<string, number>();
      for (const c of engine.containers.registry.all()) used.set(c.Image, (used.get(c.Image) ?? 0) + 1);
      return {
        LayersSize: (images ?? []).reduce((n, i) => n + i.Size, 0),
        Images: images && images.map((i) => ({ ...i, Containers: used.get(i.Id) ?? 0 }) as never),
        Containers: wanted('container') ? await listContainers(engine, { all: true, size: true }) : null,
        Volumes: wanted('volume') ? await volumesUsage(engine) : null,
        BuildCache: wanted('build-cache') ? (await engine.builder.cacheUsage()).map(({ key: _key, imageId: _image, ...entry }) => entry as never) : null,
      };
    },

    events(options, signal) {
      const queue = new AsyncQueue<EngineEvent>();
      const filters = options.filters ?? {};
      const now = engine.now();
      const { since, until } = options;
      const emit = (e: EngineEvent) => {
        if (eventMatches(filters, e)) void queue.push(e);
      };
      if (since !== undefined) for (const e of engine.events.history(since, until ?? Infinity)) emit(e);
      if (until !== undefined && until <= now) {
        queue.close();
        return queue;
      }
      const sub = engine.events.subscribe((e) => {
        if (until !== undefined && e.timeNano / 1e6 > until) return;
        emit(e);
      });
      const timer = until !== undefined ? setTimeout(() => queue.close(), until - now) : undefined;
      const stop = () => {
        sub.dispose();
        clearTimeout(timer);
        queue.close();
      };
      if (signal.aborted) stop();
      signal.addEventListener('abort', stop);
      return (async function* () {
        try {
          yield* queue;
        } finally {
          stop();
          signal.removeEventListener('abort', stop);
        }
      })();
    },
  };
}
