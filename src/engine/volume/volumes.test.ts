// The volume store with its data in a temporary directory standing in for the guest's
// /var/lib/docker (guest commands run by the host's shell): records, references, Docker's errors
// and events, prune rules, sizes, copy-up, and the move of contents saved by earlier versions.
import { chmod, chown, link, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostGuestRun } from '../../../test/fakes/host-guest-run.ts';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import type { TreeEntry } from '../../protocol/guest/port.ts';
import type { ContainerRecord } from '../container/record.ts';
import type { ImageRootfs } from '../container/launch.ts';
import { EventBus } from '../events.ts';
import { parseFilterArgs } from '../../cli/opts/filters.ts';
import type { MountPoint } from './mount-points.ts';
import { volumeInspect } from './records.ts';
import { VolumeService, type VolumeServiceDeps } from './volumes.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0, 123);
const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

async function setup(stores = memoryStores(), legacy?: VolumeServiceDeps['legacy'], root?: string) {
  root ??= await mkdtemp(join(tmpdir(), 'slipway-volumes-'));
  roots.push(root);
  const events = new EventBus(() => NOW);
  const containers: ContainerRecord[] = [];
  const guestRuns: string[][] = [];
  let seed = 7;
  const volumes = new VolumeService({
    meta: stores.meta,
    events,
    now: () => NOW,
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
    containers: () => containers,
    guestRun: hostGuestRun(root, guestRuns),
    ...(legacy ? { legacy } : {}),
  });
  const seen: string[] = [];
  events.subscribe((e) => seen.push(`${e.Action} ${e.Actor.ID.slice(0, 12)} ${JSON.stringify(e.Actor.Attributes)}`));
  /** A file in the guest's filesystem. */
  const put = async (path: string, bytes: string | Uint8Array) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), bytes);
  };
  const exists = (path: string) => stat(join(root, path)).then(() => true, () => false);
  return { volumes, stores, containers, seen, guestRuns, root, put, exists };
}

/** A container record that mounts the named volumes (only what the store looks at). */
const user = (id: string, ...names: string[]) =>
  ({ Id: id, Created: `2025-06-01T00:00:0${id.slice(1)}Z`, mountPoints: names.map((n) => ({ Type: 'volume', Name: n, Source: '', Destination: `/${n}`, Mode: 'z', RW: true, Propagation: '' })) }) as unknown as ContainerRecord;

