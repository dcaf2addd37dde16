import { describe, expect, it } from 'vitest';
import type { ContainerRecord } from './record.ts';
import { guestPathOf } from './guest-path.ts';

const ID = 'c'.repeat(64);
const record = {
  Id: ID,
  mountPoints: [
    { Type: 'bind', Source: '/root/app', Destination: '/app', Mode: '', RW: true, Propagation: 'rprivate' },
    { Type: 'volume', Name: 'data', Source: '', Destination: '/app/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
    { Type: 'tmpfs', Source: '', Destination: '/scratch', Mode: '', RW: true, Propagation: '' },
  ],
} as unknown as ContainerRecord;
const deps = { volumeSource: async (name: string) => `/mnt/host/volumes/${name}/_data` };

describe('guestPathOf', () => {
  it.each([
    ['/etc/hostname', `/mnt/host/containers/${ID}/hostname`],
    ['/etc//hosts', `/mnt/host/containers/${ID}/hosts`],
    ['/etc/resolv.conf', `/mnt/host/containers/${ID}/resolv.conf`],
    ['/app/f.txt', '/root/app/f.txt'],
    ['/app', '/root/app'],
    ['/app/data/x', '/mnt/host/volumes/data/_data/x'],
    ['/application', `/run/slipway/c/${ID}/rootfs/application`],
    ['/scratch/x', `/run/slipway/c/${ID}/rootfs/scratch/x`],
    ['/', `/run/slipway/c/${ID}/rootfs`],
    ['/etc/../etc/passwd', `/run/slipway/c/${ID}/rootfs/etc/passwd`],
  ])('%s → %s', async (path, expected) => {
    expect(await guestPathOf(record, path, deps)).toBe(expected);
  });
});
