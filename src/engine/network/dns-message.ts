// The DNS wire format as a stub server needs it (RFC 1035): read a query's header and question,
// write an answer. Nothing here throws on bad input: a query is either usable, answerable only
// with an error code, or not worth an answer at all.

export const DnsType = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;
export const DnsClass = { IN: 1, ANY: 255 } as const;
export const DnsRcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

const HEADER_SIZE = 12;
const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const RA = 0x0080;
const OPCODE_SHIFT = 11;
const OPCODE_QUERY = 0;
/** RFC 1035: a name is at most 255 octets on the wire, a label at most 63. */
const MAX_NAME = 255;
const MAX_LABEL = 63;
/**
 * Without EDNS a UDP answer must fit 512 bytes. Queries carrying an OPT record are answered
 * within 512 too: this server has no EDNS and no TCP, and its own answers are a few records.
 */
export const MAX_UDP_ANSWER = 512;

export interface DnsQuestion {
  /** Lower-case, dot-separated, no trailing dot ('' is the root); dots inside a label as `\.`. */
  name: string;
  type: number;
  class: number;
}

export interface DnsHeader {
  id: number;
  opcode: number;
  recursionDesired: boolean;
}

export interface DnsQuery extends DnsHeader {
  question: DnsQuestion;
  /** The question section as received, echoed in the answer. */
  questionBytes: Uint8Array;
}

export type ParsedQuery =
  /** Too short for a header, or not a query: answering could feed a loop between servers. */
  | { kind: 'drop'; reason: string }
  /** A query this server can only refuse: the code goes back with the query's id. */
  | { kind: 'error'; header: DnsHeader; rcode: number; reason: string }
  | { kind: 'query'; query: DnsQuery };

/** One answer record; `data` is the RDATA as it goes on the wire. */
export interface DnsRecord {
  name: string;
  type: number;
  ttl: number;
  data: Uint8Array;
}

