// The daemon's state and services, wired once per guest boot: image store, containers, events.
// Opening it after a reload is a Docker host reboot: containers that were running are recorded
// as exited, and those with restart policy always/unless-stopped are started again.
import { GUEST_SHARE_PATH, type GuestPort } from '../protocol/guest/port.ts';
import type { Stores } from '../protocol/store.ts';
import { ContainerRegistry } from './container/registry.ts';
import { ImageTrees, mergeLayerTree, type MergeLayers } from './container/rootfs.ts';
import { GuestRuntime } from './container/runtime.ts';
import { gatherDevices } from './container/devices.ts';
import { endpointId } from './container/views.ts';
import { ContainerService } from './container/service.ts';
import { LegacyDiffs } from './container/legacy-diffs.ts';
import { goTime, type ContainerRecord } from './container/record.ts';
import { EventBus } from './events.ts';
import type { CatalogueSource } from './image/catalogue-source.ts';
import { ImageService } from './image/images.ts';
import type { Digest } from './image/oci.ts';

import { NetworkStore } from './network/networks.ts';
import { BridgeNetwork, networkId } from './network/bridge.ts';
import { DnsService } from './network/dns.ts';
import { PortPublisher } from './network/ports.ts';
import { warmUp } from './container/warmup.ts';
import { warmUpInterpreters } from './container/interpreter-warmup.ts';
import { containerMounts, containerRemoved, containerStopped, registerMounts, type MountDeps } from './container/binds.ts';
import { VolumeService } from './volume/volumes.ts';
import { Builder, type BuildMessage } from './builder/builder.ts';
import { runStepContainer } from './builder/step-container.ts';
import { pullImage } from './image/pull.ts';
import { SavedTrees } from './share/saved-trees.ts';
import { verifiedBlobs } from './store/verified-blobs.ts';
import { Workspace } from './workspace/workspace.ts';
import { LAYERS_ROOT, mountHostDisk } from './host-disk.ts';

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
  /**
   * Called once /root holds the workspace, before the disk is mounted: a shell started from here
   * on sees the restored files (one started earlier keeps the guest's stale view of the 9p share).
   * The engine mounts the disk once the returned promise settles (the prompt comes first).
   */
  workspaceRestored?: () => Promise<unknown>;
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
  readonly builder: Builder;
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

  readonly networks: NetworkStore;

  /** bzip2 and xz archives (build contexts, imports): the guest's busybox decompresses them. */
  decompress = async (bytes: Uint8Array, format: 'bzip2' | 'xz'): Promise<Uint8Array> => {
    const r = await this.runtime.runBytes(['busybox', format === 'bzip2' ? 'bunzip2' : 'unxz', '-c'], bytes);
    if (r.code !== 0) throw new Error(r.stderr.trim().replace(/^(bunzip2|unxz): /, '') || `${format} decompression failed`);
    return r.stdout;
  };

  /** A network's ID by name: a user network's own, or the predefined one's. */
  networkIdOf = (name: string): string => this.networks.find(name)?.Id ?? networkId(name);

  private constructor(options: EngineOptions, registry: ContainerRegistry, networks: NetworkStore) {
    this.networks = networks;
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
    this.dns = new DnsService({ log: options.log });
    this.network = new BridgeNetwork(this.runtime, registry, networks, this.dns);
    this.ports = new PortPublisher(options.guest);
    const legacyDiffs = new LegacyDiffs(stores.blobs);
    // Volumes: the store, and what the container side needs to mount them.
    this.volumes = new VolumeService({
      meta: stores.meta,
      events: this.events,
      now: this.now,
      random,
      containers: () => registry.all(),
      guestRun: (argv) => this.runtime.run(argv),
      legacy: { restore: (k, r) => this.saved.restore(k, r), forget: (k) => this.saved.forget(k), shareInGuest: (root) => `${GUEST_SHARE_PATH}${root}` },
    });
    const mountDeps: MountDeps = { volumes: this.volumes, container: (ref) => registry.get(ref), rootfs: (id) => this.trees.get(id), runtime: this.runtime };
    this.containers = new ContainerService({
      legacyDiffs,
      diffLowerDirs: (record) => legacyDiffs.lowerDirs(record, options.guest.files),
      registry,
      runtime: this.runtime,
      meta: stores.meta,
      events: this.events,
      now: this.now,
      random,
      files: options.guest.files,
      rootfs: (imageId) => this.trees.get(imageId),
      network: {
        check: (record) => this.network.check(record),
        attach: async (record) => ({ ...(await this.network.attach(record)), env: this.network.linkEnv(record) }),
        release: (record) => this.network.release(record),
        publishPorts: (record) => this.#publishPorts(registry, record),
      },
      mounts: {
        register: (record) => registerMounts(record, mountDeps),
        mounts: (record) => containerMounts(record, mountDeps),
        released: (record) => containerStopped(record, mountDeps),
        forget: (record, volumes) => containerRemoved(record, volumes, mountDeps),
      },
      devices: (mappings) => gatherDevices(this.runtime, mappings),
    });
    this.builder = new Builder({
      images: this.images,
      meta: stores.meta,
      rootfs: (id) => this.trees.get(id),
      pull: async (ref, progress) => void (await pullImage(this.images, this.catalogue, ref, { onProgress: (e) => progress(e as BuildMessage) })),
      run: (image, config, output) => runStepContainer({ containers: this.containers, runtime: this.runtime }, image, config, output),
      now: this.now,
      random,
      decompress: this.decompress,
      onStep: (b) =>
        this.events.emit('builder', b.ended ? 'end' : 'step', b.id, {
          name: b.tags.join(','),
          step: String(b.step),
          total: String(b.total),
          instruction: b.instruction,
          ...(b.ended ? { result: b.ended } : {}),
        }),
    });
  }

  /** Publishes a started container's ports (none without a network), recorded on it. */
  async #publishPorts(registry: ContainerRegistry, record: ContainerRecord): Promise<{ dispose(): void } | null> {
    if (!record.network) return null;
    const hc = record.HostConfig;
    const mapping = this.ports.resolve(hc.PortBindings ?? {}, Object.keys(record.Config.ExposedPorts ?? {}), hc.PublishAllPorts ?? false);
    if (!Object.keys(mapping).length) return null;
    const endpoint = { name: record.Name.replace(/^\//, ''), id: endpointId(record) };
    const relays = await this.ports.publish(mapping, record.network.ipAddress, endpoint);
    record.ports = mapping;
    await registry.save(record);
    return relays;
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const registry = await ContainerRegistry.load(options.stores.meta);
    const networks = await NetworkStore.load(options.stores.meta, options.random ?? Math.random, options.now ?? Date.now);
    const engine = new Engine(options, registry, networks);
    // Before anything runs: the agent already listens (from its start, again after a restart),
    // and a container's first lookup must not wait for a resolver's timeout.
    engine.dns.attach(engine.guest);
    engine.workspace = await Workspace.open(engine.guest, engine.saved);
    await options.workspaceRestored?.().catch(() => undefined);
    // Layers and volumes live on the disk: mounted before anything looks for them.
    await mountHostDisk(engine.runtime);
    await engine.volumes.open(); // volumes' contents back before containers restart
    await engine.#reboot(registry, options.warmUp instanceof Promise ? options.warmUp.catch(() => undefined) : Promise.resolve());
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
   * Writes back what the guest cached (containers' layers and volumes reach the disk, whose
   * owner commits it to the store) and stores the workspace: the page is being hidden, the
   * runner exits.
   */
  async checkpoint(): Promise<void> {
    await this.runtime.run(['sync']).catch(() => undefined);
    await this.workspace.save();
  }

  /**
   * Reconciles the records with the disk after a boot. Containers running when the previous host
   * went away stopped with it (exit 255 unless recorded), except those with a restart policy that
   * restarts them: they show as restarting and start once the first prompt is up (`after`).
   * A container whose layer should be on the disk but is not (the disk's store was lost) is
   * dead, never "exited" with its files silently gone. --rm containers are removed.
   */
  async #reboot(registry: ContainerRegistry, after: Promise<unknown>): Promise<void> {
    const restart: string[] = [];
    const autoRemove: string[] = [];
    const listing = await this.runtime.run(['ls', '-1', LAYERS_ROOT]);
    const layers = new Set(listing.code === 0 ? listing.stdout.split('\n').filter(Boolean) : []);
    for (const record of registry.all()) {
      // moby's restore: --rm containers the last host did not get to remove go now.
      if (record.HostConfig.AutoRemove) autoRemove.push(record.Id);
      const wasRunning = record.State.Running || record.State.Restarting || record.State.Status === 'removing';
      const lost = record.layer && listing.code === 0 && !layers.has(record.Id);
      if (!wasRunning && !lost) continue;
      const policy = record.HostConfig.RestartPolicy?.Name;
      const restarts = wasRunning && !lost && (policy === 'always' || policy === 'unless-stopped');
      Object.assign(record.State, {
        Status: lost ? 'dead' : restarts ? 'restarting' : 'exited',
        Running: restarts,
        Paused: false,
        Restarting: restarts,
        Dead: !!lost,
        Pid: 0,
        ExitCode: wasRunning ? record.State.ExitCode || 255 : record.State.ExitCode,
        ...(wasRunning ? { FinishedAt: goTime(this.now()) } : {}),
        ...(lost ? { Error: `its writable layer is missing from the Docker host's disk (${LAYERS_ROOT}/${record.Id})` } : {}),
      });
      if (lost) this.storeProblems.push(`container ${record.Id.slice(0, 12)}: its writable layer is missing from the Docker host's disk; it is marked dead`);
      record.network = null;
      await registry.save(record);
      if (restarts) restart.push(record.Id);
    }
    for (const id of autoRemove) await this.containers.remove(id, { force: true, volumes: true }).catch(() => undefined);
    void after.then(async () => {
      for (const id of restart.reverse()) void this.containers.resumeRestart(id).catch(() => undefined);
    });
  }
}
