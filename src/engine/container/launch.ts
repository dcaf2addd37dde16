// Everything decided on the host before `crun run`: the image tree in the 9p share, the command
// checked against it (Docker's "executable file not found" comes from here, without a guest
// round trip), the user, the network, /etc files and the OCI spec.
import { layerBytes } from './verify.ts';
import type { GuestFiles, TreeEntry } from '../../protocol/guest/port.ts';
import { DOCKER_FALLBACK_NAMESERVERS, GUEST_RESOLV_CONF } from '../network/dns.ts';
import type { ContainerRecord } from './record.ts';
import type { ContainerMounts, ContainerNetworking, NetworkAttachment } from './needs.ts';
import { GuestPaths, type StartRequest } from './runtime.ts';
import { buildRuntimeSpec } from './spec.ts';
import type { SpecDeviceInput, SpecMountInput } from './spec-types.ts';
import type { DeviceMapping } from './options-types.ts';
import { DaemonError, ZERO_TIME } from './state.ts';
import { resolveUser } from './user.ts';
import { logRetention } from './log-config.ts';
import { LOG_CHUNK_BYTES } from './logs.ts';

/** An image's merged tree as the guest sees it, with host-side lookups. */
export interface ImageRootfs {
  /** Guest path of the tree (the overlay lower dir). */
  lowerDir: string;
  /** The entry at an absolute path inside the image, symlinks not followed. */
  lookup(path: string): TreeEntry | undefined;
}

export interface LaunchDeps {
  files: GuestFiles;
  rootfs(imageId: string): Promise<ImageRootfs>;
  /** Lower dirs of the container's filesystem changes stored by earlier versions, topmost first. */
  diffLowerDirs(record: ContainerRecord): Promise<string[]>;
  network: Pick<ContainerNetworking, 'attach'>;
  mounts: Pick<ContainerMounts, 'mounts'>;
  /** `--device` host paths as device nodes (devices.ts); fails the start with moby's error. */
  devices(mappings: readonly DeviceMapping[]): Promise<SpecDeviceInput[]>;
}

