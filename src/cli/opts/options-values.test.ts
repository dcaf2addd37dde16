import { describe, expect, it } from 'vitest';
import { parseMount, parseTmpfs, parseVolumeSpec } from './options-mounts.ts';
import { addExposedPorts, parsePortSpecs } from './options-ports.ts';
import { parseDetachKeys, parseSignal } from '../../lib/signals.ts';
import { isIpAddress, parseEnvFile, parseRestartPolicy, parseUlimit } from './options-values.ts';

const outcome = (fn: () => unknown) => {
  try {
    return fn();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

describe('publish specs', () => {
  it.each([
    ['8080:80', { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }],
    ['80', { '80/tcp': [{ HostIp: '', HostPort: '' }] }],
    ['127.0.0.1:8080:80/udp', { '80/udp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }],
    ['127.0.0.1::80', { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }],
    ['::1:8080:80', { '80/tcp': [{ HostIp: '::1', HostPort: '8080' }] }],
    ['[::1]:8080:80', { '80/tcp': [{ HostIp: '::1', HostPort: '8080' }] }],
    ['8000-8001:9000-9001', { '9000/tcp': [{ HostIp: '', HostPort: '8000' }], '9001/tcp': [{ HostIp: '', HostPort: '8001' }] }],
    ['8000-8002:80', { '80/tcp': [{ HostIp: '', HostPort: '8000-8002' }] }],
    ['80:abc', 'error: invalid containerPort: abc'],
    ['abc:80', 'error: invalid hostPort: abc'],
    ['1.2.3:80:80', 'error: invalid IP address: 1.2.3'],
    ['8000-8002:80-81', 'error: invalid ranges specified for container and host Ports: 80-81 and 8000-8002'],
    ['80/xyz', 'error: invalid proto: xyz'],
    ['8080:', 'error: no port specified: 8080:<empty>'],
  ])('-p %s', (spec, want) => expect(outcome(() => parsePortSpecs([spec]).bindings)).toEqual(want));

  it.each([
    ['80', ['80/tcp']],
    ['7000-7002/udp', ['7000/udp', '7001/udp', '7002/udp']],
    ['80:80', 'error: invalid port format for --expose: 80:80'],
    ['abc', 'error: invalid range format for --expose: abc, error: strconv.ParseUint: parsing "abc": invalid syntax'],
  ])('--expose %s', (spec, want) =>
    expect(
      outcome(() => {
        const exposed = {};
        addExposedPorts(exposed, [spec]);
        return Object.keys(exposed);
      }),
    ).toEqual(want),
  );
});

describe('volumes and mounts', () => {
  it.each([
    ['/data', { source: '', target: '/data', mode: '', type: 'volume' }],
    ['cache:/data', { source: 'cache', target: '/data', mode: '', type: 'volume' }],
    ['/host:/ctr:ro', { source: '/host', target: '/ctr', mode: 'ro', type: 'bind' }],
    ['./src:/app', { source: './src', target: '/app', mode: '', type: 'bind' }],
    ['', 'error: invalid empty volume spec'],
    [':/b', 'error: invalid spec: :/b: empty section between colons'],
    ['a:b:c:d', 'error: invalid spec: a:b:c:d: too many colons'],
  ])('-v %s', (spec, want) => expect(outcome(() => parseVolumeSpec(spec))).toEqual(want));

  it.each([
    ['type=volume,source=data,target=/data', { Type: 'volume', Source: 'data', Target: '/data' }],
    ['type=bind,src=/h,dst=/c,readonly', { Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true }],
    ['destination=/c,ro=false', { Type: 'volume', Target: '/c', ReadOnly: false }],
    ['type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770', { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 67108864, Mode: 0o1770 } }],
    ['type=bind,target=/c,bind-propagation=rshared', { Type: 'bind', Target: '/c', BindOptions: { Propagation: 'rshared' } }],
    ['foo', "error: invalid field 'foo' must be a key=value pair"],
    ['type=bind', 'error: target is required'],
    ['target=/x,bogus=1', "error: unexpected key 'bogus' in 'bogus=1'"],
    ['target=/x,readonly=maybe', 'error: invalid value for readonly: maybe'],
    ['type=bind,target=/x,volume-nocopy', "error: cannot mix 'volume-*' options with mount type 'bind'"],
  ])('--mount %s', (spec, want) => expect(outcome(() => parseMount(spec))).toEqual(want));

  it('splits --tmpfs', () => {
    expect(parseTmpfs('/run:rw,size=64m')).toEqual(['/run', 'rw,size=64m']);
    expect(parseTmpfs('/run')).toEqual(['/run', '']);
  });
});

describe('small syntaxes', () => {
  it.each([
    ['nofile=1024', { Name: 'nofile', Soft: 1024, Hard: 1024 }],
    ['nofile=1024:2048', { Name: 'nofile', Soft: 1024, Hard: 2048 }],
    ['nproc=-1', { Name: 'nproc', Soft: -1, Hard: -1 }],
    ['nofile', 'error: invalid ulimit argument: nofile'],
    ['bogus=1', 'error: invalid ulimit type: bogus'],
    ['nofile=a', 'error: strconv.ParseInt: parsing "a": invalid syntax'],
    ['nofile=1:2:3', 'error: too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`'],
    ['nofile=-1:10', 'error: ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: 10'],
  ])('--ulimit %s', (spec, want) => expect(outcome(() => parseUlimit(spec))).toEqual(want));

  it.each([
    ['no', { Name: 'no', MaximumRetryCount: 0 }],
    ['always', { Name: 'always', MaximumRetryCount: 0 }],
    ['on-failure:3', { Name: 'on-failure', MaximumRetryCount: 3 }],
    ['unless-stopped', { Name: 'unless-stopped', MaximumRetryCount: 0 }],
    [':3', 'error: invalid restart policy format: no policy provided before colon'],
    ['on-failure:x', 'error: invalid restart policy format: maximum retry count must be an integer'],
    ['foo', { Name: 'foo', MaximumRetryCount: 0, daemonError: "invalid restart policy: unknown policy 'foo'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'" }],
    ['always:3', { Name: 'always', MaximumRetryCount: 3, daemonError: "invalid restart policy: maximum retry count can only be used with 'on-failure'" }],
  ])('--restart %s', (spec, want) => expect(outcome(() => parseRestartPolicy(spec))).toEqual(want));

  it('reads env files', () => {
    const file = '# comment\n\nA=1\n  B=two words\nHOME\nUNSET\r\nC=\n';
    expect(parseEnvFile(file, new Map([['HOME', '/root']]))).toEqual(['A=1', 'B=two words', 'HOME=/root', 'C=']);
    expect(outcome(() => parseEnvFile('=x\n', new Map()))).toBe("error: no variable name on line '=x'");
  });

  it.each([
    ['1.2.3.4', true], ['255.255.255.255', true], ['1.2.3', false], ['01.2.3.4', false], ['::1', true], ['fe80::1:2', true],
    ['::ffff:1.2.3.4', true], ['1:2:3:4:5:6:7:8', true], ['1:2:3:4:5:6:7', false], ['host', false],
  ])('isIpAddress %s', (ip, want) => expect(isIpAddress(ip)).toBe(want));

  it.each([
    ['SIGTERM', 15], ['TERM', 15], ['kill', 9], ['9', 9], ['RTMIN+3', 37], ['FOO', undefined], ['0', undefined],
  ])('signal %s', (s, want) => expect(parseSignal(s)).toBe(want));

  it('reads detach keys', () => {
    expect(parseDetachKeys('ctrl-p,ctrl-q')).toEqual([16, 17]);
    expect(parseDetachKeys('a,ctrl-@')).toEqual([97, 0]);
    expect(parseDetachKeys('ctrl-[')).toEqual([0x1b]);
    expect(outcome(() => parseDetachKeys('foo'))).toBe("error: Unknown character: 'foo'");
  });
});
