// Tar, the one module for it: a reader (ustar, pax extended headers and GNU long names; entries
// borrow their data from the archive as subarray views, so reading copies nothing) and a writer
// (ustar headers with pax records where ustar falls short) for layers, saved trees and archives.

const BLOCK = 512;

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo';

export interface TarEntry {
  /** As stored: relative, no leading `./` removed, directories may end in `/`. */
  path: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  /** The file's bytes (empty for everything but regular files). */
  data: Uint8Array;
}

export class TarError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`tar: ${message} (at byte ${offset})`);
    this.name = 'TarError';
  }
}

const TYPE_FLAGS: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'directory',
  '6': 'fifo',
};

/** The flag an entry of each type is written with. */
export const FLAG_OF_TYPE: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', directory: '5', fifo: '6' };

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function readString(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

/** Octal, or GNU base-256 when the first byte has its high bit set. */
function readNumber(block: Uint8Array, start: number, length: number, offset: number): number {
  const field = block.subarray(start, start + length);
  if (field[0] !== undefined && (field[0] & 0x80) !== 0) {
    let value = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = readString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError(`bad numeric field "${text}"`, offset + start);
  return parseInt(text, 8);
}

function checksumMatches(block: Uint8Array): boolean {
  const stored = readString(block, 148, 8).trim();
  if (!/^[0-7]+$/.test(stored)) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum === parseInt(stored, 8);
}

/** Parses pax records: "<length> <key>=<value>\n" repeated. */
function parsePax(data: Uint8Array, offset: number): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) throw new TarError('bad pax record', offset + at);
    const length = Number(decoder.decode(data.subarray(at, space)));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) {
      throw new TarError('bad pax record length', offset + at);
    }
    const record = decoder.decode(data.subarray(space + 1, at + length - 1));
    const equals = record.indexOf('=');
    if (equals === -1) throw new TarError('pax record without "="', offset + at);
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

function isZeroBlock(block: Uint8Array): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/** Yields the entries of an uncompressed tar archive, pax and GNU metadata already applied. */
export function* readTar(archive: Uint8Array): Generator<TarEntry> {
  let offset = 0;
  let pax = new Map<string, string>();
  let globalPax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (isZeroBlock(header)) return;
    if (!checksumMatches(header)) throw new TarError('header checksum mismatch', offset);
    const flag = String.fromCharCode(header[156] ?? 0);
    const meta = new Map([...globalPax, ...pax]);
    const headerSize = readNumber(header, 124, 12, offset);
    const isMeta = flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';
    const paxSize = isMeta ? undefined : meta.get('size');
    // Links and directories carry no data whatever their size field says.
    const noData = flag === '1' || flag === '2' || flag === '5';
    const size = noData ? 0 : paxSize === undefined ? headerSize : Number(paxSize);
    const dataStart = offset + BLOCK;
    if (!Number.isSafeInteger(size) || dataStart + size > archive.length) {
      throw new TarError('entry runs past the end of the archive', offset);
    }
    const data = archive.subarray(dataStart, dataStart + size);
    const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (flag === 'x' || flag === 'g') {
      const records = parsePax(data, dataStart);
      if (flag === 'x') pax = records;
      else globalPax = new Map([...globalPax, ...records]);
    } else if (flag === 'L' || flag === 'K') {
      const end = data.indexOf(0);
      const text = decoder.decode(end === -1 ? data : data.subarray(0, end));
      if (flag === 'L') longName = text;
      else longLink = text;
    } else {
      const type = TYPE_FLAGS[flag];
      if (type === undefined) throw new TarError(`unsupported entry type "${flag}"`, offset);
      const magic = readString(header, 257, 6);
      const prefix = magic === 'ustar' ? readString(header, 345, 155) : '';
      const name = readString(header, 0, 100);
      const path = meta.get('path') ?? longName ?? (prefix ? `${prefix}/${name}` : name);
      const numberOf = (key: string, fallback: number) => {
        const value = meta.get(key);
        return value === undefined ? fallback : Math.floor(Number(value));
      };
      yield {
        path,
        type,
        mode: readNumber(header, 100, 8, offset) & 0o7777,
        uid: numberOf('uid', readNumber(header, 108, 8, offset)),
        gid: numberOf('gid', readNumber(header, 116, 8, offset)),
        size: type === 'file' ? size : 0,
        mtime: numberOf('mtime', readNumber(header, 136, 12, offset)),
        linkname: meta.get('linkpath') ?? longLink ?? readString(header, 157, 100),
        devmajor: readNumber(header, 329, 8, offset),
        devminor: readNumber(header, 337, 8, offset),
        data: type === 'file' ? data : new Uint8Array(0),
      };
      pax = new Map();
      longName = undefined;
      longLink = undefined;
    }
    offset = next;
  }
}

