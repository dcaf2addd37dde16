import { describe, expect, it } from 'vitest';
import type { GuestDnsQuery } from '../../protocol/guest/port.ts';
import { DnsRcode, DnsType, encodeDnsQuery as dnsQuery } from './dns-message.ts';
import { DnsService } from './dns.ts';

const client = { address: '172.17.0.2', port: 40000 };
const GATEWAY = '172.17.0.1';

/** rcode, answer count and the answers' RDATA of an encoded answer. */
function read(answer: Uint8Array | null) {
  if (!answer) return null;
  const view = new DataView(answer.buffer, answer.byteOffset, answer.byteLength);
  let at = 12;
  if (view.getUint16(4)) {
    while (answer[at] !== 0) at += answer[at]! + 1;
    at += 5;
  }
  const data: number[][] = [];
  for (let i = 0; i < view.getUint16(6); i++) {
    at += 2; // a pointer to the question name
    const length = view.getUint16(at + 8);
    data.push(Array.from(answer.subarray(at + 10, at + 10 + length)));
    at += 10 + length;
  }
  return { id: view.getUint16(0), rcode: view.getUint16(2) & 0xf, authoritative: (view.getUint16(2) & 0x0400) !== 0, data };
}

describe('DnsService', () => {
  it('answers a name nobody knows with SERVFAIL at once: the engine has no way out yet', async () => {
    const dns = new DnsService();
    for (const type of [DnsType.A, DnsType.AAAA, DnsType.MX, DnsType.ANY]) {
      expect(read(await dns.answer(dnsQuery('example.org', type), client, GATEWAY))).toEqual({ id: 0x1234, rcode: DnsRcode.SERVFAIL, authoritative: false, data: [] });
    }
  });

  it('answers names added for the gateway a query came to, and only those', async () => {
    const dns = new DnsService();
    const web = dns.addRecords(GATEWAY, [{ name: 'Web', address: '172.17.0.3' }, { name: 'web', address: '172.17.0.4' }]);
    dns.addRecords('172.18.0.1', [{ name: 'db', address: '172.18.0.2' }]);
    expect(read(await dns.answer(dnsQuery('WEB', DnsType.A), client, GATEWAY))).toMatchObject({
      rcode: 0,
      authoritative: true,
      data: [[172, 17, 0, 3], [172, 17, 0, 4]],
    });
    // A known name without IPv6: no data, and no error that would hide its A records.
    expect(read(await dns.answer(dnsQuery('web', DnsType.AAAA), client, GATEWAY))).toMatchObject({ rcode: 0, data: [] });
    expect(read(await dns.answer(dnsQuery('db', DnsType.A), client, GATEWAY))).toMatchObject({ rcode: DnsRcode.SERVFAIL });
    const ptr = read(await dns.answer(dnsQuery('3.0.17.172.in-addr.arpa', DnsType.PTR), client, GATEWAY));
    expect(ptr?.data).toEqual([[3, 0x77, 0x65, 0x62, 0]]);
    web.dispose();
    expect(read(await dns.answer(dnsQuery('web', DnsType.A), client, GATEWAY))).toMatchObject({ rcode: DnsRcode.SERVFAIL });
  });

  it('lets a networks service choose the scopes of a query', async () => {
    const dns = new DnsService({ scopesOf: (r) => (r.client.address === '172.17.0.2' ? ['front', 'back'] : ['front']) });
    dns.addRecords('back', [{ name: 'db', address: '10.1.0.2' }]);
    expect(read(await dns.answer(dnsQuery('db', DnsType.A), client, GATEWAY))?.data).toEqual([[10, 1, 0, 2]]);
    expect(read(await dns.answer(dnsQuery('db', DnsType.A), { address: '172.17.0.9', port: 1 }, GATEWAY))?.rcode).toBe(DnsRcode.SERVFAIL);
  });

  it('asks resolvers in order for names it does not know; a failing one means SERVFAIL', async () => {
    const lines: string[] = [];
    const dns = new DnsService({ log: (l) => lines.push(l) });
    const asked: string[] = [];
    dns.addResolver((r) => (asked.push(`first ${r.question.name}`), null));
    const outside = dns.addResolver(async (r) => (asked.push(`second ${r.question.name}`), { rcode: DnsRcode.NXDOMAIN }));
    expect(read(await dns.answer(dnsQuery('nope.example', DnsType.A), client, GATEWAY))?.rcode).toBe(DnsRcode.NXDOMAIN);
    expect(asked).toEqual(['first nope.example', 'second nope.example']);
    outside.dispose();
    dns.addResolver(() => {
      throw new Error('resolver broke');
    });
    expect(read(await dns.answer(dnsQuery('x.example', DnsType.A), client, GATEWAY))?.rcode).toBe(DnsRcode.SERVFAIL);
    expect(lines).toEqual(['dns: x.example: resolver broke']);
  });

  it('drops what is no query, refuses what it cannot parse, and never throws', async () => {
    const dns = new DnsService();
    expect(await dns.answer(new Uint8Array(3), client, GATEWAY)).toBeNull();
    expect(read(await dns.answer(dnsQuery('a', 1, { questions: 0 }), client, GATEWAY))?.rcode).toBe(DnsRcode.FORMERR);
    const chaos = dnsQuery('version.bind', DnsType.TXT);
    chaos[chaos.length - 1] = 3;
    expect(read(await dns.answer(chaos, client, GATEWAY))?.rcode).toBe(DnsRcode.REFUSED);
  });

  it('serves the guest DNS port it is attached to', async () => {
    const dns = new DnsService();
    let handler!: (q: GuestDnsQuery) => void;
    const subscription = dns.attach({ onDnsQuery: (h) => ((handler = h), { dispose: () => undefined }) });
    const replied = new Promise<Uint8Array>((resolve) =>
      handler({ message: dnsQuery('example.org', DnsType.A), client, server: GATEWAY, reply: resolve }),
    );
    expect(read(await replied)?.rcode).toBe(DnsRcode.SERVFAIL);
    subscription.dispose();
  });
});