export interface Launch {
  request: StartRequest;
  network: ContainerRecord['network'];
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * A container process's environment as Docker builds it: PATH (default unless set) and HOSTNAME
 * first, then `env` in order (later entries win), TERM=xterm for a tty unless set.
 */
function processEnv(env: readonly string[], hostname: string, tty: boolean): string[] {
  const byName = new Map<string, string>([
    ['PATH', `PATH=${DEFAULT_PATH}`],
    ['HOSTNAME', `HOSTNAME=${hostname}`],
  ]);
  for (const kv of env) byName.set(kv.split('=')[0]!, kv);
  if (tty && !byName.has('TERM')) byName.set('TERM', 'TERM=xterm');
  return [...byName.values()];
}
let specCounter = 0;

export async function prepareLaunch(
  deps: LaunchDeps,
  record: ContainerRecord,
  tty?: { rows: number; cols: number },
  notifyStarted = false,
): Promise<Launch> {
  const rootfs = await deps.rootfs(record.Image);
  const config = record.Config;
  const pathVar = config.Env?.find((kv) => kv.startsWith('PATH='))?.slice(5);

  // Files created by an earlier run live in the container's upper dir, which the host does not see.
  if (record.State.StartedAt === ZERO_TIME) checkExecutable(rootfs, record.Path, pathVar ?? DEFAULT_PATH, mountDestinations(record));
  const user = resolveUser(config.User ?? '', (path) => readTreeFile(rootfs, path));

  const network = await deps.network.attach(record);
  const fullEnv = processEnv([...(network.env ?? []), ...(config.Env ?? [])], config.Hostname, config.Tty ?? false);
  const shared = GuestPaths.shared(record.Id);
  const inGuest = GuestPaths.sharedInGuest(record.Id);
  const encode = (text: string) => new TextEncoder().encode(text);
  const hostname = config.Hostname ?? record.Id.slice(0, 12);
  await deps.files.write(`${shared}/hostname`, encode(`${hostname}\n`));
  await deps.files.write(`${shared}/hosts`, encode(hostsFile(hostname, network)));
  await deps.files.write(`${shared}/resolv.conf`, encode(resolvConf(record, network)));

  const mounts: SpecMountInput[] = [
    { type: 'bind', source: `${inGuest}/resolv.conf`, destination: '/etc/resolv.conf' },
    { type: 'bind', source: `${inGuest}/hostname`, destination: '/etc/hostname' },
    { type: 'bind', source: `${inGuest}/hosts`, destination: '/etc/hosts' },
    ...(await deps.mounts.mounts(record)),
    ...Object.entries(record.HostConfig.Tmpfs ?? {}).map(([destination, options]): SpecMountInput => ({ type: 'tmpfs', destination, options })),
  ];
  const hc = record.HostConfig;
  // --init: the agent binary, as `docker-init`, is PID 1 in front of the command (Docker's tini).
  if (hc.Init) mounts.push({ type: 'bind', source: '/usr/sbin/slipway-agent', destination: '/sbin/docker-init', readonly: true });
  const devices = hc.Devices?.length ? await deps.devices(hc.Devices) : [];
  const spec = buildRuntimeSpec({
    args: hc.Init ? ['/sbin/docker-init', '--', record.Path, ...record.Args] : [record.Path, ...record.Args],
    env: fullEnv,
    cwd: config.WorkingDir || '/',
    uid: user.uid,
    gid: user.gid,
    additionalGids: user.additionalGids,
    hostname,
    tty: config.Tty ?? false,
    ...(tty ? { consoleSize: { height: tty.rows, width: tty.cols } } : {}),
    rootfs: 'rootfs',
    readonlyRootfs: hc.ReadonlyRootfs ?? false,
    capAdd: hc.CapAdd ?? [],
    capDrop: hc.CapDrop ?? [],
    privileged: hc.Privileged ?? false,
    securityOpt: hc.SecurityOpt ?? [],
    resources: {
      memory: hc.Memory || undefined,
      memorySwap: hc.MemorySwap || undefined,
      nanoCpus: hc.NanoCpus || undefined,
      cpuShares: hc.CpuShares || undefined,
      pidsLimit: hc.PidsLimit ?? undefined,
    },
    ulimits: (hc.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard })),
    mounts,
    devices,
    network: network.namespace,
    cgroupsPath: GuestPaths.cgroup(record.Id),
    seccompForm: 'bpf',
  });
  if (notifyStarted) {
    // One fork in the guest, only for starts that must report when the process runs: crun runs
    // the hook once the container's process runs, and the hook writes to crun's fd 3, the
    // agent's notify pipe (its first byte becomes a NOTIFY frame: the process's `notified`).
    (spec as { hooks?: unknown }).hooks = {
      poststart: [{ path: '/bin/busybox', args: ['sh', '-c', 'printf x >/proc/$PPID/fd/3'] }],
    };
  }
  const specFile = `${shared}/spec-${++specCounter}.json`;
  await deps.files.write(specFile, encode(JSON.stringify(spec)));
  // moby starts the logging driver with the task (NewTask → InitializeStdio), after the spec:
  // a bad option value fails the start there.
  if (hc.LogConfig) logRetention(hc.LogConfig, LOG_CHUNK_BYTES);
  return {
    request: {
      id: record.Id,
      lowerDir: await rootfsLowerDir(deps, record, rootfs),
      specPath: `${inGuest}/${specFile.slice(specFile.lastIndexOf('/') + 1)}`,
      tty: config.Tty ?? false,
      notify: notifyStarted,
      workdir: config.WorkingDir || '/',
      layerBytes: layerBytes(hc),
    },
    network: network.assignment,
  };
}

/** The overlay lower dirs of a container's rootfs, topmost first: its stored diffs, then the image. */
export async function rootfsLowerDir(deps: LaunchDeps, record: ContainerRecord, rootfs?: ImageRootfs): Promise<string> {
  const image = rootfs ?? (await deps.rootfs(record.Image));
  return [...(await deps.diffLowerDirs(record)), image.lowerDir].join(':');
}

/** Resolves symlinks inside the tree (absolute targets are relative to the image root). */
export function resolveInTree(rootfs: ImageRootfs, path: string, depth = 0): TreeEntry | undefined {
  if (depth > 40) return undefined;
  const parts = path.split('/').filter(Boolean);
  let current = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '.') continue;
    current = part === '..' ? current.slice(0, Math.max(0, current.lastIndexOf('/'))) : `${current}/${part}`;
    const entry = rootfs.lookup(current);
    if (!entry) return undefined;
    if (entry.type === 'symlink') {
      const target = entry.target ?? '';
      const base = target.startsWith('/') ? target : `${current.slice(0, current.lastIndexOf('/'))}/${target}`;
      const rest = parts.slice(i + 1).join('/');
      return resolveInTree(rootfs, rest ? `${base}/${rest}` : base, depth + 1);
    }
    if (entry.type === 'hardlink') {
      const target = rootfs.lookup(`/${entry.target ?? ''}`);
      if (i === parts.length - 1) return target;
    }
    if (i === parts.length - 1) return entry;
  }
  return rootfs.lookup('/');
}

function readTreeFile(rootfs: ImageRootfs, path: string): string | null {
  const entry = resolveInTree(rootfs, path);
  return entry?.type === 'file' ? new TextDecoder().decode(entry.data ?? new Uint8Array(0)) : null;
}

