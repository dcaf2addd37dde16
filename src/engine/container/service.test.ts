// The lifecycle state machine against a recording fake runtime (no guest): transitions, guards,
// Docker's events, restart policies, --rm.
import { describe, expect, it } from 'vitest';
import { FakeGuestRuntime } from '../../../test/fakes/guest-runtime.ts';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import type { GuestFiles, TreeEntry } from '../../protocol/guest/port.ts';
import { EventBus } from '../events.ts';
import type { Config, HostConfig } from './options-types.ts';
import { ContainerRegistry } from './registry.ts';
import type { GuestRuntime } from './runtime.ts';
import { ContainerService } from './service.ts';

const tree = new Map<string, TreeEntry>([
  ['/', { path: '', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 }],
  ['/bin', { path: 'bin', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 }],
  ['/bin/sh', { path: 'bin/sh', type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, data: new Uint8Array() }],
  ['/etc', { path: 'etc', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 }],
  ['/etc/passwd', { path: 'etc/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, data: new TextEncoder().encode('root:x:0:0::/root:/bin/sh\n') }],
]);

const files: GuestFiles = {
  write: async () => undefined,
  read: async () => null,
  writeTree: async () => undefined,
  exists: () => false,
  remove: () => undefined,
  readTree: () => null,
  watch: () => ({ dispose: () => undefined }),
  changes: 0,
  holdFsyncs: () => ({ dispose: () => undefined }),
};

const config = (cmd: string[]): Config => ({
  Image: 'busybox',
  Cmd: cmd,
  Env: [],
  Hostname: '',
  User: '',
  WorkingDir: '',
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Labels: {},
});

const hostConfig = (extra: Partial<HostConfig> = {}): HostConfig => ({
  PortBindings: {},
  PublishAllPorts: false,
  RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
  AutoRemove: false,
  NetworkMode: 'none',
  Privileged: false,
  ReadonlyRootfs: false,
  Memory: 0,
  MemorySwap: 0,
  NanoCpus: 0,
  CpuShares: 0,
  Dns: [],
  ...extra,
});

const image = { id: 'sha256:' + 'a'.repeat(64), config: { architecture: '386', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} } } as never;

async function setup() {
  const stores = memoryStores();
  const runtime = new FakeGuestRuntime();
  const events = new EventBus();
  let seed = 1;
  const service = new ContainerService({
    registry: await ContainerRegistry.load(stores.meta),
    runtime: runtime as unknown as GuestRuntime,
    meta: stores.meta,
    events,
    now: Date.now,
    random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647),
    files,
    rootfs: async () => ({ lowerDir: '/mnt/host/images/x', lookup: (p: string) => tree.get(p) }),
    diffLowerDirs: async () => [],
    // Containers without a network, volumes or devices: what the lifecycle needs of neither.
    network: {
      check: () => undefined,
      attach: async () => ({ assignment: null, namespace: 'none', extraHosts: [] }),
      release: async () => undefined,
      publishPorts: async () => null,
    },
    mounts: { register: async () => undefined, mounts: async () => [], released: () => undefined, forget: async () => undefined },
    devices: async () => [],
  });
  const actions: string[] = [];
  events.subscribe((e) => actions.push(e.Action));
  return { service, runtime, actions };
}

describe('container lifecycle', () => {
  it('create → start → stop (TERM ignored, KILL after the timeout) with Docker events', async () => {
    const { service, runtime, actions } = await setup();
    runtime.fatalSignals = new Set([9]);
    const c = await service.create({ name: 'web', config: config(['sh']), hostConfig: hostConfig() }, image);
    expect(c.State.Status).toBe('created');
    await service.start('web');
    expect(c.State).toMatchObject({ Status: 'running', Running: true });
    await service.stop('web', 0);
    expect(runtime.calls.filter((x) => x.op === 'kill')).toEqual([
      { op: 'kill', id: c.Id, signal: 15 },
      { op: 'kill', id: c.Id, signal: 9 },
    ]);
    expect(c.State).toMatchObject({ Status: 'exited', Running: false, ExitCode: 137 });
    expect(actions).toEqual(['create', 'start', 'die', 'stop']);
  });

  it('guards pause/unpause/remove with the daemon\'s words', async () => {
    const { service } = await setup();
    const c = await service.create({ name: 'p', config: config(['sh']), hostConfig: hostConfig() }, image);
    await expect(service.pause('p')).rejects.toThrow(`container ${c.Id} is not running`);
    await service.start('p');
    await service.pause('p');
    await expect(service.pause('p')).rejects.toThrow(`container ${c.Id} is already paused`);
    await expect(service.remove('p')).rejects.toThrow('cannot remove container "/p": container is paused and must be unpaused first');
    await service.unpause('p');
    await expect(service.unpause('p')).rejects.toThrow(`Container ${c.Id} is not paused`);
    await service.remove('p', { force: true });
    expect(service.registry.find('p')).toBeUndefined();
  });

  it('refuses a taken name and a command the image lacks (exit code 127, container stays created)', async () => {
    const { service } = await setup();
    const first = await service.create({ name: 'dup', config: config(['sh']), hostConfig: hostConfig() }, image);
    await expect(service.create({ name: 'dup', config: config(['sh']), hostConfig: hostConfig() }, image)).rejects.toThrow(
      `Conflict. The container name "/dup" is already in use by container "${first.Id}". You have to remove (or rename) that container to be able to reuse that name.`,
    );
    const bad = await service.create({ config: config(['nosuch']), hostConfig: hostConfig() }, image);
    await expect(service.start(bad.Id)).rejects.toMatchObject({ exitCode: 127, message: expect.stringContaining('exec: "nosuch": executable file not found in $PATH') });
    expect(bad.State.Status).toBe('created');
    // A command a bind mount provides is not the image's to lack (`-v /usr/bin/curl:/usr/bin/curl`).
    const bound = await service.create({ config: config(['nosuch']), hostConfig: hostConfig() }, image);
    bound.mountPoints = [{ Type: 'bind', Source: '/usr/bin/nosuch', Destination: '/usr/bin/nosuch', Mode: '', RW: true, Propagation: 'rprivate' }];
    await expect(service.start(bound.Id)).resolves.toBeTruthy();
  });

  it('removes an --rm container whose start fails, however it was started', async () => {
    const { service } = await setup();
    const bad = await service.create({ name: 'gone', config: config(['nosuch']), hostConfig: hostConfig({ AutoRemove: true }) }, image);
    await expect(service.start('gone')).rejects.toMatchObject({ exitCode: 127 });
    expect(service.registry.find(bad.Id)).toBeUndefined();
  });

  it('on-failure:2 restarts twice, counting RestartCount, then stays exited', async () => {
    const { service, runtime } = await setup();
    const c = await service.create({ name: 'r', config: config(['sh']), hostConfig: hostConfig({ RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } }) }, image);
    await service.start('r');
    for (let i = 0; i < 3; i++) {
      while (!runtime.containers.has(c.Id)) await new Promise((r) => setTimeout(r, 10));
      runtime.containers.get(c.Id)!.exit(1);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await service.wait('r')).toBe(1);
    expect(c.RestartCount).toBe(2);
    expect(c.State.Status).toBe('exited');
  });

  it('--rm removes the container once it exited; logs keep both streams in order', async () => {
    const { service, runtime } = await setup();
    const c = await service.create({ config: config(['sh']), hostConfig: hostConfig({ AutoRemove: true }) }, image);
    const seen: string[] = [];
    const live = await service.start(c.Id, { attach: (stream, data) => void seen.push(`${stream}:${new TextDecoder().decode(data)}`) });
    runtime.containers.get(c.Id)!.print('hello\n');
    runtime.containers.get(c.Id)!.exit(3);
    expect(await live.stopped).toBe(3);
    expect(seen).toEqual(['stdout:hello\n']);
    expect(service.registry.find(c.Id)).toBeUndefined();
    expect(runtime.calls.at(-1)).toEqual({ op: 'remove', id: c.Id });
  });
});

