// `docker system prune` as Docker v28 prints it: the confirmation (with the volumes line for
// --volumes and the filters it will apply), then each section in docker/cli's order.
import { describe, expect, it } from 'vitest';
import { guestDisk } from '../../../test/fakes/guest-disk.ts';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import type { ContainerRecord } from '../../engine/container/record.ts';
import { EventBus } from '../../engine/events.ts';
import { VolumeService } from '../../engine/volume/volumes.ts';
import { volumeRoutes } from '../../engine/api/volumes.ts';
import { fakeApi } from '../testing/fake-api.ts';
import { runDocker } from '../testing/run-docker.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const STOPPED = 'e'.repeat(64);

async function setup() {
  const disk = await guestDisk();
  let containers: ContainerRecord[] = [];
  let seed = 7;
  const volumes = new VolumeService({
    meta: memoryStores().meta,
    events: new EventBus(() => NOW),
    now: () => NOW,
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
    containers: () => containers,
    guestRun: disk.guestRun,
  });
  // The daemon's volume routes over the real service (what prune removes depends on the
  // containers left); containers, networks and images pruned as the daemon answers for these.
  const { api, calls } = fakeApi({
    ...volumeRoutes({ volumes }),
    containerPrune: async () => {
      const deleted = containers.filter((c) => !c.State.Running).map((c) => c.Id);
      containers = containers.filter((c) => c.State.Running);
      return { ContainersDeleted: deleted, SpaceReclaimed: 0 };
    },
    imagePrune: async () => ({ ImagesDeleted: null, SpaceReclaimed: 0 }),
    buildPrune: async () => ({ CachesDeleted: null, SpaceReclaimed: 0 }),
  });
  await volumes.create({ name: 'named' });
  const loose = (await volumes.create()).Name;
  const held = (await volumes.create()).Name;
  await disk.put(`/var/lib/docker/volumes/${loose}/_data/f`, new Uint8Array(2048));
  await disk.put(`/var/lib/docker/volumes/${held}/_data/g`, new Uint8Array(1000));
  // A stopped container keeps `held` in use until container prune removes it.
  const mount = { Type: 'volume', Name: held, Source: '', Destination: '/d', Mode: '', RW: true, Propagation: '' } as const;
  containers = [{ Id: STOPPED, State: { Running: false }, mountPoints: [mount] } as unknown as ContainerRecord];
  const docker = async (argv: string[], stdin?: string) => runDocker(api, argv, stdin, { now: () => NOW });
  const names = () => volumes.all().map((v) => v.Name);
  return { docker, loose, held, names, calls };
}

const prompt = (lines: string[], filters: string[] = []) =>
  `WARNING! This will remove:\n${lines.map((l) => `  - ${l}\n`).join('')}` +
  (filters.length ? `\n  Items to be pruned will be filtered with:\n${filters.map((f) => `  - ${f}\n`).join('')}` : '') +
  '\nAre you sure you want to continue? [y/N] ';
const CONTAINERS = 'all stopped containers';
const NETWORKS = 'all networks not used by at least one container';
const VOLUMES = 'all anonymous volumes not used by at least one container';

describe('docker system prune', () => {
  it('--volumes asks with the volumes line, then prunes containers before volumes', async () => {
    const { docker, loose, held, names, calls } = await setup();
    const ask = prompt([CONTAINERS, NETWORKS, VOLUMES, 'all dangling images', 'unused build cache']);
    expect(await docker(['system', 'prune', '--volumes'], 'n\n')).toEqual({ code: 0, stdout: ask, stderr: '' });
    const deleted = [loose, held].sort();
    expect(await docker(['system', 'prune', '--volumes'], 'y\n')).toEqual({
      code: 0,
      stdout: `${ask}Deleted Containers:\n${STOPPED}\n\nDeleted Volumes:\n${deleted.join('\n')}\n\nTotal reclaimed space: 3.048kB\n`,
      stderr: '',
    });
    expect(names()).toEqual(['named']);
    // Declined, nothing was asked; accepted, docker/cli's order (no user networks to prune here).
    expect(calls.map((c) => c.method)).toEqual(['containerPrune', 'volumePrune', 'imagePrune', 'buildPrune']);
  });

  it('leaves volumes alone without --volumes, and named ones even with -a', async () => {
    const { docker, loose, held, names } = await setup();
    expect(await docker(['system', 'prune', '-f'])).toEqual({ code: 0, stdout: `Deleted Containers:\n${STOPPED}\n\nTotal reclaimed space: 0B\n`, stderr: '' });
    expect(names()).toEqual([loose, held, 'named'].sort());
    expect(await docker(['system', 'prune', '-af', '--volumes'])).toEqual({ code: 0, stdout: `Deleted Volumes:\n${[loose, held].sort().join('\n')}\n\nTotal reclaimed space: 3.048kB\n`, stderr: '' });
    expect(names()).toEqual(['named']);
  });

  it('shows the filters it applies, and refuses until with --volumes', async () => {
    const { docker } = await setup();
    expect(await docker(['system', 'prune', '-a', '--filter', 'label=b', '--filter', 'label!=a=1', '--filter', 'label=a10', '--filter', 'label=a9'], 'n\n')).toEqual({
      code: 0,
      stdout: prompt([CONTAINERS, NETWORKS, 'all images without at least one container associated to them', 'all build cache'], ['label!=a=1', 'label=a9', 'label=a10', 'label=b']),
      stderr: '',
    });
    expect(await docker(['system', 'prune', '--volumes', '--filter', 'until=24h'])).toEqual({ code: 1, stdout: '', stderr: 'ERROR: The "until" filter is not supported with "--volumes"\n' });
    expect(await docker(['system', 'prune', '--filter', 'until'])).toEqual({
      code: 125,
      stdout: '',
      stderr: 'invalid argument "until" for "--filter" flag: bad format of filter (expected name=value)\n\nUsage:  docker system prune [OPTIONS]\n\nRun \'docker system prune --help\' for more information\n',
    });
  });
});
