import { describe, expect, it } from 'vitest';
import { goTime } from './record.ts';
import { mergeImageConfig } from './create.ts';
import { signalNumber } from './signals.ts';
import { createdState, guards, type ContainerState } from './state.ts';
import { resolveUser } from './user.ts';
import type { Config } from './options-types.ts';

const running: ContainerState = { ...createdState(), Status: 'running', Running: true };
const paused: ContainerState = { ...running, Status: 'paused', Paused: true };
const exited: ContainerState = { ...createdState(), Status: 'exited', StartedAt: '2026-01-01T00:00:00Z' };

describe('state guards speak moby v28', () => {
  it.each([
    ['pause', exited, 'container abc is not running'],
    ['pause', paused, 'container abc is already paused'],
    ['unpause', running, 'Container abc is not paused'],
    ['kill', exited, 'container abc is not running'],
    ['exec', paused, 'Container abc is paused, unpause the container before exec'],
    ['exec', exited, 'container abc is not running'],
    ['start', paused, 'cannot start a paused container, try unpause instead'],
  ] as const)('%s on %o', (op, state, message) => {
    expect(guards[op](state, 'abc')?.message).toBe(message);
  });

  it('remove refuses running and paused containers unless forced', () => {
    expect(guards.remove(running, '/web', false)?.message).toBe(
      'cannot remove container "/web": container is running: stop the container before removing or force remove',
    );
    expect(guards.remove(paused, '/web', false)?.message).toBe('cannot remove container "/web": container is paused and must be unpaused first');
    expect(guards.remove(running, '/web', true)).toBeNull();
    expect(guards.remove(exited, '/web', false)).toBeNull();
  });

  it('attach needs a running container', () => {
    expect(guards.attach(exited, 'web')?.message).toBe('You cannot attach to a stopped container, start it first');
    expect(guards.attach(running, 'web')).toBeNull();
  });
});

describe('signals', () => {
  it.each([
    ['KILL', 9],
    ['SIGKILL', 9],
    ['sigterm', 15],
    ['SIGTRAP', 5],
    ['10', 10],
    ['RTMIN+2', 36],
  ])('%s → %d', (name, n) => expect(signalNumber(name)).toBe(n));
  it('rejects unknown signals', () => expect(() => signalNumber('FOO')).toThrow('Invalid signal: FOO'));
});

describe('image config merge', () => {
  const image = { architecture: '386', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: { Env: ['PATH=/bin', 'A=1'], Cmd: ['sh'], WorkingDir: '/app', ExposedPorts: { '80/tcp': {} } } };
  const base: Config = { Image: 'x', Env: [], Hostname: '', User: '', WorkingDir: '', Tty: false, OpenStdin: false, StdinOnce: false, AttachStdin: false, AttachStdout: true, AttachStderr: true, Labels: {} };
  it('takes the image command unless one is given; user env overrides', () => {
    const m = mergeImageConfig({ ...base, Env: ['A=2'] }, image as never, '0123456789abcdef');
    expect(m.Cmd).toEqual(['sh']);
    expect(m.Env).toEqual(['PATH=/bin', 'A=2']);
    expect(m.Hostname).toBe('0123456789ab');
    expect(m.WorkingDir).toBe('/app');
    expect(m.ExposedPorts).toEqual({ '80/tcp': {} });
  });
  it('--entrypoint drops the image Cmd', () => {
    const m = mergeImageConfig({ ...base, Entrypoint: ['echo'] }, image as never, 'id');
    expect(m.Entrypoint).toEqual(['echo']);
    expect(m.Cmd).toEqual([]);
  });
});

describe('users', () => {
  const files: Record<string, string> = {
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33::/var/www:/bin/false\n',
    '/etc/group': 'root:x:0:\nwww-data:x:33:\nstaff:x:50:www-data\n',
  };
  const read = (p: string) => files[p] ?? null;
  it.each([
    ['', { uid: 0, gid: 0, additionalGids: [] }],
    ['www-data', { uid: 33, gid: 33, additionalGids: [50] }],
    ['1000', { uid: 1000, gid: 0, additionalGids: [] }],
    ['33:staff', { uid: 33, gid: 50, additionalGids: [] }],
  ])('%s', (spec, expected) => expect(resolveUser(spec, read)).toEqual(expected));
  it('fails for unknown names', () => expect(() => resolveUser('bob', read)).toThrow('unable to find user bob: no matching entries in passwd file'));
});

it('goTime prints RFC 3339 with trailing zeros dropped', () => {
  expect(goTime(Date.UTC(2026, 10, 22, 13, 0, 0, 120))).toBe('2026-11-22T13:00:00.12Z');
  expect(goTime(Date.UTC(2026, 10, 22, 13, 0, 0, 0))).toBe('2026-11-22T13:00:00Z');
});
