// A minimal Engine API client over a unix socket for conformance tests: one request, its status,
// headers and body (parsed when JSON), or the first lines of a streamed body.
import { request } from 'node:http';

export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  /** The body parsed as JSON when it is JSON, else its text. */
  body: unknown;
}

export function apiRequest(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
  /** `lines`: the body is JSON lines (a stream), parsed one by one. */
  options: { raw?: Buffer; contentType?: string; lines?: boolean } = {},
): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const payload = options.raw ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
    const req = request(
      { socketPath, method, path, headers: payload ? { 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': payload.length } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          const isJson = /application\/json/.test(res.headers['content-type'] ?? '') && text.trim() !== '';
          let parsed: unknown = text;
          if (isJson && options.lines) {
            parsed = text.trim().split('\n').map((line) => JSON.parse(line));
          } else if (isJson) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = text.trim().split('\n').map((line) => JSON.parse(line));
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The first `count` JSON lines of a streamed answer (events, stats), then the request is dropped. */
export function apiLines(socketPath: string, path: string, count: number): Promise<{ status: number; lines: unknown[] }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: 'GET', path }, (res) => {
      let text = '';
      const lines: unknown[] = [];
      const done = () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, lines });
      };
      res.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        let nl;
        while ((nl = text.indexOf('\n')) >= 0 && lines.length < count) {
          lines.push(JSON.parse(text.slice(0, nl)));
          text = text.slice(nl + 1);
        }
        if (lines.length >= count) done();
      });
      res.on('end', done);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Splits stdcopy frames (8-byte headers) into [stream, text] pairs. */
export function demux(raw: Buffer): [number, string][] {
  const out: [number, string][] = [];
  for (let i = 0; i + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(i + 4);
    out.push([raw[i]!, raw.subarray(i + 8, i + 8 + size).toString('utf8')]);
    i += 8 + size;
  }
  return out;
}

/** A ustar archive of regular files (for PUT /containers/{id}/archive). */
export function tarOf(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const header = Buffer.alloc(512);
    header.write(name, 0);
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
