// The page ↔ engine worker boundary (Comlink). Version it with the page: both ship together.
// 2: engine panels (subscribeEngine, containerAction, removeImage).
// 3: boot progress and guest lifecycle callbacks (crash recovery), debugFreezeGuest.
// 4: the workspace (file tree and editor over /root), command tabs (openShell's command).
// 5: images leave and enter the page (saveImage, loadImages).
export const UI_PROTOCOL_VERSION = 5;

export interface BootInfo {
  mode: 'cold' | 'snapshot';
  bootMs: number;
  agent: string;
  kernel: string;
}

/** What the boot is doing, for the page's boot view. */
export type BootEvent =
  /** Sent first: `snapshot` when a cached boot snapshot will be restored (no kernel download). */
  | { kind: 'plan'; mode: 'cold' | 'snapshot' }
  /** Bytes of one guest asset so far; `total` is 0 while unknown (no Content-Length). */
  | { kind: 'download'; asset: string; loaded: number; total: number }
  /** Every asset is in: the kernel is starting. */
  | { kind: 'booting' };

export interface BootCallbacks {
  progress(event: BootEvent): void;
  /** The guest stopped answering (hung or crashed): a reboot has begun. */
  guestLost(reason: string): void;
  /** The guest is back (snapshot restore), with the same stores; open shells ended. */
  rebooted(info: BootInfo): void;
  rebootFailed(message: string): void;
}

export interface BootRequestOptions {
  /** Liveness checking of the guest; defaults from the VM tunables (tests shorten them). */
  watchdog?: { intervalMs?: number; timeoutMs?: number };
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ShellCallbacks {
  output(bytes: Uint8Array): void;
  exit(code: number): void;
}

/** Docker's container states (`docker ps --format '{{.State}}'`). */
export type ContainerStateName = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** One row of the Containers panel: the texts `docker ps -a` prints for it. */
export interface ContainerView {
  /** Full 64-hex ID. */
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  /** As given to `docker run` (the IMAGE column). */
  image: string;
  state: ContainerStateName;
  /** STATUS column: "Up 2 minutes", "Exited (0) 3 seconds ago". */
  status: string;
  /** PORTS column: "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp". */
  ports: string;
  /** CREATED column: "5 seconds ago". */
  created: string;
}

/** One image of the Images panel: the texts `docker images` prints for it. */
export interface ImageView {
  /** Full `sha256:…` ID (actions take it). */
  id: string;
  /** IMAGE ID column: 12 hex digits. */
  shortId: string;
  /** Familiar `repository:tag` references; empty for a dangling image. */
  tags: string[];
  /** SIZE column: "4.26MB". */
  size: string;
  /** CREATED column: "2 weeks ago". */
  created: string;
}

/** One volume of the Volumes panel. */
export interface VolumeView {
  name: string;
  driver: string;
  /** Bytes of its files, as `docker system df -v` sizes it: "12.3MB". */
  size: string;
  /** Names of the containers using it (running or not). */
  usedBy: string[];
}

/** Everything the panels show: containers and images newest first (as `docker ps -a` / `docker images` list), volumes by name. */
/** A build under way (from the daemon's builder events), for the images panel's progress bar. */
export interface BuildView {
  id: string;
  /** The tags it will get ("web:latest"), or empty. */
  name: string;
  step: number;
  total: number;
  /** The step's instruction as written (`RUN apk add curl`). */
  instruction: string;
}

export interface EngineSnapshot {
  containers: ContainerView[];
  images: ImageView[];
  volumes: VolumeView[];
  builds: BuildView[];
}

export interface EngineCallbacks {
  snapshot(snapshot: EngineSnapshot): void;
}

/** One entry of the workspace (the guest's /root). */
export interface WorkspaceEntry {
  /** Relative to /root, without leading slash. */
  path: string;
  type: 'dir' | 'file' | 'symlink' | 'other';
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
}

export interface WorkspaceCallbacks {
  /** Every entry, parents first; sent at once and after every change (guest or page). */
  entries(entries: WorkspaceEntry[]): void;
  /**
   * Saving the workspace or a volume's contents failed (e.g. the storage quota is full); the
   * previous save is intact. `volume` names the volume; absent for the workspace.
   */
  saveFailed(message: string, volume?: string): void;
}

export const CONTAINER_ACTIONS = ['start', 'stop', 'restart', 'pause', 'unpause', 'remove'] as const;
export type ContainerAction = (typeof CONTAINER_ACTIONS)[number];

/** What the page's heartbeat learns besides that the worker answers. */
export interface EngineHealth {
  /** The guest's memory in bytes (MemTotal − MemAvailable of its last sample); null before one. */
  memory: { used: number; total: number } | null;
}

export interface EngineWorkerApi {
  protocolVersion(): number;
  /** Answers at once (never waits for the guest): the page's liveness check of the worker. */
  health(): EngineHealth;
  /**
   * Boots the guest; `guestBase` is the URL of the guest artifacts folder. `callbacks` hear the
   * boot's progress and, later, the guest's crashes and automatic reboots.
   */
  boot(guestBase: string, options?: BootRequestOptions, callbacks?: BootCallbacks): Promise<BootInfo>;
  /** Runs a command in a bash login shell (non-interactive, collected output). */
  run(command: string): Promise<CommandResult>;
  /**
   * Opens an interactive login shell on a pty, or with `command` a shell running just that
   * command (a tab for `docker logs -f web`); returns its id.
   */
  openShell(rows: number, cols: number, callbacks: ShellCallbacks, command?: string): Promise<number>;
  writeShell(id: number, bytes: Uint8Array): Promise<void>;
  resizeShell(id: number, rows: number, cols: number): void;
  closeShell(id: number): void;
  /** Stores every container's filesystem changes (the page is being hidden: a reload may follow). */
  checkpoint(): Promise<void>;
  /**
   * Pushes a snapshot now and after every change of the engine's containers or images; returns
   * the subscription's id for unsubscribeEngine.
   */
  subscribeEngine(callbacks: EngineCallbacks): Promise<number>;
  unsubscribeEngine(id: number): void;
  /** As `docker start|stop|restart|pause|unpause|rm -f`; rejects with the daemon's message. */
  containerAction(id: string, action: ContainerAction): Promise<void>;
  /** As `docker rmi` (without --force); rejects with the daemon's message. */
  removeImage(id: string): Promise<void>;
  /** As `docker volume rm` (without --force); rejects with the daemon's message. */
  removeVolume(name: string): Promise<void>;
  /** As `docker save IMAGE`: the archive's bytes (real Docker loads them). */
  saveImage(ref: string): Promise<Uint8Array>;
  /** As `docker load`: resolves with its lines (`Loaded image: …`); rejects with the daemon's message. */
  loadImages(archive: Uint8Array): Promise<string[]>;
  subscribeWorkspace(callbacks: WorkspaceCallbacks): Promise<number>;
  unsubscribeWorkspace(id: number): void;
  /** File operations on /root (paths relative to it); reject with the guest's message. */
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  makeDirectory(path: string): Promise<void>;
  renamePath(from: string, to: string): Promise<void>;
  removePath(path: string): Promise<void>;
  /** The whole workspace as a tar archive. */
  archiveWorkspace(): Promise<Uint8Array>;
  /** Tests only: freezes the guest CPU, so the watchdog finds it hung and the engine reboots it. */
  debugFreezeGuest(): Promise<void>;
}
