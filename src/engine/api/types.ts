// The Engine API as a typed interface: moby's routes (API 1.50) as methods, with moby's field
// names in request and response bodies. Every client of the daemon goes through it: the CLI, the
// page, compose, lesson checks and, through the HTTP adapter, real Docker clients on
// /var/run/docker.sock. Errors are thrown with moby's kinds (errors.ts).
import type { ByteSink, ByteSource } from '../../protocol/guest/port.ts';
import type { Config, EndpointSettings, HostConfig } from '../container/options-types.ts';
import type { EngineEvent } from '../events.ts';

// moby's api/types/container and events types, for the API's clients.
export type {
  Config,
  DeviceMapping,
  EndpointSettings,
  HostConfig,
  LogConfig,
  Mount,
  NetworkingConfig,
  PortBinding,
  PortKey,
  RestartPolicy,
  Ulimit,
} from '../container/options-types.ts';
export type { EngineEvent } from '../events.ts';

/** moby's `filters` query parameter: key → accepted values. */
export type Filters = Record<string, string[]>;

export type JsonObject = Record<string, unknown>;

// ── system ──────────────────────────────────────────────────────────────────────────────────

export interface VersionResponse {
  Platform: { Name: string };
  Components: { Name: string; Version: string; Details?: Record<string, string> }[];
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  BuildTime: string;
}

export type InfoResponse = JsonObject & {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  ServerVersion: string;
  KernelVersion: string;
  /** Daemon warnings (store problems), as moby's `Warnings`. */
  Warnings: string[];
};

/** moby's DiskUsageObject: what `GET /system/df?type=` asks to compute (API 1.42+). */
export type DiskUsageObject = 'container' | 'image' | 'volume' | 'build-cache';

export interface DiskUsageOptions {
  /** Only these objects (the others answer null); every one when absent. */
  type?: DiskUsageObject[];
}

export interface DiskUsageResponse {
  LayersSize: number;
  Images: JsonObject[] | null;
  Containers: JsonObject[] | null;
  /** Local volumes without driver options, each with `UsageData: { Size, RefCount }`. */
  Volumes: JsonObject[] | null;
  BuildCache: JsonObject[] | null;
}

export interface EventsOptions {
  /** Milliseconds since the epoch. */
  since?: number;
  until?: number;
  filters?: Filters;
}

// ── containers ──────────────────────────────────────────────────────────────────────────────

export interface ContainerCreateRequest extends Config {
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, EndpointSettings | JsonObject> };
}

export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[];
}

export interface ContainerListOptions {
  all?: boolean;
  limit?: number;
  size?: boolean;
  filters?: Filters;
}

export interface ContainerWaitResponse {
  StatusCode: number;
  Error?: { Message: string };
}

export interface ContainerTopResponse {
  Titles: string[];
  Processes: string[][];
}

export interface FilesystemChange {
  Path: string;
  /** 0 modified, 1 added, 2 deleted. */
  Kind: 0 | 1 | 2;
}

export interface PruneResponse {
  deleted: string[];
  spaceReclaimed: number;
}

export type OutputStreamName = 'stdout' | 'stderr';

/** One piece of a container's or exec's output, with the stream it came from. */
export interface OutputFrame {
  stream: OutputStreamName;
  data: Uint8Array;
  /** When the engine received it (ms since the epoch); logs only. */
  time?: number;
}

export interface LogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** ms since the epoch (inclusive bounds). */
  since?: number;
  until?: number;
  timestamps?: boolean;
  /** Number of lines from the end, or 'all'. */
  tail?: number | 'all';
}

export interface AttachOptions {
  stream?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  logs?: boolean;
  /** Key sequence that detaches (Docker's `--detach-keys` syntax); Ctrl-P Ctrl-Q by default. */
  detachKeys?: string;
}

/**
 * A live connection to a container's or exec's streams (the hijacked connection of attach and
 * exec start). Output ends when the process ends, the client detaches or close() is called.
 */
export interface AttachedStreams {
  readonly tty: boolean;
  readonly output: AsyncIterable<OutputFrame>;
  /** The process's stdin; null when not attached to it. `end()` closes it (stdin-once). */
  readonly stdin: ByteSink | null;
  /** How the attachment ended. */
  readonly ended: Promise<'exited' | 'detached' | 'closed'>;
  close(): void;
}

export interface ArchiveStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface ArchiveOptions {
  /** PUT: refuse to overwrite a directory with a non-directory and vice versa. */
  noOverwriteDirNonDir?: boolean;
  copyUIDGID?: boolean;
}

export interface StatsOptions {
  stream?: boolean;
  oneShot?: boolean;
}

// ── exec ────────────────────────────────────────────────────────────────────────────────────

