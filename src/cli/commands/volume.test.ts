// `docker volume …` end to end through the CLI (argv → output, exit code), on the real volume
// store over a temporary directory standing in for the guest's disk: exact stdout/stderr as Docker v28 prints them.
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

async function setup() {
  const disk = await guestDisk();
  const containers: ContainerRecord[] = [];
  let seed = 11;
  const volumes = new VolumeService({
    meta: memoryStores().meta,
    events: new EventBus(() => NOW),
    now: () => NOW,
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
    containers: () => containers,
    guestRun: disk.guestRun,
  });
  // The daemon's volume routes over the real service; any other route the CLI asked for would fail.
  const { api } = fakeApi(volumeRoutes({ volumes }));
  const docker = async (argv: string[], stdin?: string) => runDocker(api, argv, stdin, { now: () => NOW });
  return { docker, volumes, disk, containers };
}

const ok = (stdout: string) => ({ code: 0, stdout, stderr: '' });

describe('docker volume', () => {
  it('create prints the name; ls lists by natural name order', async () => {
    const { docker } = await setup();
    expect(await docker(['volume', 'create', 'v10'])).toEqual(ok('v10\n'));
    expect(await docker(['volume', 'create', '--label', 'app=web', 'v2'])).toEqual(ok('v2\n'));
    const anon = (await docker(['volume', 'create'])).stdout.trim();
    expect(anon).toMatch(/^[0-9a-f]{64}$/);
    expect(await docker(['volume', 'ls'])).toEqual(ok(`DRIVER    VOLUME NAME\nlocal     ${anon}\nlocal     v2\nlocal     v10\n`));
    expect(await docker(['volume', 'ls', '-q', '-f', 'label=app'])).toEqual(ok('v2\n'));
    expect(await docker(['volume', 'list', '--format', '{{.Name}} {{.Driver}} {{.Labels}} {{.Scope}} {{.Size}} {{.Mountpoint}}', '-f', 'name=v'])).toEqual(
      ok('v2 local app=web local N/A /var/lib/docker/volumes/v2/_data\nv10 local  local N/A /var/lib/docker/volumes/v10/_data\n'),
    );
    expect(await docker(['volume', 'ls', '--format', 'json', '-f', 'name=v2'])).toEqual(
      ok('{"Availability":"N/A","Driver":"local","Group":"N/A","Labels":"app=web","Links":"N/A","Mountpoint":"/var/lib/docker/volumes/v2/_data","Name":"v2","Scope":"local","Size":"N/A","Status":"N/A"}\n'),
    );
    expect(await docker(['volume', 'ls', '--cluster'])).toEqual(ok('VOLUME NAME   GROUP     DRIVER    AVAILABILITY   STATUS\n'));
  });

  it('create refuses bad names and drivers with the daemon\'s words (exit 1)', async () => {
    const { docker } = await setup();
    expect(await docker(['volume', 'create', 'x'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: create x: volume name is too short, names should be at least two alphanumeric characters\n' });
    expect(await docker(['volume', 'create', '-d', 'rexray', 'v1'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: create v1: error looking up volume plugin rexray: plugin "rexray" not found\n' });
    expect(await docker(['volume', 'create', '-o', 'foo=bar', 'v1'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: create v1: invalid option: "foo"\n' });
    expect((await docker(['volume', 'ls', '-f', 'colour=red'])).stderr).toBe("Error response from daemon: invalid filter 'colour'\n");
  });

  it.each([
    [['volume', 'ls', '-f', 'foo'], 'invalid argument "foo" for "-f, --filter" flag: bad format of filter (expected name=value)', 'docker volume ls [OPTIONS]', 'docker volume ls'],
    [['volume', 'list', '--filter', 'dangling'], 'invalid argument "dangling" for "-f, --filter" flag: bad format of filter (expected name=value)', 'docker volume ls [OPTIONS]', 'docker volume ls'],
    [['volume', 'prune', '--filter', 'all'], 'invalid argument "all" for "--filter" flag: bad format of filter (expected name=value)', 'docker volume prune [OPTIONS]', 'docker volume prune'],
    [['volume', 'create', '--label', '=x', 'v1'], 'invalid argument "=x" for "--label" flag: invalid label \'=x\': empty name', 'docker volume create [OPTIONS] [VOLUME]', 'docker volume create'],
  ])('%j is docker/cli\'s flag error (exit 125)', async (argv, message, usage, path) => {
    const { docker } = await setup();
    expect(await docker(argv)).toEqual({ code: 125, stdout: '', stderr: `${message}\n\nUsage:  ${usage}\n\nRun '${path} --help' for more information\n` });
  });

  it('inspect prints Docker\'s JSON, templates, and errors for unknown volumes', async () => {
    const { docker } = await setup();
    await docker(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', 'v1']);
    expect(await docker(['volume', 'inspect', 'v1'])).toEqual(
      ok(`[
    {
        "CreatedAt": "2025-06-01T12:00:00Z",
        "Driver": "local",
        "Labels": {},
        "Mountpoint": "/var/lib/docker/volumes/v1/_data",
        "Name": "v1",
        "Options": {
            "device": "tmpfs",
            "type": "tmpfs"
        },
        "Scope": "local"
    }
]
`),
    );
    expect(await docker(['volume', 'inspect', '-f', '{{.Name}} {{.Mountpoint}} {{json .Labels}}', 'v1'])).toEqual(ok('v1 /var/lib/docker/volumes/v1/_data {}\n'));
    expect(await docker(['volume', 'inspect', 'nosuch'])).toEqual({ code: 1, stdout: '[]\n', stderr: 'Error response from daemon: get nosuch: no such volume\n' });
    expect(await docker(['volume', 'inspect', '-f', '{{.Name', 'v1'])).toMatchObject({ code: 64, stderr: expect.stringMatching(/^template parsing error: template: :1: unclosed action/) });
  });

  it('rm prints each removed name; in-use and unknown volumes fail with exit 1', async () => {
    const { docker, containers } = await setup();
    await docker(['volume', 'create', 'a1']);
    await docker(['volume', 'create', 'b1']);
    const id = 'f'.repeat(64);
    containers.push({ Id: id, Created: '2025-06-01T00:00:00Z', mountPoints: [{ Type: 'volume', Name: 'b1', Source: '', Destination: '/b', Mode: 'z', RW: true, Propagation: '' }] } as unknown as ContainerRecord);
    expect(await docker(['volume', 'rm', 'a1', 'b1', 'zz'])).toEqual({
      code: 1,
      stdout: 'a1\n',
      stderr: `Error response from daemon: remove b1: volume is in use - [${id}]\nError response from daemon: get zz: no such volume\n`,
    });
    expect(await docker(['volume', 'rm', '-f', 'zz'])).toEqual(ok('zz\n'));
    expect(await docker(['volume', 'ls', '-f', 'dangling=false', '-q'])).toEqual(ok('b1\n'));
  });

  it('prune asks first, removes unused anonymous volumes (all unused with -a) and reports the space', async () => {
    const { docker, disk } = await setup();
    await docker(['volume', 'create', 'named']);
    const anon = (await docker(['volume', 'create'])).stdout.trim();
    await disk.put(`/var/lib/docker/volumes/${anon}/_data/f`, new Uint8Array(2048));
    await disk.put('/var/lib/docker/volumes/named/_data/g', new Uint8Array(1000));
    const warning = 'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';
    expect(await docker(['volume', 'prune'], 'n\n')).toEqual(ok(warning));
    expect(await docker(['volume', 'prune'], 'y\n')).toEqual(ok(`${warning}Deleted Volumes:\n${anon}\n\nTotal reclaimed space: 2.048kB\n`));
    expect(await docker(['volume', 'prune', '-f'])).toEqual(ok('Total reclaimed space: 0B\n'));
    expect(await docker(['volume', 'prune', '-a', '--filter', 'all=0'])).toEqual({ code: 1, stdout: '', stderr: 'conflicting options: cannot specify both --all and --filter all=1\n' });
    expect(await docker(['volume', 'prune', '-af'])).toEqual(ok('Deleted Volumes:\nnamed\n\nTotal reclaimed space: 1kB\n'));
  });
});