const RUNTIME_ERROR_PREFIX =
  'failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ';

/** Where the container's binds, volumes and tmpfs mounts go: the image tree is not what is there. */
function mountDestinations(record: ContainerRecord): string[] {
  return [...(record.mountPoints ?? []).map((m) => m.Destination), ...Object.keys(record.HostConfig.Tmpfs ?? {})];
}

/**
 * Docker's "executable file not found", decided on the host from the image tree. A path at or
 * under a mount is not the image's (`-v /usr/bin/curl:/usr/bin/curl`): crun finds out there.
 */
function checkExecutable(rootfs: ImageRootfs, command: string, pathVar: string, mounts: readonly string[] = []): void {
  const mounted = (path: string) => mounts.some((d) => path === d || path.startsWith(d.endsWith('/') ? d : `${d}/`));
  const candidates = command.includes('/') ? [command.startsWith('/') ? command : `/${command}`] : pathVar.split(':').map((dir) => `${dir || '.'}/${command}`);
  if (candidates.some(mounted)) return;
  if (command.includes('/')) {
    const entry = resolveInTree(rootfs, command.startsWith('/') ? command : `/${command}`);
    if (!entry) throw new DaemonError(`${RUNTIME_ERROR_PREFIX}exec: "${command}": stat ${command}: no such file or directory: unknown`, 'invalid-parameter', 127);
    if (entry.type === 'dir') throw new DaemonError(`${RUNTIME_ERROR_PREFIX}exec: "${command}": is a directory: unknown`, 'invalid-parameter', 126);
    if (!(entry.mode & 0o111)) throw new DaemonError(`${RUNTIME_ERROR_PREFIX}exec: "${command}": permission denied: unknown`, 'invalid-parameter', 126);
    return;
  }
  for (const dir of pathVar.split(':')) {
    const entry = resolveInTree(rootfs, `${dir || '.'}/${command}`);
    if (entry && entry.type !== 'dir' && entry.mode & 0o111) return;
  }
  throw new DaemonError(`${RUNTIME_ERROR_PREFIX}exec: "${command}": executable file not found in $PATH: unknown`, 'invalid-parameter', 127);
}

function hostsFile(hostname: string, network: NetworkAttachment): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::\tip6-localnet',
    'ff00::\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    ...network.extraHosts,
  ];
  if (network.assignment) lines.push(`${network.assignment.ipAddress}\t${hostname}`);
  return lines.join('\n') + '\n';
}

/**
 * `--dns` wins. Otherwise a container on a bridge asks the Docker host's DNS service at its
 * gateway (answered by the engine, like Docker's embedded DNS on user networks), host-network
 * containers get the guest's own file, and `--network none` keeps Docker's fallback servers.
 */
export function resolvConf(record: ContainerRecord, network: NetworkAttachment): string {
  let servers: readonly string[] = record.HostConfig.Dns ?? [];
  if (!servers.length && network.namespace === 'host') return GUEST_RESOLV_CONF;
  if (!servers.length) servers = network.assignment ? [network.assignment.gateway] : network.nameserver ? [network.nameserver] : DOCKER_FALLBACK_NAMESERVERS;
  return servers.map((d) => `nameserver ${d}`).join('\n') + '\n';
}

export interface ExecRequest {
  args: string[];
  env: string[];
  user: string;
  workdir: string;
  tty: boolean;
  privileged: boolean;
  size?: { rows: number; cols: number };
}

/** The OCI process for `crun exec`: the container's own settings with the exec's command. */
export async function execProcess(deps: LaunchDeps, record: ContainerRecord, req: ExecRequest): Promise<Record<string, unknown>> {
  const rootfs = await deps.rootfs(record.Image);
  const user = resolveUser(req.user || record.Config.User || '', (path) => readTreeFile(rootfs, path));
  const hc = record.HostConfig;
  const spec = buildRuntimeSpec({
    args: req.args,
    env: processEnv([...(record.Config.Env ?? []), ...req.env], record.Config.Hostname, req.tty),
    cwd: req.workdir || record.Config.WorkingDir || '/',
    uid: user.uid,
    gid: user.gid,
    additionalGids: user.additionalGids,
    hostname: record.Config.Hostname,
    tty: req.tty,
    ...(req.size ? { consoleSize: { height: req.size.rows, width: req.size.cols } } : {}),
    rootfs: 'rootfs',
    capAdd: hc.CapAdd ?? [],
    capDrop: hc.CapDrop ?? [],
    privileged: req.privileged || (hc.Privileged ?? false),
    securityOpt: hc.SecurityOpt ?? [],
    network: 'host',
    cgroupsPath: GuestPaths.cgroup(record.Id),
  });
  return spec.process as unknown as Record<string, unknown>;
}