export interface ExecCreateRequest {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  Tty?: boolean;
  ConsoleSize?: [number, number] | null;
  Env?: string[] | null;
  Cmd: string[];
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

export interface ExecStartRequest {
  Detach?: boolean;
  Tty?: boolean;
  ConsoleSize?: [number, number] | null;
}

export interface ExecInspectResponse {
  ID: string;
  Running: boolean;
  ExitCode: number | null;
  ProcessConfig: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user?: string };
  OpenStdin: boolean;
  OpenStderr: boolean;
  OpenStdout: boolean;
  CanRemove: boolean;
  ContainerID: string;
  DetachKeys: string;
  Pid: number;
}

// ── images ──────────────────────────────────────────────────────────────────────────────────

export interface ImageListOptions {
  all?: boolean;
  filters?: Filters;
  digests?: boolean;
}

/** One JSON message of a pull (or push, build) progress stream. */
export interface ProgressMessage {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  error?: string;
  errorDetail?: { message: string };
}

export interface ImagePullOptions {
  fromImage: string;
  tag?: string;
  platform?: string;
}

export type ImageDeleteResponseItem = { Untagged: string } | { Deleted: string };

/** POST /build's query, as moby reads it (the context is the request body). */
export interface ImageBuildOptions {
  /** `t`: each a name[:tag]. */
  tags?: string[];
  /** Path of the Dockerfile inside the context. */
  dockerfile?: string;
  buildArgs?: Record<string, string | null>;
  noCache?: boolean;
  pull?: boolean;
  target?: string;
  /** `q`: only the ID at the end (in an aux message). */
  quiet?: boolean;
  labels?: Record<string, string>;
  rm?: boolean;
  forceRm?: boolean;
  /** `version`: '1' the classic builder's output (default), '2' BuildKit's progress trace. */
  version?: '1' | '2';
}

/** POST /commit's query. */
export interface CommitOptions {
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  pause?: boolean;
  changes?: string[];
}

/** A message of POST /build's stream (moby's jsonmessage); the stream ends with an error or not. */
export interface ImageImportOptions {
  /** `-` for the request body; a URL is refused while the guest has no network. */
  fromSrc: string;
  repo?: string;
  tag?: string;
  message?: string;
  changes?: string[];
  platform?: string;
}

/** BuildKit's Vertex, VertexStatus and VertexLog (times in ms since the epoch), as POST /build?version=2 sends them. */
export interface TraceVertex {
  digest: string;
  name: string;
  started?: number;
  completed?: number;
  cached?: boolean;
  error?: string;
}

export interface TraceStatus {
  id: string;
  vertex: string;
  name: string;
  completed?: number;
}

export interface TraceLog {
  vertex: string;
  timestamp: number;
  data: string;
}

/** The aux of a `moby.buildkit.trace` message (JSON here, where moby sends protobuf). */
export interface BuildTrace {
  vertexes?: TraceVertex[];
  statuses?: TraceStatus[];
  logs?: TraceLog[];
}

export interface BuildMessage {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  /** The image ID at the end (`{ID}`), or with id `moby.buildkit.trace` a BuildKit trace. */
  aux?: { ID?: string; [key: string]: unknown };
  error?: string;
  errorDetail?: { code?: number; message: string };
}

// ── volumes and networks ───────────────────────────────────────────────────────────────────

export interface VolumeCreateRequest {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

export interface NetworkCreateRequest {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Labels?: Record<string, string>;
  IPAM?: { Driver?: string; Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] };
  Options?: Record<string, string>;
}

// ── the API ────────────────────────────────────────────────────────────────────────────────

/**
 * Docker's Engine API, one method per route. `signal` ends a streaming call when its client goes
 * away. Names follow moby's client package (ContainerList, ImageInspect, …) in camel case.
 */
export interface EngineApi {
  // system
  ping(): Promise<void>;
  version(): Promise<VersionResponse>;
  info(): Promise<InfoResponse>;
  diskUsage(options?: DiskUsageOptions): Promise<DiskUsageResponse>;
  /** Past events (since) then live ones until `until` or the signal. */
  events(options: EventsOptions, signal: AbortSignal): AsyncIterable<EngineEvent>;

