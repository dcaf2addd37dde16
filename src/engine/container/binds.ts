// A container's mounts, as moby decides them (daemon/volumes.go registerMountPoints,
// create_unix.go): at create, --volumes-from, then `-v` binds and named volumes, then --mount,
// then the image's (and `-v /path`'s) anonymous volumes, with Docker's copy-up of image content
// into empty volumes. At each start the mount points become OCI bind/tmpfs mounts: host paths of
// the guest, or volume directories in the 9p share.
import type { SpecMountInput } from './spec-types.ts';
import type { ContainerRecord } from './record.ts';
import type { ImageRootfs } from './launch.ts';
import { resolveInTree } from './launch.ts';
import type { GuestRuntime } from './runtime.ts';
import { DaemonError } from './state.ts';
import type { MountPoint } from '../volume/mount-points.ts';
import { isTmpfsVolume } from '../volume/records.ts';
import type { VolumeService } from '../volume/volumes.ts';

export interface MountDeps {
  volumes: VolumeService;
  /** Another container (--volumes-from); throws Docker's "No such container". */
  container(ref: string): ContainerRecord;
  rootfs(imageId: string): Promise<ImageRootfs>;
  runtime: Pick<GuestRuntime, 'run'>;
}

const RW_MODES = ['rw', 'ro'];
const LABEL_MODES = ['z', 'Z'];
const PROPAGATION_MODES = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'];
const COPY_MODES = ['nocopy'];
const CONSISTENCY_MODES = ['consistent', 'cached', 'delegated'];
const MODE_GROUPS = [RW_MODES, LABEL_MODES, PROPAGATION_MODES, COPY_MODES, CONSISTENCY_MODES];

/** linuxValidMountMode: known words, at most one of each kind. */
function validMode(mode: string): boolean {
  if (mode === '') return true;
  const words = mode.split(',');
  const counts = MODE_GROUPS.map((group) => words.filter((w) => group.includes(w)).length);
  return words.every((w) => MODE_GROUPS.some((g) => g.includes(w))) && counts.every((n) => n <= 1);
}

const readWrite = (mode: string) => validMode(mode) && !mode.split(',').includes('ro');
const propagationOf = (mode: string) => mode.split(',').find((w) => PROPAGATION_MODES.includes(w));

