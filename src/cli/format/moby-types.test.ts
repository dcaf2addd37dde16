// `inspect -f` sees moby's Go types: structs print as Go prints them, not as maps.
import { describe, expect, it } from 'vitest';
import { typedInspect } from './moby-types.ts';
import { parseTemplate } from './template.ts';

const VOLUME = 'ebe0' + '1'.repeat(60);
const container = {
  Id: 'a'.repeat(64),
  Args: [],
  State: { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 42, ExitCode: 0, Error: '', StartedAt: 'x', FinishedAt: 'y' },
  HostConfig: { Binds: null, LogConfig: { Type: 'json-file', Config: {} }, PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, CpuShares: 0, Dns: [] },
  Mounts: [{ Type: 'volume', Name: VOLUME, Source: `/var/lib/docker/volumes/${VOLUME}/_data`, Destination: '/data', Driver: 'local', Mode: '', RW: true, Propagation: '' }],
  Config: { Hostname: 'abc', ExposedPorts: { '80/tcp': {} }, Env: ['PATH=/bin'], Cmd: ['sh'], Volumes: null, Labels: {} },
  NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] }, Networks: { bridge: { IPAMConfig: null, IPAddress: '172.17.0.2' } } },
};

const run = (template: string) => parseTemplate(template).execute(typedInspect('container', container));

describe('typed inspect values', () => {
  it('prints mount points as Go structs in moby field order', () => {
    expect(run('{{.Mounts}}')).toBe(`[{volume ${VOLUME} /var/lib/docker/volumes/${VOLUME}/_data /data local  true }]`);
    expect(run('{{range .Mounts}}{{.Destination}} {{.RW}}{{end}}')).toBe('/data true');
  });

  it('dereferences a pointer printed alone, prints nested ones as addresses', () => {
    expect(run('{{.State}}')).toBe('{running true false false false false 42 0  x y}');
    expect(run('{{.NetworkSettings.Networks}}')).toMatch(/^map\[bridge:0xc[0-9a-f]+\]$/);
    expect(run('{{.NetworkSettings.Networks.bridge.IPAddress}}')).toBe('172.17.0.2');
  });

  it('types nil and empty slices, maps and struct{} values as Go does', () => {
    expect(run('{{.HostConfig.Binds}} {{.Config.Volumes}} {{.Config.ExposedPorts}} {{.Config.Labels}}')).toBe('[] map[] map[80/tcp:{}] map[]');
    expect(run('{{.HostConfig.PortBindings}}')).toBe('map[80/tcp:[{ 8080}]]');
    expect(run('{{.HostConfig.RestartPolicy}} {{.HostConfig.LogConfig}}')).toBe('{no 0} {json-file map[]}');
  });

  it("uses Go's field names (ID, CPUShares, DNS); JSON names fail on the typed value", () => {
    expect(run('{{.ID}} {{.HostConfig.CPUShares}} {{.HostConfig.DNS}}')).toBe(`${'a'.repeat(64)} 0 []`);
    expect(() => run('{{.Id}}')).toThrow(/can't evaluate field Id/);
  });
});
