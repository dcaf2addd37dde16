// The volume store against an in-memory share and metadata store: records, references, Docker's
// errors and events, prune rules, persistence of contents across a "reboot", copy-up.
import { describe, expect, it } from 'vitest';
import { MemoryFiles, shareOnlyGuest } from '../../../test/fakes/memory-files.ts';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import type { TreeEntry } from '../../protocol/guest/port.ts';
import type { ContainerRecord } from '../container/record.ts';
import type { ImageRootfs } from '../container/launch.ts';
import { EventBus } from '../events.ts';
import { SavedTrees } from '../share/saved-trees.ts';
import { parseFilterArgs } from '../../cli/opts/filters.ts';
import type { MountPoint } from './mount-points.ts';
import { volumeInspect } from './records.ts';
import { VolumeService } from './volumes.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0, 123);
const text = (s: string) => new TextEncoder().encode(s);

function setup(stores = memoryStores(), files = new MemoryFiles()) {
  const events = new EventBus(() => NOW);
  const containers: ContainerRecord[] = [];
  const guestRuns: string[][] = [];
  const guest = shareOnlyGuest(files);
  let seed = 7;
  const volumes = new VolumeService({
    meta: stores.meta,
    files,
    events,
    saved: new SavedTrees(guest, stores),
    now: () => NOW,
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
    containers: () => containers,
    // The guest's rmdir / rm -rf of a share path, as the share sees it.
    guestRun: async (argv) => (guestRuns.push(argv), files.remove(argv.at(-1)!.replace(/^\/mnt\/host/, '')), { code: 0 }),
  });
  const seen: string[] = [];
  events.subscribe((e) => seen.push(`${e.Action} ${e.Actor.ID.slice(0, 12)} ${JSON.stringify(e.Actor.Attributes)}`));
  return { volumes, files, stores, containers, seen, guestRuns };
}

/** A container record that mounts the named volumes (only what the store looks at). */
const user = (id: string, ...names: string[]) =>
  ({ Id: id, Created: `2025-06-01T00:00:0${id.slice(1)}Z`, mountPoints: names.map((n) => ({ Type: 'volume', Name: n, Source: '', Destination: `/${n}`, Mode: 'z', RW: true, Propagation: '' })) }) as unknown as ContainerRecord;