describe('logging drivers', () => {
  const logConfig = (Type: string, Config: Record<string, string> = {}) => hostConfig({ LogConfig: { Type, Config } });
  const logText = async (service: ContainerService, id: string) => {
    let out = '';
    for await (const [, e] of (await service.readLog(id)).read()) out += new TextDecoder().decode(e.data);
    return out;
  };

  it('stores the driver chosen at create (json-file by default) and refuses an unknown one', async () => {
    const { service } = await setup();
    expect((await service.create({ config: config(['sh']), hostConfig: logConfig('') }, image)).HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: {} });
    const local = await service.create({ config: config(['sh']), hostConfig: logConfig('local', { 'max-size': '1m', 'max-file': '2' }) }, image);
    expect(local.HostConfig.LogConfig).toEqual({ Type: 'local', Config: { 'max-size': '1m', 'max-file': '2' } });
    await expect(service.create({ name: 'x', config: config(['sh']), hostConfig: logConfig('nosuch') }, image)).rejects.toThrow("logger: no log driver named 'nosuch' is registered");
    await expect(service.create({ name: 'y', config: config(['sh']), hostConfig: logConfig('json-file', { x: '1' }) }, image)).rejects.toThrow(
      "unknown log opt 'x' for json-file log driver",
    );
    expect(service.registry.find('x') ?? service.registry.find('y')).toBeUndefined();
  });

  it('none keeps no output: attached clients get it, docker logs is refused', async () => {
    const { service, runtime } = await setup();
    const c = await service.create({ config: config(['sh']), hostConfig: logConfig('none') }, image);
    const seen: string[] = [];
    const live = await service.start(c.Id, { attach: (_, data) => void seen.push(new TextDecoder().decode(data)) });
    runtime.containers.get(c.Id)!.print('hello\n');
    runtime.containers.get(c.Id)!.exit(0);
    await live.stopped;
    expect(seen).toEqual(['hello\n']);
    await expect(service.readLog(c.Id)).rejects.toThrow('configured logging driver does not support reading');
    expect((await service.log(c.Id)).length).toBe(0);
  });

  it('a bad option value fails the start, as the driver starting with the task does in moby', async () => {
    const { service } = await setup();
    const c = await service.create({ config: config(['sh']), hostConfig: logConfig('json-file', { 'max-size': 'abc' }) }, image);
    await expect(service.start(c.Id)).rejects.toMatchObject({
      message: "failed to create task for container: failed to initialize logging driver: invalid size: 'abc'",
      exitCode: 128,
    });
    expect(c.State).toMatchObject({ Status: 'created', ExitCode: 128, Error: "failed to create task for container: failed to initialize logging driver: invalid size: 'abc'" });
  });

  it('max-size × max-file bounds what docker logs shows', async () => {
    const { service, runtime } = await setup();
    const c = await service.create({ config: config(['sh']), hostConfig: logConfig('json-file', { 'max-size': '100', 'max-file': '2' }) }, image);
    const live = await service.start(c.Id);
    for (let i = 0; i < 100; i++) {
      runtime.containers.get(c.Id)!.print(`line ${String(i).padStart(4, '0')}\n`);
      await new Promise((r) => setTimeout(r, 0));
    }
    runtime.containers.get(c.Id)!.exit(0);
    await live.stopped;
    const kept = await logText(service, c.Id);
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept.length).toBeGreaterThanOrEqual(100);
    expect(kept.endsWith('line 0099\n')).toBe(true);
  });
});

