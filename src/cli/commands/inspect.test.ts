// `docker inspect` across object kinds: containers, then images, then volumes (the JSON of
// `docker volume inspect`), `--type`, and Docker v28's error lines and exit codes.
import { describe, expect, it } from 'vitest';
import { guestDisk } from '../../../test/fakes/guest-disk.ts';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import type { ContainerRecord } from '../../engine/container/record.ts';
import { createdState } from '../../engine/container/state.ts';
import { containerInspect } from '../../engine/container/views.ts';
import { EventBus } from '../../engine/events.ts';
import { networkId } from '../../engine/network/bridge.ts';
import { volumeInspect } from '../../engine/volume/records.ts';
import { VolumeService } from '../../engine/volume/volumes.ts';
import { fakeApi } from '../testing/fake-api.ts';
import { runDocker } from '../testing/run-docker.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const IMAGE_ID = 'sha256:' + 'b'.repeat(64);

async function setup() {
  const disk = await guestDisk();
  const volumes = new VolumeService({
    meta: memoryStores().meta,
    events: new EventBus(() => NOW),
    now: () => NOW,
    random: () => 0.5,
    containers: () => [],
    guestRun: disk.guestRun,
  });
  // Only what inspect reads: a container named "web", an image "shared:latest".
  const web = {
    Id: 'a'.repeat(64),
    Created: '2025-06-01T11:00:00Z',
    Path: 'sh',
    Args: [],
    State: createdState(),
    Image: IMAGE_ID,
    Name: '/web',
    RestartCount: 0,
    Config: { Image: 'busybox' },
    HostConfig: {},
    network: null,
  } as unknown as ContainerRecord;
  const { api } = fakeApi({
    containerInspect: async (ref) => {
      if (ref !== 'web') throw new Error(`No such container: ${ref}`);
      return containerInspect(web, { now: NOW, networkId });
    },
    imageInspect: async (ref) => {
      if (ref !== 'shared') throw new Error(`No such image: ${ref}`);
      return { Id: IMAGE_ID };
    },
    volumeInspect: async (name) => volumeInspect(volumes.get(name)),
  });
  await volumes.create({ name: 'v1', labels: { app: 'db' } });
  await volumes.create({ name: 'shared' });
  await volumes.create({ name: 'web' });
  const docker = async (...argv: string[]) => {
    return runDocker(api, argv);
  };
  return { docker };
}

const V1_JSON = `[
    {
        "CreatedAt": "2025-06-01T12:00:00Z",
        "Driver": "local",
        "Labels": {
            "app": "db"
        },
        "Mountpoint": "/var/lib/docker/volumes/v1/_data",
        "Name": "v1",
        "Options": null,
        "Scope": "local"
    }
]
`;
const TYPES = 'must be one of "config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"';

describe('docker inspect finds volumes', () => {
  it('prints the JSON of docker volume inspect, with or without --type volume', async () => {
    const { docker } = await setup();
    expect(await docker('volume', 'inspect', 'v1')).toEqual({ code: 0, stdout: V1_JSON, stderr: '' });
    expect(await docker('inspect', 'v1')).toEqual({ code: 0, stdout: V1_JSON, stderr: '' });
    expect(await docker('inspect', '--type', 'volume', 'v1')).toEqual({ code: 0, stdout: V1_JSON, stderr: '' });
  });

  it.each([
    [['inspect', '-f', '{{.Name}}', 'web', 'shared', 'v1'], 0, '/web\n<no value>\nv1\n', ''],
    [['inspect', '--type', 'volume', '-f', '{{.Name}} {{.Mountpoint}}', 'web', 'shared'], 0, 'web /var/lib/docker/volumes/web/_data\nshared /var/lib/docker/volumes/shared/_data\n', ''],
    [['inspect', '-f', '{{.Name}}', 'nosuch', 'v1', 'other'], 1, 'v1\n', 'Error: No such object: nosuch\nError: No such object: other\n'],
    [['inspect', '--type', 'volume', 'nosuch'], 1, '[]\n', 'Error response from daemon: get nosuch: no such volume\n'],
    [['inspect', '--type', 'image', '-f', '{{.Id}}', 'v1'], 1, '\n', 'Error: No such image: v1\n'],
    [['inspect', '-s', '-f', '{{.Name}}', 'v1'], 0, 'v1\n', 'WARNING: --size ignored for volume\n'],
    [['inspect', '--type', 'node', 'v1'], 1, '[]\n', 'Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.\n'],
    [['inspect', '--type', 'volumes', 'v1'], 1, '', `unknown type: "volumes": ${TYPES}\n`],
    [['inspect', '--type', '', 'v1'], 1, '', `type is empty: ${TYPES}\n`],
  ])('%j', async (argv, code, stdout, stderr) => {
    const { docker } = await setup();
    expect(await docker(...argv)).toEqual({ code, stdout, stderr });
  });
});
