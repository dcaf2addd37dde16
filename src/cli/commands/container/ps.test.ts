// `docker ps --filter volume=…`: moby matches a mount's destination, a volume's name, or a bind's
// (or --mount tmpfs's) source; several values are alternatives.
import { describe, expect, it } from 'vitest';
import type { ContainerRecord } from '../../../engine/container/record.ts';
import { createdState } from '../../../engine/container/state.ts';
import type { MountPoint } from '../../../engine/volume/mount-points.ts';
import { listContainers } from '../../../engine/api/container-list.ts';
import { fakeApi } from '../../testing/fake-api.ts';
import { runDocker } from '../../testing/run-docker.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

function container(name: string, mountPoints: MountPoint[]): ContainerRecord {
  return {
    Id: name.padEnd(64, '0'),
    Created: '2025-06-01T11:00:00Z',
    Path: 'sh',
    Args: [],
    State: { ...createdState(), Status: 'running', Running: true, StartedAt: '2025-06-01T11:00:00Z' },
    Image: 'sha256:' + 'b'.repeat(64),
    Name: `/${name}`,
    RestartCount: 0,
    Config: { Image: 'busybox' },
    HostConfig: {},
    network: null,
    mountPoints,
  } as unknown as ContainerRecord;
}

const volume = (name: string, destination: string): MountPoint => ({ Type: 'volume', Name: name, Source: '', Destination: destination, Driver: 'local', Mode: 'z', RW: true, Propagation: '' });
const bind = (source: string, destination: string): MountPoint => ({ Type: 'bind', Source: source, Destination: destination, Mode: '', RW: true, Propagation: 'rprivate' });

const records = [
  container('web', [volume('data', '/var/lib/data'), bind('/root/site', '/usr/share/nginx/html')]),
  container('db', [volume('dbdata', '/data')]),
  container('plain', []),
];

/** The daemon's own list (and its filters) over the records, behind a recording fake API. */
const listed = { now: () => NOW, containers: { registry: { all: () => records } }, images: { resolve: async () => undefined, list: async () => [] } };

async function ps(...filters: string[]) {
  const { api, calls } = fakeApi({ containerList: (options) => listContainers(listed, options) });
  const result = await runDocker(api, ['ps', '--format', '{{.Names}}', ...filters.flatMap((f) => ['-f', f])], undefined, { now: () => NOW });
  return { result, calls };
}

describe('docker ps --filter volume', () => {
  it.each([
    [['volume=data'], 'web\n'],
    [['volume=/data'], 'db\n'],
    [['volume=/var/lib/data'], 'web\n'],
    [['volume=/root/site'], 'web\n'],
    [['volume=/usr/share/nginx/html'], 'web\n'],
    [['volume=data', 'volume=dbdata'], 'web\ndb\n'],
    [['volume=dat'], ''],
    [['volume=/var/lib/docker/volumes/data/_data'], ''],
    [['volume=dbdata', 'name=web'], ''],
  ])('%j', async (filters, stdout) => {
    const { result, calls } = await ps(...filters);
    expect(result).toEqual({ code: 0, stdout, stderr: '' });
    // The CLI asks once, with the filters as given (the matching is the daemon's).
    expect(calls.map((c) => c.method)).toEqual(['containerList']);
    const asked = calls[0]!.args[0] as { filters: Record<string, string[]> };
    expect(Object.values(asked.filters).flat().sort()).toEqual([...filters].map((f) => f.slice(f.indexOf('=') + 1)).sort());
  });
});
