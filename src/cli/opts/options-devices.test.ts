// `--device` syntax as docker/cli checks it for a Linux daemon (validateLinuxPath, parseLinuxDevice).
import { describe, expect, it } from 'vitest';
import { parseDevice } from './options-devices.ts';

const outcome = (value: string) => {
  try {
    return parseDevice(value);
  } catch (e) {
    return (e as Error).message;
  }
};

describe('parseDevice', () => {
  it.each([
    ['/dev/snd', { PathOnHost: '/dev/snd', PathInContainer: '/dev/snd', CgroupPermissions: 'rwm' }],
    ['/dev/sda:/dev/xvdc', { PathOnHost: '/dev/sda', PathInContainer: '/dev/xvdc', CgroupPermissions: 'rwm' }],
    ['/dev/sda:r', { PathOnHost: '/dev/sda', PathInContainer: '/dev/sda', CgroupPermissions: 'r' }],
    ['/dev/sda:/dev/xvdc:rw', { PathOnHost: '/dev/sda', PathInContainer: '/dev/xvdc', CgroupPermissions: 'rw' }],
    ['/dev//zero/', { PathOnHost: '/dev/zero', PathInContainer: '/dev/zero', CgroupPermissions: 'rwm' }],
    ['/dev/zero:/dev/./z/', { PathOnHost: '/dev/zero', PathInContainer: '/dev/z', CgroupPermissions: 'rwm' }],
    ['dev/zero', 'dev/zero is not an absolute path'],
    ['/dev/zero:rel', 'rel is not an absolute path'],
    [':/dev/zero', 'bad format for path: :/dev/zero'],
    ['/a:/b:/c:d', 'bad format for path: /a:/b:/c:d'],
    ['/a:/b:rwx', 'bad mode specified: rwx'],
    ['/a:/b:rr', 'bad mode specified: rr'],
  ])('%s', (value, want) => expect(outcome(value)).toEqual(want));
});