export function parseDnsQuery(bytes: Uint8Array): ParsedQuery {
  if (bytes.length < HEADER_SIZE) return { kind: 'drop', reason: `${bytes.length} bytes is shorter than a DNS header` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint16(2);
  if (flags & QR) return { kind: 'drop', reason: 'a response, not a query' };
  const header: DnsHeader = { id: view.getUint16(0), opcode: (flags >> OPCODE_SHIFT) & 0xf, recursionDesired: (flags & RD) !== 0 };
  if (header.opcode !== OPCODE_QUERY) return { kind: 'error', header, rcode: DnsRcode.NOTIMP, reason: `opcode ${header.opcode}` };
  const questions = view.getUint16(4);
  if (questions !== 1) return { kind: 'error', header, rcode: DnsRcode.FORMERR, reason: `${questions} questions` };
  const name = readName(bytes, HEADER_SIZE);
  if (typeof name === 'string') return { kind: 'error', header, rcode: DnsRcode.FORMERR, reason: name };
  if (name.end + 4 > bytes.length) return { kind: 'error', header, rcode: DnsRcode.FORMERR, reason: 'question cut short' };
  const question = { name: name.name, type: view.getUint16(name.end), class: view.getUint16(name.end + 2) };
  return { kind: 'query', query: { ...header, question, questionBytes: bytes.slice(HEADER_SIZE, name.end + 4) } };
}

/**
 * Reads the name at `offset`, following compression pointers (only backwards, so a loop is
 * impossible). Returns the name and where the name ends in place, or why it is malformed.
 */
function readName(bytes: Uint8Array, offset: number): { name: string; end: number } | string {
  const labels: string[] = [];
  let wireLength = 1;
  let at = offset;
  let end = -1;
  for (;;) {
    if (at >= bytes.length) return 'name runs past the message';
    const length = bytes[at]!;
    if ((length & 0xc0) === 0xc0) {
      if (at + 1 >= bytes.length) return 'name runs past the message';
      const target = ((length & 0x3f) << 8) | bytes[at + 1]!;
      if (target >= at) return 'compression pointer does not point backwards';
      if (end < 0) end = at + 2;
      at = target;
      continue;
    }
    // 0x40 and 0x80 are the extended and reserved label types: no label is longer than 63.
    if (length & 0xc0) return `label type 0x${(length & 0xc0).toString(16)}`;
    if (length === 0) break;
    wireLength += length + 1;
    if (wireLength > MAX_NAME) return 'name longer than 255 octets';
    if (at + 1 + length > bytes.length) return 'name runs past the message';
    labels.push(labelText(bytes.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  return { name: labels.join('.'), end: end < 0 ? at + 1 : end };
}

/** ASCII letters folded to lower case (names compare case-insensitively); other octets kept. */
function labelText(label: Uint8Array): string {
  let text = '';
  for (const octet of label) {
    const ch = octet >= 0x41 && octet <= 0x5a ? octet + 0x20 : octet;
    text += ch === 0x2e || ch === 0x5c ? `\\${String.fromCharCode(ch)}` : String.fromCharCode(ch);
  }
  return text;
}

export interface DnsAnswer {
  rcode: number;
  answers?: readonly DnsRecord[];
  /** Set for names this server owns (containers' names), not for names it looked up. */
  authoritative?: boolean;
}

/**
 * The answer to `query` (or, without a question, to a query that had none usable). Records that
 * would not fit MAX_UDP_ANSWER are left out without setting TC: there is no TCP service to retry
 * on, and a shorter list of a name's addresses is still a correct one.
 */
export function encodeDnsAnswer(query: DnsHeader & { question?: DnsQuestion; questionBytes?: Uint8Array }, answer: DnsAnswer): Uint8Array {
  const question = query.questionBytes ?? new Uint8Array(0);
  const records: Uint8Array[] = [];
  let size = HEADER_SIZE + question.length;
  for (const record of answer.answers ?? []) {
    const encoded = encodeRecord(record, query.question);
    if (size + encoded.length > MAX_UDP_ANSWER) break;
    records.push(encoded);
    size += encoded.length;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let flags = QR | (query.opcode << OPCODE_SHIFT) | RA | (answer.rcode & 0xf);
  if (query.recursionDesired) flags |= RD;
  if (answer.authoritative) flags |= AA;
  view.setUint16(0, query.id);
  view.setUint16(2, flags & ~TC);
  view.setUint16(4, question.length ? 1 : 0);
  view.setUint16(6, records.length);
  out.set(question, HEADER_SIZE);
  let at = HEADER_SIZE + question.length;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

function encodeRecord(record: DnsRecord, question: DnsQuestion | undefined): Uint8Array {
  // The question's name sits right after the header: point there instead of repeating it.
  const name = question && record.name.toLowerCase() === question.name ? Uint8Array.of(0xc0, HEADER_SIZE) : encodeName(record.name);
  const out = new Uint8Array(name.length + 10 + record.data.length);
  const view = new DataView(out.buffer);
  out.set(name, 0);
  view.setUint16(name.length, record.type);
  view.setUint16(name.length + 2, DnsClass.IN);
  view.setUint32(name.length + 4, record.ttl);
  view.setUint16(name.length + 8, record.data.length);
  out.set(record.data, name.length + 10);
  return out;
}

/**
 * A query as a stub resolver sends it: one question of class IN, recursion desired (flags are the
 * header's second u16, for tests that need others). For resolvers that ask servers further out.
 */
export function encodeDnsQuery(name: string, type: number, { id = 0x1234, flags = RD, questions = 1 } = {}): Uint8Array {
  const encodedName = encodeName(name);
  const out = new Uint8Array(HEADER_SIZE + encodedName.length + 4);
  const view = new DataView(out.buffer);
  view.setUint16(0, id);
  view.setUint16(2, flags);
  view.setUint16(4, questions);
  out.set(encodedName, HEADER_SIZE);
  view.setUint16(HEADER_SIZE + encodedName.length, type);
  view.setUint16(HEADER_SIZE + encodedName.length + 2, DnsClass.IN);
  return out;
}

/** A name in wire form (for names this server makes up: container names, reverse names). */
export function encodeName(name: string): Uint8Array {
  const labels = name.split('.').filter(Boolean);
  const bytes: number[] = [];
  for (const label of labels) {
    const octets = new TextEncoder().encode(label).subarray(0, MAX_LABEL);
    bytes.push(octets.length, ...octets);
  }
  bytes.push(0);
  return Uint8Array.from(bytes);
}

export function ipv4Data(address: string): Uint8Array {
  return Uint8Array.from(address.split('.').map(Number));
}

/** `172.17.0.2` → `2.0.17.172.in-addr.arpa`, the name a PTR query asks about. */
export function reverseName(address: string): string {
  return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
}
