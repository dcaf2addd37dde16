import { describe, expect, it } from 'vitest';
import { DnsRcode, DnsType, encodeDnsAnswer, encodeDnsQuery, ipv4Data, MAX_UDP_ANSWER, parseDnsQuery, reverseName } from './dns-message.ts';

const dnsQuery = encodeDnsQuery;

describe('parseDnsQuery', () => {
  it('reads the header and the question, folding case', () => {
    const parsed = parseDnsQuery(dnsQuery('Example.ORG', DnsType.AAAA));
    expect(parsed).toMatchObject({
      kind: 'query',
      query: { id: 0x1234, opcode: 0, recursionDesired: true, question: { name: 'example.org', type: DnsType.AAAA, class: 1 } },
    });
  });

  it('follows a backward compression pointer and refuses a forward or looping one', () => {
    // Header, then the question name as a pointer to offset 12 is a loop onto itself.
    const self = Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
    expect(parseDnsQuery(self)).toMatchObject({ kind: 'error', rcode: DnsRcode.FORMERR, reason: 'compression pointer does not point backwards' });
    // "a" then a pointer back to the header's last byte (a zero: the root) is a valid name "a".
    const back = Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 0xc0, 11, 0, 1, 0, 1]);
    expect(parseDnsQuery(back)).toMatchObject({ kind: 'query', query: { question: { name: 'a', type: 1 } } });
  });

  it('drops what is no query and refuses what it cannot answer', () => {
    expect(parseDnsQuery(new Uint8Array(11)).kind).toBe('drop');
    expect(parseDnsQuery(dnsQuery('a.b', 1, { flags: 0x8000 })).kind).toBe('drop');
    expect(parseDnsQuery(dnsQuery('a.b', 1, { flags: 2 << 11 }))).toMatchObject({ kind: 'error', rcode: DnsRcode.NOTIMP });
    expect(parseDnsQuery(dnsQuery('a.b', 1, { questions: 2 }))).toMatchObject({ kind: 'error', rcode: DnsRcode.FORMERR });
    const longLabel = dnsQuery('x'.repeat(63), 1);
    longLabel[12] = 64;
    expect(parseDnsQuery(longLabel)).toMatchObject({ kind: 'error', rcode: DnsRcode.FORMERR, reason: 'label type 0x40' });
    const longName = dnsQuery(Array(5).fill('y'.repeat(60)).join('.'), 1);
    expect(parseDnsQuery(longName)).toMatchObject({ kind: 'error', reason: 'name longer than 255 octets' });
  });

  it('never throws, whatever the bytes: every truncation and every corrupted byte of a query', () => {
    const query = dnsQuery('deb.debian.org', DnsType.A);
    for (let n = 0; n <= query.length; n++) expect(() => parseDnsQuery(query.subarray(0, n))).not.toThrow();
    for (let i = 0; i < query.length; i++) {
      for (const value of [0, 0x3f, 0x40, 0x80, 0xc0, 0xff]) {
        const bad = query.slice();
        bad[i] = value;
        const parsed = parseDnsQuery(bad);
        if (parsed.kind !== 'drop') expect(() => encodeDnsAnswer(parsed.kind === 'query' ? parsed.query : parsed.header, { rcode: 2 })).not.toThrow();
      }
    }
  });
});

describe('encodeDnsAnswer', () => {
  it('echoes id, RD and the question; sets QR and RA; puts the rcode in', () => {
    const query = dnsQuery('example.org', DnsType.A);
    const parsed = parseDnsQuery(query);
    if (parsed.kind !== 'query') throw new Error('not a query');
    const answer = encodeDnsAnswer(parsed.query, { rcode: DnsRcode.SERVFAIL });
    expect(Array.from(answer.subarray(0, 12))).toEqual([0x12, 0x34, 0x81, 0x82, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(answer.subarray(12)).toEqual(query.subarray(12));
  });

  it('writes A records pointing at the question name, authoritative for local names', () => {
    const parsed = parseDnsQuery(dnsQuery('web', DnsType.A, { id: 7 }));
    if (parsed.kind !== 'query') throw new Error('not a query');
    const answer = encodeDnsAnswer(parsed.query, {
      rcode: 0,
      authoritative: true,
      answers: [{ name: 'web', type: DnsType.A, ttl: 600, data: ipv4Data('172.17.0.2') }],
    });
    expect(Array.from(answer.subarray(0, 12))).toEqual([0, 7, 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(answer.subarray(12 + 9))).toEqual([0xc0, 12, 0, 1, 0, 1, 0, 0, 2, 0x58, 0, 4, 172, 17, 0, 2]);
  });

  it('answers a query without a usable question with the header alone', () => {
    const answer = encodeDnsAnswer({ id: 9, opcode: 0, recursionDesired: false }, { rcode: DnsRcode.FORMERR });
    expect(Array.from(answer)).toEqual([0, 9, 0x80, 0x81, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('leaves out records that would not fit a 512-byte datagram', () => {
    const parsed = parseDnsQuery(dnsQuery('many', DnsType.A));
    if (parsed.kind !== 'query') throw new Error('not a query');
    const answers = Array.from({ length: 100 }, (_, i) => ({ name: 'many', type: DnsType.A, ttl: 1, data: ipv4Data(`10.0.0.${i}`) }));
    const answer = encodeDnsAnswer(parsed.query, { rcode: 0, answers });
    expect(answer.length).toBeLessThanOrEqual(MAX_UDP_ANSWER);
    expect((answer[6]! << 8) | answer[7]!).toBe(Math.floor((MAX_UDP_ANSWER - 12 - 10) / 16));
  });

  it('names reverse lookups as in-addr.arpa', () => {
    expect(reverseName('172.17.0.2')).toBe('2.0.17.172.in-addr.arpa');
  });
});
