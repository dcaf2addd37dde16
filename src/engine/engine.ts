// The daemon's state and services, wired once per guest boot: image store, containers, events.
// Opening it after a reload is a Docker host reboot: containers that were running are recorded
// as exited, and those with restart policy always/unless-stopped are started again.
import type { GuestPort } from '../protocol/guest/port.ts';
import type { Stores } from '../protocol/store.ts';
import { ContainerRegistry } from './container/registry.ts';
import { ImageTrees, mergeLayerTree, type MergeLayers } from './container/rootfs.ts';
import { GuestRuntime } from './container/runtime.ts';
import { gatherDevices } from './container/devices.ts';
import { endpointId } from './container/views.ts';
import { ContainerService } from './container/service.ts';
import { Checkpoints } from './container/checkpoint.ts';
import { goTime } from './container/record.ts';
import { EventBus } from './events.ts';
import type { CatalogueSource } from './image/catalogue-source.ts';
import { ImageService } from './image/images.ts';
import type { Digest } from './image/oci.ts';

import { BridgeNetwork } from './network/bridge.ts';
import { DnsService } from './network/dns.ts';
import { PortPublisher } from './network/ports.ts';
import { warmUp } from './container/warmup.ts';
import { warmUpInterpreters } from './container/interpreter-warmup.ts';
import { containerMounts, containerRemoved, containerStopped, registerMounts, type MountDeps } from './container/binds.ts';
import { VolumeService } from './volume/volumes.ts';
import { SavedTrees } from './share/saved-trees.ts';
import { verifiedBlobs } from './store/verified-blobs.ts';
import { Workspace } from './workspace/workspace.ts';

export interface EngineOptions {
  guest: GuestPort;
  stores: Stores;
  catalogue: CatalogueSource;
  now?: () => number;
  random?: () => number;
  merge?: MergeLayers;
  /** Diagnostics (malformed DNS queries); default silent. */
  log?: (line: string) => void;
  /**
   * Background work after boot (JIT warm-up container, network namespace pool); default on. A
   * promise delays it until it settles (the page's first prompt comes first: both need the CPU).
   */
  warmUp?: boolean | Promise<unknown>;
}

export class Engine {
  readonly guest: GuestPort;
  readonly events: EventBus;
  readonly images: ImageService;
  readonly containers: ContainerService;
  readonly catalogue: CatalogueSource;
  readonly runtime: GuestRuntime;
  readonly trees: ImageTrees;
  readonly network: BridgeNetwork;
  readonly ports: PortPublisher;
  /** The Docker host's DNS service: containers' nameserver is their network's gateway. */
  readonly dns: DnsService;
  readonly now: () => number;
  readonly saved: SavedTrees;
  readonly volumes: VolumeService;
  /** The user's /root, shared with the page; set by open(). */
  workspace!: Workspace;
  /** Settles when the boot-time warm-up containers have run (never rejects). */
  warmedUp: Promise<void> = Promise.resolve();
  #userActive = false;

  /** A `docker` command arrived: background warm-up yields to it. */
  noteUserActivity(): void {
    this.#userActive = true;
  }

  #closed = false;

  /** What the store could not give back intact (corrupt or missing pieces), by name. */
  readonly storeProblems: string[] = [];

