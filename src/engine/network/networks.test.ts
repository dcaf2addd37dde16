// The user-defined network store: Docker's default pools in order, its checks of --subnet,
// --gateway and --ip-range, moby's lookups, and the addresses a network hands out.
import { describe, expect, it } from 'vitest';
import { memoryStores } from '../../../test/fakes/memory-store.ts';
import { networkAddresses, NetworkStore } from './networks.ts';

async function store() {
  let seed = 1;
  const meta = memoryStores().meta;
  return { meta, networks: await NetworkStore.load(meta, () => ((seed = (seed * 16807) % 2147483647) / 2147483647), () => Date.UTC(2026, 11, 8)) };
}

describe('NetworkStore', () => {
  it('takes the next free default pool, and keeps networks across a reload of the store', async () => {
    const { meta, networks } = await store();
    const a = await networks.create({ Name: 'a' }, ['172.17.0.0/16']);
    const b = await networks.create({ Name: 'b' }, ['172.17.0.0/16']);
    expect([a.subnet, a.gateway, a.device]).toEqual(['172.18.0.0/16', '172.18.0.1', `br-${a.Id.slice(0, 12)}`]);
    expect(b.subnet).toBe('172.19.0.0/16');
    const reloaded = await NetworkStore.load(meta, Math.random, Date.now);
    expect(reloaded.all().map((n) => n.Name)).toEqual(['a', 'b']);
    expect(reloaded.find(a.Id.slice(0, 5))?.Name).toBe('a');
    await reloaded.remove(a);
    expect((await NetworkStore.load(meta, Math.random, Date.now)).all().map((n) => n.Name)).toEqual(['b']);
  });

  it("refuses what Docker refuses: a taken name, a predefined one, an overlapping subnet, a gateway outside it", async () => {
    const { networks } = await store();
    await networks.create({ Name: 'a', IPAM: { Config: [{ Subnet: '10.1.0.0/24' }] } }, []);
    await expect(networks.create({ Name: 'a' }, [])).rejects.toThrow('network with name a already exists');
    await expect(networks.create({ Name: 'host' }, [])).rejects.toThrow('host is a pre-defined network and cannot be created');
    await expect(networks.create({ Name: 'b', IPAM: { Config: [{ Subnet: '10.1.0.128/25' }] } }, [])).rejects.toThrow('Pool overlaps with other one on this address space');
    await expect(networks.create({ Name: 'c', IPAM: { Config: [{ Subnet: '10.2.0.0/24', Gateway: '10.3.0.1' }] } }, [])).rejects.toThrow('no matching subnet for gateway 10.3.0.1');
    await expect(networks.create({ Name: 'd', IPAM: { Config: [{ Subnet: '10.2.0.0/33' }] } }, [])).rejects.toThrow('invalid CIDR address: 10.2.0.0/33');
    await expect(networks.create({ Name: 'e', Driver: 'overlay' }, [])).rejects.toThrow('plugin not found');
  });

  it('hands out addresses from the range, skipping the gateway and the broadcast address', () => {
    expect([...networkAddresses({ subnet: '10.9.0.0/29', gateway: '10.9.0.1' })]).toEqual(['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
    expect([...networkAddresses({ subnet: '10.9.0.0/24', gateway: '10.9.0.1', ipRange: '10.9.0.128/30' })]).toEqual(['10.9.0.128', '10.9.0.129', '10.9.0.130', '10.9.0.131']);
  });
});