  // containers
  containerList(options?: ContainerListOptions): Promise<JsonObject[]>;
  containerCreate(body: ContainerCreateRequest, options?: { name?: string; platform?: string }): Promise<ContainerCreateResponse>;
  containerInspect(id: string, options?: { size?: boolean }): Promise<JsonObject>;
  /** Resolves with false when the container was already running (HTTP 304). */
  containerStart(id: string, options?: { detachKeys?: string }): Promise<boolean>;
  /** Resolves with false when the container was already stopped (HTTP 304). */
  containerStop(id: string, options?: { signal?: string; t?: number }): Promise<boolean>;
  containerRestart(id: string, options?: { signal?: string; t?: number }): Promise<void>;
  containerKill(id: string, options?: { signal?: string }): Promise<void>;
  containerPause(id: string): Promise<void>;
  containerUnpause(id: string): Promise<void>;
  containerRename(id: string, name: string): Promise<void>;
  containerRemove(id: string, options?: { v?: boolean; force?: boolean; link?: boolean }): Promise<void>;
  /** Waits for the condition: 'not-running' (default), 'next-exit' or 'removed'. */
  containerWait(id: string, options?: { condition?: string }, signal?: AbortSignal): Promise<ContainerWaitResponse>;
  containerLogs(id: string, options: LogsOptions, signal: AbortSignal): Promise<{ tty: boolean; frames: AsyncIterable<OutputFrame> }>;
  containerAttach(id: string, options: AttachOptions): Promise<AttachedStreams>;
  containerResize(id: string, size: { h: number; w: number }): Promise<void>;
  containerTop(id: string, options?: { psArgs?: string }): Promise<ContainerTopResponse>;
  containerChanges(id: string): Promise<FilesystemChange[]>;
  containerStats(id: string, options: StatsOptions, signal: AbortSignal): AsyncIterable<JsonObject>;
  containerArchiveInfo(id: string, path: string): Promise<ArchiveStat>;
  /** A tar of `path`; the stat header comes first. */
  containerArchive(id: string, path: string, out: ByteSink): Promise<ArchiveStat>;
  putContainerArchive(id: string, path: string, tar: ByteSource, options?: ArchiveOptions): Promise<void>;
  /** GET /containers/{id}/export: the container's filesystem as a tar. */
  containerExport(id: string, out: ByteSink): Promise<void>;
  containerPrune(options?: { filters?: Filters }): Promise<{ ContainersDeleted: string[]; SpaceReclaimed: number }>;

  // exec
  execCreate(id: string, body: ExecCreateRequest): Promise<{ Id: string }>;
  /** Detached: resolves with null once the process started. */
  execStart(execId: string, body: ExecStartRequest): Promise<AttachedStreams | null>;
  execInspect(execId: string): Promise<ExecInspectResponse>;
  execResize(execId: string, size: { h: number; w: number }): Promise<void>;

  // images
  imageList(options?: ImageListOptions): Promise<JsonObject[]>;
  imageInspect(name: string): Promise<JsonObject>;
  imageHistory(name: string): Promise<JsonObject[]>;
  imageTag(name: string, repo: string, tag?: string): Promise<void>;
  imageRemove(name: string, options?: { force?: boolean; noprune?: boolean }): Promise<ImageDeleteResponseItem[]>;
  /** `POST /images/create?fromImage=`: progress messages; an error ends the stream as a message. */
  imagePull(options: ImagePullOptions, signal?: AbortSignal): AsyncIterable<ProgressMessage>;
  imagePrune(options?: { filters?: Filters }): Promise<{ ImagesDeleted: ImageDeleteResponseItem[] | null; SpaceReclaimed: number }>;
  /** `POST /build`: the context tar (maybe gzipped) in, the build's messages out. */
  imageBuild(context: ByteSource, options: ImageBuildOptions, signal?: AbortSignal): AsyncIterable<BuildMessage>;
  /** `POST /commit`: the container's changes as a new image; resolves with its ID. */
  containerCommit(container: string, options: CommitOptions): Promise<{ Id: string }>;
  /** `POST /build/prune`: with `all`, every cache entry; else those no tagged image is built on. */
  buildPrune(options?: { all?: boolean }): Promise<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>;
  /**
   * `GET /images/get`: checks the names (moby's errors, before any byte), then resolves with the
   * writer of Docker's save archive (OCI layout with manifest.json).
   */
  imageSave(names: readonly string[]): Promise<(out: ByteSink) => Promise<void>>;
  /** `POST /images/load`: a save archive (maybe gzipped) in; moby's messages (`Loaded image: …`) out. */
  imageLoad(archive: ByteSource, options?: { quiet?: boolean }): Promise<BuildMessage[]>;
  /** `POST /images/create?fromSrc=`: a filesystem tarball as a one-layer image; resolves with its ID. */
  imageImport(source: ByteSource, options: ImageImportOptions): Promise<{ Id: string }>;

  // volumes
  volumeList(options?: { filters?: Filters }): Promise<{ Volumes: JsonObject[]; Warnings: string[] | null }>;
  volumeCreate(body: VolumeCreateRequest): Promise<JsonObject>;
  volumeInspect(name: string): Promise<JsonObject>;
  volumeRemove(name: string, options?: { force?: boolean }): Promise<void>;
  volumePrune(options?: { filters?: Filters }): Promise<{ VolumesDeleted: string[]; SpaceReclaimed: number }>;

  // networks
  networkList(options?: { filters?: Filters }): Promise<JsonObject[]>;
  networkInspect(id: string): Promise<JsonObject>;
  networkCreate(body: NetworkCreateRequest): Promise<{ Id: string; Warning: string }>;
  networkRemove(id: string): Promise<void>;
  networkPrune(options?: { filters?: Filters }): Promise<{ NetworksDeleted: string[] }>;
}