/** path.Clean for absolute Linux paths. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

const invalid = (text: string) => new DaemonError(text, 'invalid-parameter');
const mountConfigError = (type: string, why: string) => invalid(`invalid mount config for type "${type}": ${why}`);

/** Decides the container's mount points (record.mountPoints), creating and populating volumes. */
export async function registerMounts(record: ContainerRecord, deps: MountDeps): Promise<void> {
  const hc = record.HostConfig;
  const points = new Map<string, MountPoint>();
  const claimed = new Set<string>();
  const populate: MountPoint[] = [];
  const claim = (mp: MountPoint, shown: string) => {
    if (claimed.has(mp.Destination) || (hc.Tmpfs && mp.Destination in hc.Tmpfs)) throw invalid(`Duplicate mount point: ${shown}`);
    claimed.add(mp.Destination);
    points.set(mp.Destination, mp);
  };

  for (const spec of hc.VolumesFrom ?? []) {
    if (spec === '') throw invalid('volumes-from specification cannot be an empty string');
    const colon = spec.indexOf(':');
    const ref = colon < 0 ? spec : spec.slice(0, colon);
    const mode = colon < 0 ? 'rw' : spec.slice(colon + 1) || 'rw';
    if (!validMode(mode) || propagationOf(mode) || mode.split(',').includes('nocopy')) throw invalid(`invalid mode: ${mode}`);
    const source = deps.container(ref);
    // moby copies the mount point without its mode text.
    for (const m of source.mountPoints ?? []) points.set(m.Destination, { ...m, Mode: '', RW: m.RW && readWrite(mode) });
  }

  for (const bind of hc.Binds ?? []) {
    const parts = bind.split(':');
    if (parts[0] === '' || parts.length < 2 || parts.length > 3) throw invalid(`invalid volume specification: '${bind}'`);
    const [source = '', target = '', mode = ''] = parts;
    if (!validMode(mode)) throw invalid(`invalid mode: ${mode}`);
    if (!target.startsWith('/')) {
      const type = source.startsWith('/') ? 'bind' : 'volume';
      throw invalid(`invalid volume specification: '${bind}': invalid mount config for type "${type}": invalid mount path: '${target}' mount path must be absolute`);
    }
    const base = { Destination: cleanPath(target), RW: readWrite(mode) };
    if (source.startsWith('/')) {
      claim({ ...base, Type: 'bind', Source: cleanPath(source), Mode: mode, Propagation: propagationOf(mode) ?? 'rprivate', createSource: true }, base.Destination);
      continue;
    }
    const v = await deps.volumes.create({ name: source });
    const mp: MountPoint = { ...base, Type: 'volume', Name: v.Name, Source: '', Driver: v.Driver, Mode: mode || 'z', Propagation: '', named: true };
    claim(mp, base.Destination);
    if (!mode.split(',').includes('nocopy')) populate.push(mp);
  }

  for (const m of hc.Mounts ?? []) {
    if (!m.Target) throw mountConfigError(m.Type, 'field Target must not be empty');
    if (!m.Target.startsWith('/')) throw mountConfigError(m.Type, `invalid mount path: '${m.Target}' mount path must be absolute`);
    const base = { Destination: cleanPath(m.Target), RW: !m.ReadOnly };
    if (base.Destination === '/') throw mountConfigError(m.Type, 'invalid specification: destination can\'t be \'/\'');
    if (m.Type === 'bind') {
      if (!m.Source) throw mountConfigError('bind', 'field Source must not be empty');
      const propagation = m.BindOptions?.Propagation || 'rprivate';
      if (!PROPAGATION_MODES.includes(propagation)) throw mountConfigError('bind', `invalid propagation mode: ${propagation}`);
      claim({ ...base, Type: 'bind', Source: cleanPath(m.Source), Mode: '', Propagation: propagation, ...(m.BindOptions?.NonRecursive ? { nonRecursive: true } : {}) }, m.Target);
    } else if (m.Type === 'volume') {
      if (!m.Source && m.ReadOnly) throw mountConfigError('volume', 'must not set ReadOnly mode when using anonymous volumes');
      const vo = m.VolumeOptions;
      const v = await deps.volumes.create({ name: m.Source ?? '', driver: vo?.DriverConfig?.Name ?? '', labels: vo?.Labels ?? null, options: vo?.DriverConfig?.Options ?? null });
      const mp: MountPoint = { ...base, Type: 'volume', Name: v.Name, Source: '', Driver: v.Driver, Mode: 'z', Propagation: '', named: !!m.Source };
      claim(mp, m.Target);
      if (!vo?.NoCopy) populate.push(mp);
    } else if (m.Type === 'tmpfs') {
      if (m.Source) throw mountConfigError('tmpfs', 'field Source must not be specified');
      const t = m.TmpfsOptions;
      const options = [...(t?.SizeBytes ? [`size=${Math.floor(t.SizeBytes / 1024)}k`] : []), ...(t?.Mode !== undefined ? [`mode=${t.Mode.toString(8)}`] : [])];
      claim({ ...base, Type: 'tmpfs', Source: '', Mode: '', Propagation: '', tmpfsOptions: options.join(',') }, m.Target);
    } else {
      throw mountConfigError(m.Type, 'mount type unknown');
    }
  }

  let rootfs: ImageRootfs | undefined;
  const image = async () => (rootfs ??= await deps.rootfs(record.Image));
  for (const spec of Object.keys(record.Config.Volumes ?? {}).sort()) {
    const destination = cleanPath(spec);
    if (points.has(destination)) continue;
    const existing = resolveInTree(await image(), destination);
    if (existing && existing.type !== 'dir') {
      throw new DaemonError(`cannot mount volume over existing file, file exists /run/slipway/c/${record.Id}/rootfs${destination}`, 'system');
    }
    const v = await deps.volumes.create();
    const mp: MountPoint = { Type: 'volume', Name: v.Name, Source: '', Destination: destination, Driver: v.Driver, Mode: '', RW: true, Propagation: '' };
    points.set(destination, mp);
    populate.push(mp);
  }
  for (const mp of populate) await deps.volumes.populate(mp.Name!, await image(), mp.Destination);
  record.mountPoints = [...points.values()];
}