/** `./a/b/` → `a/b`: the form layer paths are compared in. */
export function normaliseTarPath(path: string): string {
  return path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

// ── writing ──

/** One entry to write: a ustar header (with pax records when needed), then its data. */
export interface TarWriteEntry {
  name: string;
  flag: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  linkname?: string;
  major?: number;
  minor?: number;
  data?: Uint8Array;
}

/**
 * Appends an entry to `parts`: ustar headers, with a pax record for what ustar cannot hold (long
 * or non-ASCII names, big ids or sizes).
 */
export function writeTarEntry(parts: Uint8Array[], entry: Omit<TarWriteEntry, 'size'>): void {
  const data = entry.data ?? new Uint8Array(0);
  const pax = paxRecords({ path: entry.name, linkpath: entry.linkname ?? '', size: data.length, uid: entry.uid, gid: entry.gid });
  if (pax.length) {
    parts.push(header({ name: 'PaxHeader', flag: 'x', size: pax.length, mode: 0o644, uid: 0, gid: 0, mtime: entry.mtime }));
    pushData(parts, pax);
  }
  parts.push(header({ ...entry, size: data.length }));
  pushData(parts, data);
}

/** The end of an archive: two zero blocks. */
export function endTar(parts: Uint8Array[]): void {
  parts.push(new Uint8Array(2 * BLOCK));
}

function header(h: TarWriteEntry & { size: number }): Uint8Array {
  const block = new Uint8Array(BLOCK);
  field(block, 0, 100, h.name);
  field(block, 100, 8, octal(h.mode & 0o7777, 8));
  field(block, 108, 8, octal(fits(h.uid, 8) ? h.uid : 0, 8));
  field(block, 116, 8, octal(fits(h.gid, 8) ? h.gid : 0, 8));
  field(block, 124, 12, octal(fits(h.size, 12) ? h.size : 0, 12));
  field(block, 136, 12, octal(Math.max(0, Math.floor(h.mtime)), 12));
  field(block, 156, 1, h.flag);
  field(block, 157, 100, h.linkname ?? '');
  field(block, 257, 6, 'ustar\0');
  field(block, 263, 2, '00');
  field(block, 329, 8, octal(h.major ?? 0, 8));
  field(block, 337, 8, octal(h.minor ?? 0, 8));
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  field(block, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

/** Pax records for the values a ustar header would truncate; empty when none is needed. */
function paxRecords(values: { path: string; linkpath: string; size: number; uid: number; gid: number }): Uint8Array {
  const records: string[] = [];
  if (!fitsName(values.path)) records.push(record('path', values.path));
  if (!fitsName(values.linkpath)) records.push(record('linkpath', values.linkpath));
  if (!fits(values.size, 12)) records.push(record('size', String(values.size)));
  if (!fits(values.uid, 8)) records.push(record('uid', String(values.uid)));
  if (!fits(values.gid, 8)) records.push(record('gid', String(values.gid)));
  return encoder.encode(records.join(''));
}

/** "LEN key=value\n", where LEN counts its own digits. */
function record(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = encoder.encode(body).length;
  let length = bodyLength + String(bodyLength).length;
  if (String(length).length !== String(bodyLength).length) length += 1;
  return `${length}${body}`;
}

function fitsName(name: string): boolean {
  return name.length <= 100 && /^[\x20-\x7e]*$/.test(name);
}

function fits(value: number, length: number): boolean {
  return value >= 0 && value < 8 ** (length - 1);
}

function field(block: Uint8Array, offset: number, length: number, text: string): void {
  block.set(encoder.encode(text).subarray(0, length), offset);
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

function pushData(parts: Uint8Array[], data: Uint8Array): void {
  if (!data.length) return;
  parts.push(data);
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
  if (pad) parts.push(new Uint8Array(pad));
}
