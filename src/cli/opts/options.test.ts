import { describe, expect, it } from 'vitest';
import { parseFlags } from '../flags/parser.ts';
import { createFlags, parseContainerOptions, runFlags, type ContainerOptionsError } from './options.ts';

const files: Record<string, string> = { '/root/app.env': 'FROM_FILE=1\nSHARED=file\n# note\nHOME\n', '/root/labels': 'team=core\n' };
const deps = {
  env: new Map([['HOME', '/root'], ['TOKEN', 's3cret']]),
  cwd: '/root/project',
  readFile: async (path: string) => files[path] ?? null,
};
const run = (...argv: string[]) => parseContainerOptions(parseFlags(runFlags, argv, { interspersed: false }), deps);
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
    return undefined;
  } catch (e) {
    return [(e as ContainerOptionsError).kind, (e as Error).message];
  }
};

describe('parseContainerOptions', () => {
  it('gives Docker defaults for a bare run', async () => {
    expect(await run('busybox')).toEqual({
      config: {
        Image: 'busybox', Env: [], Hostname: '', User: '', WorkingDir: '', Tty: false, OpenStdin: false, StdinOnce: false,
        AttachStdin: false, AttachStdout: true, AttachStderr: true, Labels: {},
      },
      hostConfig: {
        LogConfig: { Type: '', Config: {} }, PortBindings: {}, PublishAllPorts: false, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: false,
        NetworkMode: 'default', Privileged: false, ReadonlyRootfs: false, Memory: 0, MemorySwap: 0, NanoCpus: 0, CpuShares: 0, Devices: [], Dns: [],
      },
      networkingConfig: { EndpointsConfig: { default: {} } },
      client: { detach: false, sigProxy: true, detachKeys: '', rm: false, pull: 'missing', quiet: false, platform: '' },
    });
  });

  it('maps every supported flag', async () => {
    const o = await run(
      '-it', '--rm', '--name', 'web', '-h', 'box', '-u', '1000:1000', '-w', '/app', '-e', 'A=b c', '-e', 'TOKEN', '-e', 'MISSING',
      '--env-file', '/root/app.env', '-e', 'SHARED=flag', '-l', 'x=1', '--label-file', '/root/labels', '-p', '8080:80', '-P',
      '--expose', '9000', '-v', '/data', '-v', 'cache:/cache:ro', '-v', './src:/src', '--mount', 'type=tmpfs,target=/t',
      '--volumes-from', 'other', '-m', '512m', '--memory-swap', '1g', '--cpus', '1.5', '--cpu-shares', '512', '--pids-limit', '100',
      '--read-only', '--init', '--stop-signal', 'SIGINT', '--stop-timeout', '5', '--network', 'mynet', '--cap-add', 'NET_ADMIN',
      '--cap-drop', 'ALL', '--privileged', '--security-opt', 'no-new-privileges', '--link', 'db:database', '--ulimit', 'nofile=1024:2048',
      '--tmpfs', '/run:rw,size=64m', '--add-host', 'h:1.2.3.4', '--dns', '8.8.8.8', '--entrypoint', 'sh', '--detach-keys', 'ctrl-x,x',
      '--sig-proxy=false', '--platform', 'linux/386', '--pull', 'never', '-q', '--log-driver', 'local', '--log-opt', 'max-size=1m',
      '--log-opt', 'compress', '--device', '/dev/zero:/dev/z:r', 'busybox', 'echo', 'hi',
    );
    expect(o.name).toBe('web');
    expect(o.config).toEqual({
      Image: 'busybox', Cmd: ['echo', 'hi'], Entrypoint: ['sh'],
      Env: ['FROM_FILE=1', 'SHARED=file', 'HOME=/root', 'A=b c', 'TOKEN=s3cret', 'MISSING', 'SHARED=flag'],
      Hostname: 'box', User: '1000:1000', WorkingDir: '/app', Tty: true, OpenStdin: true, StdinOnce: true,
      AttachStdin: true, AttachStdout: true, AttachStderr: true,
      ExposedPorts: { '80/tcp': {}, '9000/tcp': {} }, Labels: { team: 'core', x: '1' }, StopSignal: 'SIGINT', StopTimeout: 5,
      Volumes: { '/data': {} },
    });
    expect(o.hostConfig).toEqual({
      Binds: ['cache:/cache:ro', '/root/project/src:/src'], LogConfig: { Type: 'local', Config: { 'max-size': '1m', compress: '' } }, Mounts: [{ Type: 'tmpfs', Target: '/t' }],
      PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }, PublishAllPorts: true,
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: true, NetworkMode: 'mynet', Links: ['db:database'],
      CapAdd: ['NET_ADMIN'], CapDrop: ['ALL'], Privileged: true, SecurityOpt: ['no-new-privileges'], ReadonlyRootfs: true, Init: true,
      Memory: 536870912, MemorySwap: 1073741824, NanoCpus: 1_500_000_000, CpuShares: 512,
      Devices: [{ PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'r' }], PidsLimit: 100,
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }], Tmpfs: { '/run': 'rw,size=64m' }, ExtraHosts: ['h:1.2.3.4'],
      Dns: ['8.8.8.8'], VolumesFrom: ['other'],
    });
    expect(o.networkingConfig).toEqual({ EndpointsConfig: { mynet: {} } });
    expect(o.client).toEqual({ detach: false, sigProxy: false, detachKeys: 'ctrl-x,x', rm: true, pull: 'never', quiet: true, platform: 'linux/386' });
  });

  it('handles attach, detach, --net and --entrypoint reset', async () => {
    const a = await run('-a', 'STDERR', '--net', 'host', '--entrypoint=', 'img');
    expect([a.config.AttachStdout, a.config.AttachStderr, a.config.Entrypoint, a.hostConfig.NetworkMode]).toEqual([false, true, [''], 'host']);
    const d = await run('-d', '-i', '--restart', 'on-failure:3', 'img');
    expect([d.config.AttachStdin, d.config.AttachStdout, d.config.StdinOnce, d.client.detach]).toEqual([false, false, false, true]);
    expect(d.hostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect((await run('-d', '--rm', 'img')).hostConfig.AutoRemove).toBe(true);
  });

  it('works for create, which has no --detach', async () => {
    const o = await parseContainerOptions(parseFlags(createFlags, ['--name', 'c', 'img'], { interspersed: false }), deps);
    expect([o.name, o.client.detach, o.client.sigProxy]).toEqual(['c', false, false]);
  });

  it.each([
    [['--restart', 'always', '--rm'], ['usage', 'conflicting options: cannot specify both --restart and --rm']],
    [['-a', 'stdin', '-d'], ['plain', 'conflicting options: cannot specify both --attach and --detach']],
    [['--restart', 'foo'], ['daemon', "invalid restart policy: unknown policy 'foo'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"]],
    [['--restart', ':3'], ['usage', 'invalid restart policy format: no policy provided before colon']],
    [['--pull', 'sometimes'], ['usage', 'invalid pull option: \'sometimes\': must be one of "always", "missing" or "never"']],
    [['--env-file', '/nonexist'], ['usage', 'open /nonexist: no such file or directory']],
    [['-p', '80:abc'], ['usage', 'invalid containerPort: abc']],
    [['-v', ':/b'], ['usage', 'invalid spec: :/b: empty section between colons']],
    [['--stop-signal', 'FOO'], ['daemon', 'Invalid signal: FOO']],
    [['--detach-keys', 'foo'], ['daemon', 'Invalid detach keys (foo) provided']],
    [['--security-opt', 'foo'], ['usage', 'Invalid --security-opt: "foo"']],
    [['--log-driver', 'none', '--log-opt', 'max-size=1m'], ['usage', 'invalid logging opts for driver none']],
    [['--device', 'dev/zero'], ['usage', 'dev/zero is not an absolute path']],
  ])('%j', async (argv, want) => expect(await failure(run(...argv, 'img'))).toEqual(want));
});