const depth = (p: string) => p.split('/').length;

/** The OCI mounts of the container's mount points for one start (bind sources checked or created). */
export async function containerMounts(record: ContainerRecord, deps: MountDeps): Promise<SpecMountInput[]> {
  if (!record.mountPoints) await registerMounts(record, deps);
  // Shallow first, so /a/b mounts on top of /a (moby's sortMounts).
  const points = [...(record.mountPoints ?? [])].sort((a, b) => depth(a.Destination) - depth(b.Destination));
  const mounts: SpecMountInput[] = [];
  const create: string[] = [];
  const mustExist: string[] = [];
  for (const m of points) {
    const readonly = !m.RW;
    if (m.Type === 'bind') {
      (m.createSource ? create : mustExist).push(m.Source);
      const propagation = m.Propagation && m.Propagation !== 'rprivate' ? { propagation: m.Propagation } : {};
      mounts.push({ type: 'bind', source: m.Source, destination: m.Destination, readonly, ...propagation, ...(m.nonRecursive ? { nonRecursive: true } : {}) });
    } else if (m.Type === 'tmpfs') {
      mounts.push({ type: 'tmpfs', destination: m.Destination, options: [m.tmpfsOptions, readonly ? 'ro' : ''].filter(Boolean).join(',') });
    } else {
      const v = deps.volumes.get(m.Name!);
      if (isTmpfsVolume(v)) mounts.push({ type: 'tmpfs', destination: m.Destination, options: [v.Options?.o, readonly ? 'ro' : ''].filter(Boolean).join(',') });
      else mounts.push({ type: 'bind', source: await deps.volumes.mountSource(v.Name), destination: m.Destination, readonly });
    }
  }
  if (create.length || mustExist.length) {
    // One guest process: report missing --mount sources, then create missing -v sources as
    // directories (an existing file or socket is bind-mounted as it is).
    const script = 'n=$1; shift; i=0; for p in "$@"; do i=$((i+1)); if [ $i -le $n ]; then [ -e "$p" ] || { echo "$p"; exit 2; }; elif [ ! -e "$p" ]; then mkdir -p "$p" || exit 1; fi; done';
    const r = await deps.runtime.run(['/bin/sh', '-c', script, 'slipway-binds', String(mustExist.length), ...mustExist, ...create]);
    if (r.code === 2) throw new DaemonError(`invalid mount config for type "bind": bind source path does not exist: ${r.stdout.trim()}`, 'invalid-parameter');
    if (r.code !== 0) throw new DaemonError(`error while creating mount source path: ${r.stderr.trim()}`, 'system');
  }
  for (const m of points) if (m.Type === 'volume') deps.volumes.mounted(record.Id, m);
  return mounts;
}

/** The container stopped: moby's unmount events. */
export function containerStopped(record: ContainerRecord, deps: Pick<MountDeps, 'volumes'>): void {
  deps.volumes.unmounted(record.Id, record.mountPoints ?? []);
}

/**
 * The container is being removed: with `rm -v` (and `--rm`) its anonymous volumes go too, unless
 * another container still uses them (moby removeMountPoints).
 */
export async function containerRemoved(record: ContainerRecord, removeVolumes: boolean, deps: Pick<MountDeps, 'volumes'>): Promise<void> {
  if (!removeVolumes) return;
  for (const m of record.mountPoints ?? []) {
    if (m.Type !== 'volume' || m.named || !m.Name) continue;
    await deps.volumes.remove(m.Name, { force: true, except: record.Id }).catch(() => undefined);
  }
}
