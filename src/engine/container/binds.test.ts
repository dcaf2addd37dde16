// The mount resolver: moby's registerMountPoints order and texts, image volumes with copy-up,
// --volumes-from, the OCI mounts of a start, and `rm -v`.
import { describe, expect, it } from 'vitest';
import { guestDisk } from '../../../test/fakes/guest-disk.ts';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import type { TreeEntry } from '../../protocol/guest/port.ts';
import { EventBus } from '../events.ts';
import { mountPointsView } from '../volume/mount-points.ts';
import { VolumeService } from '../volume/volumes.ts';
import { containerMounts, containerRemoved, registerMounts, type MountDeps } from './binds.ts';
import type { Config, HostConfig, Mount } from './options-types.ts';
import type { ContainerRecord } from './record.ts';

const text = (s: string) => new TextEncoder().encode(s);
const image: TreeEntry[] = [
  { path: '', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 },
  { path: 'etc', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 },
  { path: 'etc/motd', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data: text('hello') },
  { path: 'data', type: 'dir', mode: 0o750, uid: 100, gid: 101, mtime: 0 },
  { path: 'data/seed', type: 'file', mode: 0o600, uid: 100, gid: 101, mtime: 0, data: text('seed') },
];

async function setup() {
  // The image's tree as the guest sees it in the share (what copy-up copies from).
  const disk = await guestDisk();
  await disk.writeTree('/mnt/host/images/img', image);
  const byPath = new Map(image.map((e) => [`/${e.path}`, e]));
  const events = new EventBus(() => 0);
  const containers: ContainerRecord[] = [];
  let seed = 3;
  const volumes = new VolumeService({
    meta: memoryStores().meta,
    events,
    now: () => Date.UTC(2025, 0, 1),
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
    containers: () => containers,
    guestRun: disk.guestRun,
  });
  const runs: string[][] = [];
  const deps: MountDeps = {
    volumes,
    container: (ref) => {
      const found = containers.find((c) => c.Id === ref || c.Name === `/${ref}`);
      if (!found) throw new Error(`No such container: ${ref}`);
      return found;
    },
    rootfs: async () => ({ lowerDir: '/mnt/host/images/img', lookup: (p) => byPath.get(p === '' ? '/' : p) }),
    runtime: { run: async (argv) => (runs.push(argv), { code: 0, stdout: '', stderr: '' }) },
  };
  const actions: string[] = [];
  events.subscribe((e) => actions.push(`${e.Type} ${e.Action}`));
  const record = (id: string, hostConfig: Partial<HostConfig>, volumesConfig: string[] = []) => {
    const r = {
      Id: id,
      Name: `/${id}`,
      Created: `2025-01-01T00:00:0${containers.length}Z`,
      Image: 'sha256:img',
      Config: { Volumes: Object.fromEntries(volumesConfig.map((v) => [v, {}])) } as unknown as Config,
      HostConfig: hostConfig as HostConfig,
    } as ContainerRecord;
    containers.push(r);
    return r;
  };
  return { disk, volumes, deps, record, runs, actions, containers };
}

const mount = (m: Partial<Mount> & Pick<Mount, 'Type' | 'Target'>): Mount => m;

