import { describe, expect, it } from 'vitest';
import { RequestBody } from './body.ts';
import { bodyFraming, HttpParseError, readRequestHead } from './head.ts';
import { BufferedReader } from './reader.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A source that hands out `bytes` in the given pieces. */
function source(pieces: Uint8Array[]) {
  const queue = [...pieces];
  const read = async () => queue.shift() ?? null;
  return {
    read,
    async *[Symbol.asyncIterator]() {
      for (let c = await read(); c !== null; c = await read()) yield c;
    },
  };
}

function splitAt(bytes: Uint8Array, ...cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts, bytes.length];
  return points.slice(1).map((end, i) => bytes.slice(points[i], end)).filter((p) => p.length > 0);
}

const REQUEST =
  'POST /v1.50/build?t=app HTTP/1.1\r\nHost: docker\r\nX-Registry-Config: e30=\r\nx-multi: a\r\nX-Multi: b\r\n' +
  'Transfer-Encoding: chunked\r\n\r\n4\r\nab\r\n\r\n3;x=y\r\ncde\r\n0\r\nTrailer: 1\r\n\r\nGET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n';

describe('request heads and bodies', () => {
  it('parses the same two requests whatever the cut points', async () => {
    const bytes = encoder.encode(REQUEST);
    for (let a = 1; a < bytes.length; a += 3) {
      for (const b of [a + 1, a + 7, bytes.length - 1]) {
        if (b <= a || b >= bytes.length) continue;
        const reader = new BufferedReader(source(splitAt(bytes, a, b)));
        const head = (await readRequestHead(reader, 4096))!;
        expect(head.method).toBe('POST');
        expect(head.target).toBe('/v1.50/build?t=app');
        expect(head.headers.get('host')).toBe('docker');
        expect(head.headers.getAll('X-MULTI')).toEqual(['a', 'b']);
        const body = new RequestBody(reader, bodyFraming(head));
        const parts: string[] = [];
        for await (const chunk of body) parts.push(decoder.decode(chunk));
        expect(parts.join(''), `cut at ${a},${b}`).toBe('ab\r\ncde');
        const next = (await readRequestHead(reader, 4096))!;
        expect(next.target).toBe('/_ping');
        expect(await readRequestHead(reader, 4096)).toBeNull();
      }
    }
  });

  it('accepts bare LF line ends and leading blank lines, and reports HTTP/1.0', async () => {
    const reader = new BufferedReader(source([encoder.encode('\r\nGET / HTTP/1.0\nA: 1\n\n')]));
    const head = (await readRequestHead(reader, 100))!;
    expect([head.minor, head.headers.get('a')]).toEqual([0, '1']);
  });

  it('refuses what Go refuses', async () => {
    const status = async (text: string, limit = 4096) => {
      try {
        const head = await readRequestHead(new BufferedReader(source([encoder.encode(text)])), limit);
        if (head) bodyFraming(head);
        return 'ok';
      } catch (e) {
        return e instanceof HttpParseError ? `${e.status}${e.reason ? ' ' + e.reason : ''}` : String(e);
      }
    };
    expect(await status('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('ok');
    expect(await status('GET / HTTP/1.1\r\nHost: x\r\n')).toBe('400');
    expect(await status('GET / HTTP/1.1\r\n\r\n')).toBe('400 missing required Host header');
    expect(await status('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n')).toBe('400 too many Host headers');
    expect(await status('GET /\r\n\r\n')).toBe('400 malformed request line');
    expect(await status('G(T / HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('400 invalid method');
    expect(await status('GET / HTTP/1.x\r\nHost: x\r\n\r\n')).toBe('400 malformed HTTP version');
    expect(await status('GET / HTTP/3.0\r\nHost: x\r\n\r\n')).toBe('505');
    expect(await status('GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n')).toBe('400 malformed MIME header line');
    expect(await status('GET / HTTP/1.1\r\nHost : x\r\n\r\n')).toBe('400 malformed MIME header line');
    expect(await status(`GET / HTTP/1.1\r\nHost: x\r\nA: ${'b'.repeat(100)}\r\n\r\n`, 64)).toBe('431');
    expect(await status(`GET / HTTP/1.1\r\nHost: x\r\n${'A: b\r\n'.repeat(20)}\r\n`, 64)).toBe('431');
    expect(await status('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')).toBe('400');
    expect(await status('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n')).toBe('400');
    expect(await status('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n')).toBe('501');
  });

  it('prefers chunked over Content-Length and ignores Transfer-Encoding in HTTP/1.0', async () => {
    const framing = async (text: string) => bodyFraming((await readRequestHead(new BufferedReader(source([encoder.encode(text)])), 4096))!);
    expect(await framing('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: Chunked\r\n\r\n')).toEqual({ kind: 'chunked' });
    expect(await framing('POST / HTTP/1.0\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n')).toEqual({ kind: 'length', length: 3 });
    expect(await framing('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n')).toEqual({ kind: 'none' });
  });

  it('fails a body cut short with "unexpected EOF"', async () => {
    const reader = new BufferedReader(source([encoder.encode('abc')]));
    const body = new RequestBody(reader, { kind: 'length', length: 5 });
    expect(decoder.decode((await body.read())!)).toBe('abc');
    await expect(body.read()).rejects.toThrow('unexpected EOF');
    expect(body.failed).toBe(true);
  });
});
