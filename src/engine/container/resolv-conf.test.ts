// What a container's /etc/resolv.conf says, by network mode and --dns.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUEST_RESOLV_CONF } from '../network/dns.ts';
import { resolvConf } from './launch.ts';
import type { NetworkAttachment } from './needs.ts';
import type { ContainerRecord } from './record.ts';

const record = (dns?: string[]) => ({ HostConfig: { Dns: dns } }) as unknown as ContainerRecord;
const bridge: NetworkAttachment = {
  assignment: { network: 'bridge', ipAddress: '172.17.0.2', prefixLen: 16, gateway: '172.17.0.1', macAddress: '02:42:ac:11:00:02', namespace: 'n' },
  namespace: { path: '/run/netns/n' },
  extraHosts: [],
};
const none: NetworkAttachment = { assignment: null, namespace: { path: '/run/netns/n' }, extraHosts: [] };
const host: NetworkAttachment = { assignment: null, namespace: 'host', extraHosts: [] };

describe('resolvConf', () => {
  it('points a bridge container at its gateway: the Docker host DNS service the engine answers', () => {
    expect(resolvConf(record([]), bridge)).toBe('nameserver 172.17.0.1\n');
    expect(resolvConf(record(), { ...bridge, assignment: { ...bridge.assignment!, gateway: '172.18.0.1' } })).toBe('nameserver 172.18.0.1\n');
  });

  it('writes --dns servers as given, whatever the network', () => {
    expect(resolvConf(record(['1.2.3.4', '5.6.7.8']), bridge)).toBe('nameserver 1.2.3.4\nnameserver 5.6.7.8\n');
    expect(resolvConf(record(['1.2.3.4']), host)).toBe('nameserver 1.2.3.4\n');
  });

  it('gives --network host the guest file and --network none Docker\'s fallback servers', () => {
    expect(resolvConf(record([]), host)).toBe(GUEST_RESOLV_CONF);
    expect(resolvConf(record([]), none)).toBe('nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  });

  it('knows the guest file as the initramfs ships it', () => {
    const shipped = readFileSync(new URL('../../../kernel-images/rootfs/overlay/etc/resolv.conf', import.meta.url), 'utf8');
    expect(shipped).toBe(GUEST_RESOLV_CONF);
  });
});