describe('VolumeService', () => {
  it('creates named and anonymous volumes with Docker\'s inspect view and a create event', async () => {
    const { volumes, seen, exists } = await setup();
    const named = await volumes.create({ name: 'data', labels: {}, options: {} });
    const anon = await volumes.create();
    expect(volumeInspect(named)).toEqual({
      CreatedAt: '2025-06-01T12:00:00Z',
      Driver: 'local',
      Labels: {},
      Mountpoint: '/var/lib/docker/volumes/data/_data',
      Name: 'data',
      Options: {},
      Scope: 'local',
    });
    expect(anon.Name).toMatch(/^[0-9a-f]{64}$/);
    expect(anon.Labels).toEqual({ 'com.docker.volume.anonymous': '' });
    expect(anon.Options).toBeNull();
    // The data directory is there at once (the guest shell can write into it), and a mount binds it.
    expect(await exists('/var/lib/docker/volumes/data/_data')).toBe(true);
    expect(await volumes.mountSource('data')).toBe('/var/lib/docker/volumes/data/_data');
    expect(seen).toEqual(['create data {"driver":"local"}', `create ${anon.Name.slice(0, 12)} {"driver":"local"}`]);
    // Creating an existing name returns it, without an event.
    expect(await volumes.create({ name: 'data', labels: { x: 'y' } })).toBe(named);
    expect(seen).toHaveLength(2);
  });

  it.each([
    ['a', 'local', {}, 'create a: volume name is too short, names should be at least two alphanumeric characters'],
    ['a b', 'local', {}, 'create a b: "a b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
    ['v1', 'nfs', {}, 'create v1: error looking up volume plugin nfs: plugin "nfs" not found'],
    ['v1', 'local', { foo: 'x' }, 'create v1: invalid option: "foo"'],
    ['v1', 'local', { type: 'tmpfs' }, 'create v1: missing required option: "device"'],
  ])('refuses %j (driver %s, options %j)', async (name, driver, options, message) => {
    const { volumes } = await setup();
    await expect(volumes.create({ name, driver, options })).rejects.toThrow(message);
    expect(volumes.find(name)).toBeUndefined();
  });

  it('refuses to remove a volume in use, naming the containers; -f only excuses a missing one', async () => {
    const { volumes, containers, seen, exists } = await setup();
    await volumes.create({ name: 'v1' });
    containers.push(user('c2', 'v1'), user('c1', 'v1'));
    await expect(volumes.remove('v1')).rejects.toThrow('remove v1: volume is in use - [c1, c2]');
    await expect(volumes.remove('v1', { force: true })).rejects.toThrow('volume is in use');
    await expect(volumes.remove('nope')).rejects.toThrow('get nope: no such volume');
    await volumes.remove('nope', { force: true });
    containers.length = 0;
    await volumes.remove('v1');
    expect(volumes.find('v1')).toBeUndefined();
    expect(await exists('/var/lib/docker/volumes/v1')).toBe(false);
    expect(seen.at(-1)).toBe('destroy v1 {"driver":"local"}');
  });

  it('lists with dangling/name/label/driver filters and moby\'s filter errors', async () => {
    const { volumes, containers } = await setup();
    await volumes.create({ name: 'web-data', labels: { app: 'web', tier: 'front' } });
    await volumes.create({ name: 'db-data', labels: { app: 'db' } });
    await volumes.create({ name: 'cache' });
    containers.push(user('c1', 'db-data'));
    const names = (...f: string[]) => volumes.list(parseFilterArgs(f)).map((v) => v.Name);
    expect(names()).toEqual(['cache', 'db-data', 'web-data']);
    expect(names('dangling=true')).toEqual(['cache', 'web-data']);
    expect(names('dangling=0')).toEqual(['db-data']);
    expect(names('name=data')).toEqual(['db-data', 'web-data']);
    expect(names('name=^cache$')).toEqual(['cache']);
    expect(names('label=app')).toEqual(['db-data', 'web-data']);
    expect(names('label=app=web', 'label=tier')).toEqual(['web-data']);
    expect(names('driver=local', 'name=cache')).toEqual(['cache']);
    expect(names('driver=nfs')).toEqual([]);
    expect(() => names('colour=red')).toThrow("invalid filter 'colour'");
    expect(() => names('dangling=maybe')).toThrow("invalid filter 'dangling=[maybe]'");
  });

  it('prunes unused anonymous volumes, or all unused ones with all=true, reporting reclaimed bytes', async () => {
    const { volumes, containers, put, seen } = await setup();
    const anonUsed = await volumes.create();
    const anonFree = await volumes.create();
    await volumes.create({ name: 'named' });
    await volumes.create({ name: 'tmp', options: { type: 'tmpfs', device: 'tmpfs' } });
    containers.push(user('c1', anonUsed.Name));
    await put(`/var/lib/docker/volumes/${anonFree.Name}/_data/f`, '12345');
    expect(await volumes.prune()).toEqual({ deleted: [anonFree.Name], reclaimed: 5 });
    expect(seen.at(-1)).toBe('prune  {"reclaimed":"5"}'); // moby's prune event has no ID
    await put('/var/lib/docker/volumes/named/_data/g', 'abc');
    expect(await volumes.prune(parseFilterArgs(['all=true']))).toEqual({ deleted: ['named'], reclaimed: 3 });
    expect(volumes.all().map((v) => v.Name).sort()).toEqual([anonUsed.Name, 'tmp'].sort());
    await expect(volumes.prune(parseFilterArgs(['until=1h']))).rejects.toThrow("invalid filter 'until'");
  });

  it('emits mount and unmount events; the records come back after a reboot', async () => {
    const stores = memoryStores();
    const a = await setup(stores);
    await a.volumes.create({ name: 'keep' });
    const mount: MountPoint = { Type: 'volume', Name: 'keep', Source: '', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' };
    a.volumes.mounted('c1', mount);
    await a.put('/var/lib/docker/volumes/keep/_data/f', 'hi');
    a.volumes.unmounted('c1', [mount]);
    expect(a.seen.slice(1)).toEqual([
      'mount keep {"driver":"local","container":"c1","destination":"/data","read/write":"true","propagation":""}',
      'unmount keep {"driver":"local","container":"c1"}',
    ]);
    const b = await setup(stores, undefined, a.root);
    await b.volumes.open();
    expect(b.volumes.find('keep')?.CreatedAt).toBe('2025-06-01T12:00:00Z');
    expect(await b.volumes.usage()).toEqual([{ name: 'keep', driver: 'local', size: 2, containers: [] }]);
  });

  it('moves contents saved by an earlier version onto the disk once, then forgets them', async () => {
    const stores = memoryStores();
    await stores.meta.commit({ put: [['volumes/old', { Name: 'old', Driver: 'local', Labels: null, Options: null, Scope: 'local', CreatedAt: '2025-01-01T00:00:00Z', anonymous: false }]] });
    const forgotten: string[] = [];
    let root = '';
    const legacy: VolumeServiceDeps['legacy'] = {
      restore: async (key, shareRoot) => {
        if (key !== 'volume/old' || forgotten.length) return false;
        await mkdir(join(root, '/mnt/host', shareRoot, 'sub'), { recursive: true });
        await writeFile(join(root, '/mnt/host', shareRoot, 'sub/f'), 'from 9p');
        return true;
      },
      forget: async (key) => void forgotten.push(key),
      shareInGuest: (r) => `/mnt/host${r}`,
    };
    root = await mkdtemp(join(tmpdir(), 'slipway-volumes-'));
    const a = await setup(stores, legacy, root);
    await a.volumes.open();
    expect(await readFile(join(root, '/var/lib/docker/volumes/old/_data/sub/f'), 'utf8')).toBe('from 9p');
    expect(forgotten).toEqual(['volume/old']);
    const b = await setup(stores, legacy, root);
    await b.volumes.open();
    expect(forgotten).toEqual(['volume/old']);
  });

  it('copies image content into an empty volume only (owner and mode of the directory included)', async () => {
    const { volumes, root, exists, put } = await setup();
    const image: TreeEntry[] = [
      { path: '', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 },
      { path: 'srv', type: 'dir', mode: 0o700, uid: 999, gid: 999, mtime: 0 },
      { path: 'srv/index.html', type: 'file', mode: 0o644, uid: 999, gid: 999, mtime: 0 },
      { path: 'web', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, target: 'srv' },
    ];
    const img = join(root, '/mnt/host/images/x');
    await put('/mnt/host/images/x/srv/index.html', '<h1>');
    await chown(join(img, 'srv'), 999, 999);
    await chmod(join(img, 'srv'), 0o700);
    await symlink('srv', join(img, 'web'));
    const byPath = new Map(image.map((e) => [`/${e.path}`, e]));
    const rootfs: ImageRootfs = { lowerDir: '/mnt/host/images/x', lookup: (p) => byPath.get(p === '' ? '/' : p) };
    await volumes.create({ name: 'site' });
    await volumes.populate('site', rootfs, '/web');
    const data = join(root, '/var/lib/docker/volumes/site/_data');
    const st = await stat(data);
    expect([st.uid, (st.mode & 0o7777).toString(8)]).toEqual([999, '700']);
    expect(await readFile(join(data, 'index.html'), 'utf8')).toBe('<h1>');
    // Not empty any more: a second populate leaves it alone.
    await put('/mnt/host/images/x/srv/new', 'x');
    await volumes.populate('site', rootfs, '/srv');
    expect(await exists('/var/lib/docker/volumes/site/_data/new')).toBe(false);
    // Nothing in the image there: the volume stays empty.
    await volumes.create({ name: 'none' });
    await volumes.populate('none', rootfs, '/nowhere');
    expect(await exists('/var/lib/docker/volumes/none/_data/index.html')).toBe(false);
    await volumes.populate('none', rootfs, '/srv');
    expect(await exists('/var/lib/docker/volumes/none/_data/index.html')).toBe(true);
  });

  it('reports disk usage as docker system df counts it', async () => {
    const { volumes, containers, put } = await setup();
    await volumes.create({ name: 'used' });
    await volumes.create({ name: 'free' });
    await volumes.create({ name: 'tmp', options: { type: 'tmpfs', device: 'tmpfs' } });
    containers.push(user('c1', 'used'));
    await put('/var/lib/docker/volumes/used/_data/a', new Uint8Array(300));
    await put('/var/lib/docker/volumes/free/_data/b', new Uint8Array(100));
    // A hard link counts once.
    await link(join(roots.at(-1)!, '/var/lib/docker/volumes/used/_data/a'), join(roots.at(-1)!, '/var/lib/docker/volumes/used/_data/a2'));
    expect(await volumes.diskUsage()).toEqual({ count: 2, active: 1, size: 400, reclaimable: 100 });
  });
});
