// A small tar reader for image layers: ustar, pax extended headers and GNU long names.
// Entries borrow their data from the archive (subarray views), so reading copies nothing.

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

const decoder = new TextDecoder();

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