  private constructor(options: EngineOptions, registry: ContainerRegistry) {
    // Every blob read is checked against its digest: a corrupt one is reported, never used.
    const meta = options.stores.meta;
    const stores: Stores = {
      ...options.stores,
      blobs: verifiedBlobs(options.stores.blobs, (e) => this.storeProblems.push(e.message)),
      // A closed engine (its host shut down) writes nothing more: the next host may own the store.
      meta: { get: (key) => meta.get(key), list: (prefix) => meta.list(prefix), commit: (batch) => (this.#closed ? Promise.resolve() : meta.commit(batch)) },
    };
    this.storeProblems.push(...(options.stores.problems ?? []));
    this.guest = options.guest;
    this.now = options.now ?? Date.now;
    const random = options.random ?? Math.random;
    this.events = new EventBus(this.now);
    this.catalogue = options.catalogue;
    this.saved = new SavedTrees(options.guest, stores, (message) => this.storeProblems.push(message));
    this.runtime = new GuestRuntime(options.guest);
    this.images = new ImageService(stores, {
      now: () => new Date(this.now()),
      onEvent: (action, id, attributes) => this.events.emit('image', action, id, attributes),
      containersUsing: (imageId: Digest) =>
        registry
          .all()
          .filter((c) => c.Image === imageId)
          .map((c) => ({ id: c.Id, running: c.State.Running })),
    });
    this.trees = new ImageTrees(options.guest.files, (id) => this.images.layers(id as Digest), options.merge ?? mergeLayerTree);
    this.network = new BridgeNetwork(this.runtime, registry);
    this.ports = new PortPublisher(options.guest);
    this.dns = new DnsService({ log: options.log });
    const checkpoints = new Checkpoints(options.guest, stores.blobs);
    // Volumes: the store, and what the container side needs to mount them.
    this.volumes = new VolumeService({
      meta: stores.meta,
      files: options.guest.files,
      events: this.events,
      saved: this.saved,
      now: this.now,
      random,
      containers: () => registry.all(),
      guestRun: (argv) => this.runtime.run(argv),
    });
    const mountDeps: MountDeps = { volumes: this.volumes, container: (ref) => registry.get(ref), rootfs: (id) => this.trees.get(id), runtime: this.runtime };
    this.containers = new ContainerService({
      checkpoints,
      diffLowerDirs: (record) => checkpoints.lowerDirs(record, options.guest.files),
      registry,
      runtime: this.runtime,
      meta: stores.meta,
      events: this.events,
      now: this.now,
      random,
      files: options.guest.files,
      rootfs: (imageId) => this.trees.get(imageId),
      attachNetwork: async (record) => ({ ...(await this.network.attach(record)), env: this.network.linkEnv(record) }),
      releaseNetwork: (record) => this.network.release(record),
      checkNetwork: (record) => this.network.check(record),
      volumeMounts: (record) => containerMounts(record, mountDeps),
      devices: (mappings) => gatherDevices(this.runtime, mappings),
      registerMounts: (record) => registerMounts(record, mountDeps),
      mountsReleased: (record) => containerStopped(record, mountDeps),
      forgetContainerFiles: (record, volumes) => containerRemoved(record, volumes, mountDeps),
      publishPorts: async (record) => {
        if (!record.network) return null;
        const hc = record.HostConfig;
        const mapping = this.ports.resolve(hc.PortBindings ?? {}, Object.keys(record.Config.ExposedPorts ?? {}), hc.PublishAllPorts ?? false);
        if (!Object.keys(mapping).length) return null;
        const endpoint = { name: record.Name.replace(/^\//, ''), id: endpointId(record) };
        const relays = await this.ports.publish(mapping, record.network.ipAddress, endpoint);
        record.ports = mapping;
        await registry.save(record);
        return relays;
      },
    });
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const registry = await ContainerRegistry.load(options.stores.meta);
    const engine = new Engine(options, registry);
    // Before anything runs: the agent already listens (from its start, again after a restart),
    // and a container's first lookup must not wait for a resolver's timeout.
    engine.dns.attach(engine.guest);
    engine.workspace = await Workspace.open(engine.guest, engine.saved);
    await engine.volumes.open(); // volumes' contents back before containers restart
    await engine.#reboot(registry);
    if (options.warmUp === false) return engine;
    const after = options.warmUp instanceof Promise ? options.warmUp.catch(() => undefined) : Promise.resolve();
    engine.warmedUp = after
      .then(() => warmUp(engine.guest, engine.runtime, () => engine.#userActive))
      .catch(() => undefined)
      .then(() => engine.network.refill())
      .then(() =>
        warmUpInterpreters({
          guest: engine.guest,
          runtime: engine.runtime,
          images: () => engine.images.images(),
          rootfs: (id) => engine.trees.get(id),
          stop: () => engine.#userActive,
        }),
      )
      .catch(() => undefined);
    return engine;
  }

  /**
   * The host shuts down: pending logs are stored, then the engine stops writing to the store
   * (what its containers do as the guest goes away is the next host's to find, as after a crash).
   */
  async close(): Promise<void> {
    await this.containers.flushLogs().catch(() => undefined);
    this.#closed = true;
  }

  /**
   * Stores everything that lives only in the guest: containers' filesystem changes and the
   * workspace (the page is being hidden, the runner exits).
   */
  async checkpoint(): Promise<void> {
    await Promise.all([this.containers.checkpointAll(), this.workspace.save(), this.volumes.saveAll()]);
  }

  /**
   * Containers running when the previous host went away stopped with it (exit 255 unless
   * recorded); --rm containers are removed, restart policies apply.
   */
  async #reboot(registry: ContainerRegistry): Promise<void> {
    const restart: string[] = [];
    const autoRemove: string[] = [];
    for (const record of registry.all()) {
      // moby's restore: --rm containers the last host did not get to remove go now.
      if (record.HostConfig.AutoRemove) autoRemove.push(record.Id);
      if (!record.State.Running && !record.State.Restarting && record.State.Status !== 'removing') continue;
      const policy = record.HostConfig.RestartPolicy?.Name;
      Object.assign(record.State, {
        Status: 'exited',
        Running: false,
        Paused: false,
        Restarting: false,
        Pid: 0,
        ExitCode: record.State.ExitCode || 255,
        FinishedAt: goTime(this.now()),
      });
      record.network = null;
      await registry.save(record);
      if (policy === 'always' || policy === 'unless-stopped') restart.push(record.Id);
    }
    for (const id of autoRemove) await this.containers.remove(id, { force: true, volumes: true }).catch(() => undefined);
    for (const id of restart.reverse()) void this.containers.start(id).catch(() => undefined);
  }
}