describe('VolumeService', () => {
  it('creates named and anonymous volumes with Docker\'s inspect view and a create event', async () => {
    const { volumes, files, seen } = setup();
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
    // The data directory appears with the first mount.
    expect(files.exists('/volumes/data/_data')).toBe(false);
    expect(await volumes.mountSource('data')).toBe('/mnt/host/volumes/data/_data');
    expect(files.readTree('/volumes/data/_data')).toHaveLength(1);
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
    const { volumes } = setup();
    await expect(volumes.create({ name, driver, options })).rejects.toThrow(message);
    expect(volumes.find(name)).toBeUndefined();
  });

  it('refuses to remove a volume in use, naming the containers; -f only excuses a missing one', async () => {
    const { volumes, containers, seen, files } = setup();
    await volumes.create({ name: 'v1' });
    containers.push(user('c2', 'v1'), user('c1', 'v1'));
    await expect(volumes.remove('v1')).rejects.toThrow('remove v1: volume is in use - [c1, c2]');
    await expect(volumes.remove('v1', { force: true })).rejects.toThrow('volume is in use');
    await expect(volumes.remove('nope')).rejects.toThrow('get nope: no such volume');
    await volumes.remove('nope', { force: true });
    containers.length = 0;
    await volumes.remove('v1');
    expect(volumes.find('v1')).toBeUndefined();
    expect(files.exists('/volumes/v1')).toBe(false);
    expect(seen.at(-1)).toBe('destroy v1 {"driver":"local"}');
  });

  it('lists with dangling/name/label/driver filters and moby\'s filter errors', async () => {
    const { volumes, containers } = setup();
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
    const { volumes, containers, files, seen } = setup();
    const anonUsed = await volumes.create();
    const anonFree = await volumes.create();
    await volumes.create({ name: 'named' });
    await volumes.create({ name: 'tmp', options: { type: 'tmpfs', device: 'tmpfs' } });
    containers.push(user('c1', anonUsed.Name));
    await files.write(`/volumes/${anonFree.Name}/_data/f`, text('12345'));
    expect(await volumes.prune()).toEqual({ deleted: [anonFree.Name], reclaimed: 5 });
    expect(seen.at(-1)).toBe('prune  {"reclaimed":"5"}'); // moby's prune event has no ID
    await files.write('/volumes/named/_data/g', text('abc'));
    expect(await volumes.prune(parseFilterArgs(['all=true']))).toEqual({ deleted: ['named'], reclaimed: 3 });
    expect(volumes.all().map((v) => v.Name).sort()).toEqual([anonUsed.Name, 'tmp'].sort());
    await expect(volumes.prune(parseFilterArgs(['until=1h']))).rejects.toThrow("invalid filter 'until'");
  });

  it('saves contents when containers unmount and restores them after a reboot', async () => {
    const stores = memoryStores();
    const a = setup(stores);
    await a.volumes.create({ name: 'keep' });
    const mount: MountPoint = { Type: 'volume', Name: 'keep', Source: '', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' };
    a.volumes.mounted('c1', mount);
    await a.files.write('/volumes/keep/_data/f', text('hi'));
    await a.volumes.unmounted('c1', [mount]);
    expect(a.seen.slice(1)).toEqual([
      'mount keep {"driver":"local","container":"c1","destination":"/data","read/write":"true","propagation":""}',
      'unmount keep {"driver":"local","container":"c1"}',
    ]);

    const b = setup(stores);
    await b.volumes.open();
    expect(b.volumes.find('keep')?.CreatedAt).toBe('2025-06-01T12:00:00Z');
    expect(new TextDecoder().decode((await b.files.read('/volumes/keep/_data/f'))!)).toBe('hi');
    expect(b.volumes.usage()).toEqual([{ name: 'keep', driver: 'local', size: 2, containers: [] }]);

    // Removal forgets the stored contents; the guest deletes what it may have cached.
    a.volumes.mounted('c1', mount);
    await a.volumes.remove('keep');
    expect(a.guestRuns).toEqual([['rm', '-rf', '/mnt/host/volumes/keep']]);
    expect(await stores.meta.list('tree/')).toEqual([]);
  });

  it('copies image content into an empty volume only (owner and mode of the directory included)', async () => {
    const { volumes, files, guestRuns } = setup();
    const image: TreeEntry[] = [
      { path: '', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 },
      { path: 'srv', type: 'dir', mode: 0o700, uid: 999, gid: 999, mtime: 0 },
      { path: 'srv/index.html', type: 'file', mode: 0o644, uid: 999, gid: 999, mtime: 0, data: text('<h1>') },
      { path: 'web', type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, target: 'srv' },
    ];
    await files.writeTree('/images/x', image);
    const byPath = new Map(image.map((e) => [`/${e.path}`, e]));
    const rootfs: ImageRootfs = { lowerDir: '/mnt/host/images/x', lookup: (p) => byPath.get(p === '' ? '/' : p) };
    await volumes.create({ name: 'site' });
    await volumes.populate('site', rootfs, '/web');
    expect(files.readTree('/volumes/site/_data')!.map((e) => [e.path, e.uid, e.mode.toString(8)])).toEqual([
      ['', 999, '700'],
      ['index.html', 999, '644'],
    ]);
    // The volume got its own bytes (the image's lower dir must never change).
    const copied = files.readTree('/volumes/site/_data')![1]!.data!;
    expect(copied).not.toBe(byPath.get('/srv/index.html')!.data);
    // Not empty any more: a second populate leaves it alone.
    await files.write('/images/x/srv/new', text('x'));
    await volumes.populate('site', rootfs, '/srv');
    expect(files.exists('/volumes/site/_data/new')).toBe(false);
    await volumes.create({ name: 'none' });
    await volumes.populate('none', rootfs, '/nowhere');
    expect(files.exists('/volumes/none/_data')).toBe(false);
    // An empty data directory (mounted before) is replaced by the image's content, the guest deleting it.
    await volumes.mountSource('none');
    await volumes.populate('none', rootfs, '/srv');
    expect(guestRuns).toEqual([['rmdir', '/mnt/host/volumes/none/_data']]);
    expect(files.exists('/volumes/none/_data/index.html')).toBe(true);
  });

  it('reports disk usage as docker system df counts it', async () => {
    const { volumes, containers, files } = setup();
    await volumes.create({ name: 'used' });
    await volumes.create({ name: 'free' });
    await volumes.create({ name: 'tmp', options: { type: 'tmpfs', device: 'tmpfs' } });
    containers.push(user('c1', 'used'));
    await files.write('/volumes/used/_data/a', new Uint8Array(300));
    await files.write('/volumes/free/_data/b', new Uint8Array(100));
    expect(volumes.diskUsage()).toEqual({ count: 2, active: 1, size: 400, reclaimable: 100 });
  });
});