describe('registerMounts', () => {
  it('resolves binds, named, anonymous and image volumes as docker inspect shows them', async () => {
    const { deps, record, volumes, disk } = await setup();
    const c = record('c1', { Binds: ['v1:/named', '/srv/www:/www:ro'], Mounts: [mount({ Type: 'volume', Target: '/anon' }), mount({ Type: 'bind', Source: '/etc', Target: '/host-etc', ReadOnly: true })] }, ['/data', '/cache']);
    await registerMounts(c, deps);
    const [cache, anon, data] = volumes.all().filter((v) => v.anonymous).map((v) => v.Name);
    const names = Object.fromEntries(mountPointsView(c).map((m) => [m.Destination, m.Name]));
    expect(mountPointsView(c)).toEqual([
      { Type: 'volume', Name: names['/anon'], Source: `/var/lib/docker/volumes/${names['/anon']}/_data`, Destination: '/anon', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
      { Type: 'volume', Name: names['/cache'], Source: `/var/lib/docker/volumes/${names['/cache']}/_data`, Destination: '/cache', Driver: 'local', Mode: '', RW: true, Propagation: '' },
      { Type: 'volume', Name: names['/data'], Source: `/var/lib/docker/volumes/${names['/data']}/_data`, Destination: '/data', Driver: 'local', Mode: '', RW: true, Propagation: '' },
      { Type: 'bind', Source: '/etc', Destination: '/host-etc', Mode: '', RW: false, Propagation: 'rprivate' },
      { Type: 'volume', Name: 'v1', Source: '/var/lib/docker/volumes/v1/_data', Destination: '/named', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
      { Type: 'bind', Source: '/srv/www', Destination: '/www', Mode: 'ro', RW: false, Propagation: 'rprivate' },
    ]);
    expect([cache, anon, data].sort()).toEqual([names['/cache'], names['/anon'], names['/data']].sort());
    expect(volumes.find('v1')?.Labels).toBeNull();
    // Copy-up: the image's /data went into its anonymous volume; /cache is not in the image, so
    // its volume stays as create() made it: an empty directory.
    expect((await disk.readTree(`/var/lib/docker/volumes/${names['/data']}/_data`)).map((e) => [e.path, e.uid, e.mode.toString(8)])).toEqual([['', 100, '750'], ['seed', 100, '600']]);
    expect((await disk.readTree(`/var/lib/docker/volumes/${names['/cache']}/_data`)).map((e) => [e.path, e.type])).toEqual([['', 'dir']]);
  });

  it.each([
    [{ Binds: ['/a:/x', 'v1:/x'] }, [], 'Duplicate mount point: /x'],
    [{ Binds: ['/a:/x'], Mounts: [mount({ Type: 'tmpfs', Target: '/x/' })] }, [], 'Duplicate mount point: /x/'],
    [{ Binds: ['v1:/x:rw,ro'] }, [], 'invalid mode: rw,ro'],
    [{ Binds: ['/tmp:rel'] }, [], `invalid volume specification: '/tmp:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`],
    [{ Binds: ['v1:rel:ro'] }, [], `invalid volume specification: 'v1:rel:ro': invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute`],
    [{ Binds: ['a:/x'] }, [], 'create a: volume name is too short, names should be at least two alphanumeric characters'],
    [{ Mounts: [mount({ Type: 'volume', Target: '/x', ReadOnly: true })] }, [], 'invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes'],
    [{ Mounts: [mount({ Type: 'bind', Target: '/x' })] }, [], 'invalid mount config for type "bind": field Source must not be empty'],
    [{ VolumesFrom: ['ghost'] }, [], 'No such container: ghost'],
    [{}, ['/etc/motd'], 'cannot mount volume over existing file, file exists /run/slipway/c/bad/rootfs/etc/motd'],
  ])('refuses %j %j', async (hostConfig, vols, message) => {
    const { deps, record } = await setup();
    await expect(registerMounts(record('bad', hostConfig as Partial<HostConfig>, vols), deps)).rejects.toThrow(message);
  });

  it('keeps the mount points on the record: decided at create, reused at every start', async () => {
    const { deps, record, volumes } = await setup();
    const c = record('c9', { Binds: ['v9:/named', '/srv:/srv'] }, ['/data']);
    await registerMounts(c, deps);
    expect(c.mountPoints?.map((m) => [m.Destination, m.Type, m.named ?? false, m.createSource ?? false])).toEqual([
      ['/named', 'volume', true, false],
      ['/srv', 'bind', false, true],
      ['/data', 'volume', false, false],
    ]);
    const anon = c.mountPoints?.find((m) => m.Destination === '/data')?.Name;
    await containerMounts(c, deps);
    await containerMounts(c, deps);
    expect(volumes.all().filter((v) => v.anonymous).map((v) => v.Name)).toEqual([anon]);
  });

  it('--volumes-from copies the mount points (mode dropped, :ro makes them read-only)', async () => {
    const { deps, record } = await setup();
    const source = record('src', { Binds: ['shared:/shared', '/host:/host'] }, ['/data']);
    await registerMounts(source, deps);
    const c = record('c2', { VolumesFrom: ['src:ro'] });
    await registerMounts(c, deps);
    expect(mountPointsView(c).map((m) => [m.Destination, m.Type, m.Mode, m.RW])).toEqual([
      ['/data', 'volume', '', false],
      ['/host', 'bind', '', false],
      ['/shared', 'volume', '', false],
    ]);
    expect(mountPointsView(c)[0]!.Name).toBe(mountPointsView(source)[0]!.Name);
  });
});

describe('containerMounts', () => {
  it('binds volume data directories on the disk, shallow first, checks bind sources, emits mount events', async () => {
    const { deps, record, runs, actions } = await setup();
    const c = record('c1', { Binds: ['v1:/a/b', '/new:/n'], Mounts: [mount({ Type: 'bind', Source: '/must', Target: '/m' }), mount({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1 << 20 } })] }, ['/a']);
    await registerMounts(c, deps);
    const anon = mountPointsView(c).find((m) => m.Destination === '/a')!.Name;
    const mounts = await containerMounts(c, deps);
    expect(mounts).toEqual([
      { type: 'bind', source: '/new', destination: '/n', readonly: false },
      { type: 'bind', source: '/must', destination: '/m', readonly: false },
      { type: 'tmpfs', destination: '/t', options: 'size=1024k' },
      { type: 'bind', source: `/var/lib/docker/volumes/${anon}/_data`, destination: '/a', readonly: false },
      { type: 'bind', source: '/var/lib/docker/volumes/v1/_data', destination: '/a/b', readonly: false },
    ]);
    expect(runs[0]!.slice(4)).toEqual(['1', '/must', '/new']);
    expect(actions.filter((a) => a.endsWith('mount'))).toEqual(['volume mount', 'volume mount']);
  });

  it('mounts a tmpfs volume as a tmpfs with its o= options', async () => {
    const { deps, record, volumes } = await setup();
    await volumes.create({ name: 'scratch', options: { type: 'tmpfs', device: 'tmpfs', o: 'size=64m' } });
    const c = record('c1', { Binds: ['scratch:/s:ro'] });
    await registerMounts(c, deps);
    expect(await containerMounts(c, deps)).toEqual([{ type: 'tmpfs', destination: '/s', options: 'size=64m,ro' }]);
  });
});

describe('containerRemoved', () => {
  it('rm -v removes anonymous volumes only, and not while another container uses them', async () => {
    const { deps, record, volumes, containers } = await setup();
    const a = record('a', { Binds: ['keep:/k'], Mounts: [mount({ Type: 'volume', Target: '/m' })] }, ['/data']);
    await registerMounts(a, deps);
    const b = record('b', { VolumesFrom: ['a'] });
    await registerMounts(b, deps);
    await containerRemoved(a, true, deps);
    expect(volumes.all()).toHaveLength(3);
    // Once b is gone too, a's rm -v removes its anonymous volumes; the named one stays.
    containers.splice(containers.indexOf(b), 1);
    await containerRemoved(a, true, deps);
    expect(volumes.all().map((v) => v.Name)).toEqual(['keep']);
  });
});
