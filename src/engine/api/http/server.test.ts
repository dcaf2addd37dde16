import { describe, expect, it } from 'vitest';
import { readText } from '../../../lib/streams.ts';
import { ReferenceError } from '../../../lib/reference.ts';
import { DaemonError } from '../../container/state.ts';
import { ImageError } from '../../image/store/errors.ts';
import { ApiError, conflict, notFound } from '../errors.ts';
import { addPingRoutes } from './ping.ts';
import { type ApiRequest, empty, hijack, json, stream } from './response.ts';
import { Router } from './router.ts';
import { HttpApiServer, type HttpServerOptions } from './server.ts';
import { encodeStdFrame, StdFrameDecoder, StdStream } from './stdcopy.ts';
import { TestClient } from './testing/pipe.ts';

const encoder = new TextEncoder();

function setup(register: (router: Router) => void = () => {}, options: Partial<HttpServerOptions> & { withGoneSignal?: boolean } = {}) {
  const router = addPingRoutes(new Router(), { builderVersion: '1' });
  register(router);
  const logs: string[] = [];
  // A short linger: these clients never close their side, so each closing connection waits it out.
  const server = new HttpApiServer({ router, now: () => new Date(0), log: (line) => logs.push(line), ...options, limits: { lingerMs: 20, ...options.limits } });
  const client = new TestClient({ withGoneSignal: options.withGoneSignal });
  const served = server.serve(client.connection);
  return { client, served, logs, server };
}

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: docker\r\n${extra}\r\n`;

/** A promise with its resolver, to let a test step a handler along. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('HttpApiServer over an in-memory connection', () => {
  it('answers /_ping with moby headers and keeps the connection for a second request', async () => {
    const { client, served } = setup();
    await client.send(get('/_ping'));
    const first = await client.response();
    expect(first.status).toBe(200);
    expect(first.body).toBe('OK');
    expect(first.headers).toMatchObject({
      'api-version': '1.50',
      'docker-experimental': 'false',
      ostype: 'linux',
      server: 'Docker/0.1.0 (linux)',
      'cache-control': 'no-cache, no-store, must-revalidate',
      pragma: 'no-cache',
      'builder-version': '1',
      swarm: 'inactive',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': '2',
      date: 'Thu, 01 Jan 1970 00:00:00 GMT',
    });
    expect(first.headers.connection).toBeUndefined();

    await client.send(`HEAD /_ping HTTP/1.1\r\nHost: docker\r\n\r\n`);
    const second = await client.response();
    expect(second.status).toBe(200);
    expect(second.headers['content-length']).toBe('0');
    expect(second.body).toBe('');

    client.endRequests();
    await served;
    expect(client.closedByServer).toBe(true);
  });

  it('answers pipelined requests in order', async () => {
    const { client } = setup((r) => r.get('/echo/{word}', (req) => json(200, req.params.word)));
    await client.send(get('/echo/one') + get('/echo/two') + get('/echo/three'));
    expect((await client.response()).body).toBe('"one"\n');
    expect((await client.response()).body).toBe('"two"\n');
    expect((await client.response()).body).toBe('"three"\n');
  });

  it('closes after a response to Connection: close and to HTTP/1.0', async () => {
    const a = setup();
    await a.client.send(get('/_ping', 'Connection: close\r\n'));
    const text = await a.client.readAll();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('\r\nConnection: close\r\n');
    await a.served;

    const b = setup();
    await b.client.send('GET /_ping HTTP/1.0\r\n\r\n');
    expect(await b.client.readAll()).toMatch(/^HTTP\/1\.0 200 OK\r\n[^]*\r\n\r\nOK$/);
    await b.served;
  });

  it('strips the version prefix, records the version, and refuses versions out of range as moby does', async () => {
    const seen: ApiRequest[] = [];
    const { client } = setup((r) => r.get('/version', (req) => (seen.push(req), json(200, { v: req.version }))));
    await client.send(get('/v1.43/version') + get('/version'));
    expect((await client.response()).body).toBe('{"v":"1.43"}\n');
    expect((await client.response()).body).toBe('{"v":"1.50"}\n');
    expect(seen.map((r) => r.path)).toEqual(['/version', '/version']);

    await client.send(get('/v1.12/version'));
    const old = await client.response();
    expect(old.status).toBe(400);
    expect(old.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(old.body).toBe('client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version\n');
    expect(old.headers['api-version']).toBe('1.50');
    expect(old.headers['docker-experimental']).toBeUndefined();

    await client.send(get('/v1.51/version'));
    const tooNew = await client.response();
    expect(tooNew.status).toBe(400);
    expect(tooNew.headers['content-type']).toBe('application/json');
    expect(tooNew.body).toBe('{"message":"client version 1.51 is too new. Maximum supported API version is 1.50"}\n');
    expect(seen).toHaveLength(2);
  });

  it('answers unknown paths and methods 404 "page not found" without the middleware headers', async () => {
    const { client } = setup();
    for (const request of [get('/nope'), get('/v1.12/nope'), `DELETE /_ping HTTP/1.1\r\nHost: x\r\n\r\n`, get('/_ping/')]) {
      await client.send(request);
      const r = await client.response();
      expect([r.status, r.body, r.headers['content-type']]).toEqual([404, '{"message":"page not found"}\n', 'application/json']);
      expect(r.headers['api-version']).toBeUndefined();
    }
  });

  it('redirects a path that is not clean, as gorilla/mux does', async () => {
    const { client } = setup();
    await client.send(get('/v1.50//containers/../_ping?x=1'));
    const r = await client.response();
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/v1.50/_ping?x=1');
  });

  it('answers OPTIONS on any path 200', async () => {
    const { client } = setup();
    await client.send(`OPTIONS /anything/at/all HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect((await client.response()).status).toBe(200);
  });

  it('matches names holding slashes and decodes parameters', async () => {
    const { client } = setup((r) =>
      r
        .get('/images/json', () => json(200, 'list'))
        .get('/images/{name:.*}/json', (req) => json(200, req.params.name))
        .delete('/containers/{name:.*}', (req) => json(200, req.params.name)),
    );
    await client.send(get('/v1.50/images/json') + get('/images/docker.io/library/busybox:latest/json') + get('/images/a%2Fb%20c/json'));
    expect((await client.response()).body).toBe('"list"\n');
    expect((await client.response()).body).toBe('"docker.io/library/busybox:latest"\n');
    expect((await client.response()).body).toBe('"a/b c"\n');
    await client.send(`DELETE /containers/web?force=1 HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect((await client.response()).body).toBe('"web"\n');
  });

  it('parses the query: booleans, repeats, filters; a bad escape is 400', async () => {
    const { client } = setup((r) =>
      r.get('/containers/json', (req) =>
        json(200, {
          all: req.query.bool('all'),
          size: req.query.boolOr('size', true),
          limit: req.query.intOr('limit', -1),
          filters: [...req.query.filters()],
          labels: req.query.getAll('label'),
        }),
      ),
    );
    const filters = encodeURIComponent(JSON.stringify({ status: { running: true, exited: true }, label: { 'a=b': true } }));
    await client.send(get(`/containers/json?all=True&limit=3&label=x&label=y+z&filters=${filters}`));
    expect(JSON.parse((await client.response()).body)).toEqual({
      all: true,
      size: true,
      limit: 3,
      filters: [
        ['status', ['running', 'exited']],
        ['label', ['a=b']],
      ],
      labels: ['x', 'y z'],
    });
    await client.send(get('/containers/json?all=%zz'));
    const bad = await client.response();
    expect([bad.status, bad.body]).toEqual([400, '{"message":"invalid URL escape \\"%zz\\""}\n']);
    await client.send(get('/containers/json?filters=%7Bnope'));
    expect((await client.response()).body).toBe('{"message":"invalid filter"}\n');
  });

  it('answers thrown errors with their kind and {"message"}: the daemon\'s errors, a bad reference, a wrapped cause', async () => {
    const { client, logs } = setup(
      (r) =>
        r
          .get('/a', () => {
            throw notFound('No such container: a');
          })
          .get('/b', async () => {
            throw conflict('You cannot remove a running container');
          })
          .get('/c', () => {
            throw new DaemonError('refused', 'forbidden');
          })
          .get('/d', () => {
            throw new Error('boom', { cause: new ApiError('unavailable', 'inner') });
          })
          .get('/e', () => {
            throw new TypeError('oops');
          })
          .get('/f', () => {
            throw new ImageError('not-found', 'No such image: nope:latest');
          })
          .get('/g', () => {
            throw new ReferenceError('invalid reference format');
          }),
    );
    await client.send(get('/a') + get('/b') + get('/c') + get('/d') + get('/e') + get('/f') + get('/g'));
    const answers = [];
    for (let i = 0; i < 7; i++) {
      const r = await client.response();
      answers.push([r.status, r.body, r.headers['content-type'], r.headers['api-version']]);
    }
    expect(answers).toEqual([
      [404, '{"message":"No such container: a"}\n', 'application/json', '1.50'],
      [409, '{"message":"You cannot remove a running container"}\n', 'application/json', '1.50'],
      [403, '{"message":"refused"}\n', 'application/json', '1.50'],
      [503, '{"message":"boom"}\n', 'application/json', '1.50'],
      [500, '{"message":"oops"}\n', 'application/json', '1.50'],
      [404, '{"message":"No such image: nope:latest"}\n', 'application/json', '1.50'],
      [400, '{"message":"invalid reference format"}\n', 'application/json', '1.50'],
    ]);
    expect(logs).toEqual(['Handler for GET /d returned error: boom', 'Handler for GET /e returned error: oops']);
  });

  it('answers empty 204 and 304 without length or type', async () => {
    const { client } = setup((r) => r.post('/containers/{name}/start', () => empty(204)).post('/containers/{name}/stop', () => json(304, { message: 'x' })));
    await client.send(`POST /containers/a/start HTTP/1.1\r\nHost: x\r\n\r\nPOST /containers/a/stop HTTP/1.1\r\nHost: x\r\n\r\n`);
    const started = await client.response();
    expect([started.status, started.headers['content-length'], started.headers['content-type']]).toEqual([204, undefined, undefined]);
    const stopped = await client.response();
    expect([stopped.status, stopped.body, stopped.headers['content-type']]).toEqual([304, '', undefined]);
  });

  it('streams a chunked request body to the handler as it arrives', async () => {
    const firstRead = deferred<string>();
    const { client } = setup((r) =>
      r.post('/build', async (req) => {
        const first = await req.body.read();
        firstRead.resolve(new TextDecoder().decode(first!));
        const rest = await readText(req.body);
        return json(200, { first: new TextDecoder().decode(first!), rest });
      }),
    );
    await client.send(`POST /v1.50/build HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-tar\r\n\r\n5;ext=1\r\nhello\r\n`);
    expect(await firstRead.promise).toBe('hello');
    await client.send('6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n');
    expect(JSON.parse((await client.response()).body)).toEqual({ first: 'hello', rest: ' world' });
    await client.send(get('/_ping'));
    expect((await client.response()).body).toBe('OK');
  });

  it('reads JSON bodies as moby ReadJSON does', async () => {
    const { client } = setup((r) => r.post('/containers/create', async (req) => json(201, { got: (await req.json()) ?? null })));
    const post = (body: string, type = 'application/json') =>
      `POST /containers/create HTTP/1.1\r\nHost: x\r\n${type ? `Content-Type: ${type}\r\n` : ''}Content-Length: ${encoder.encode(body).length}\r\n\r\n${body}`;
    const cases: [string, string | undefined, number, string][] = [
      ['{"Image":"busybox"}', undefined, 201, '{"got":{"Image":"busybox"}}\n'],
      ['', undefined, 201, '{"got":null}\n'],
      ['', '', 201, '{"got":null}\n'],
      ['{"Image":"x"}', 'text/plain', 400, `{"message":"unsupported Content-Type header (text/plain): must be 'application/json'"}\n`],
      ['{"Image":"x"}', '', 400, '{"message":"malformed Content-Type header (): mime: no media type"}\n'],
      ['{"Image":', undefined, 400, '{"message":"invalid JSON: unexpected EOF"}\n'],
      ['{"a":1} {"b":2}', undefined, 400, '{"message":"unexpected content after JSON"}\n'],
      ['  ', undefined, 400, '{"message":"invalid JSON: got EOF while reading request body"}\n'],
    ];
    for (const [body, type, status, answer] of cases) {
      await client.send(post(body, type));
      const r = await client.response();
      expect([r.status, r.body], `${body} as ${type}`).toEqual([status, answer]);
    }
  });

  it('sends 100 Continue only when the handler reads the body, and closes when it never did', async () => {
    const { client } = setup((r) => r.put('/containers/{name}/archive', async (req) => json(200, { size: (await readText(req.body)).length })).post('/refuse', () => json(400, { message: 'no' })));
    await client.send(`PUT /containers/a/archive?path=/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n`);
    expect(await client.readUntil((t) => t.includes('\r\n\r\n'))).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    client.consume('HTTP/1.1 100 Continue\r\n\r\n'.length);
    await client.send('hello');
    expect((await client.response()).body).toBe('{"size":5}\n');

    await client.send(`POST /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n`);
    const refused = await client.response();
    expect(refused.status).toBe(400);
    expect(refused.headers.connection).toBe('close');
  });

  it('skips a small unread body and keeps the connection; closes after a large one', async () => {
    const { client } = setup((r) => r.post('/ignore', () => empty(204)), { limits: { maxDiscardBytes: 10 } });
    await client.send(`POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd` + get('/_ping'));
    expect((await client.response()).status).toBe(204);
    expect((await client.response()).body).toBe('OK');
    await client.send(`POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n${'x'.repeat(40)}`);
    expect((await client.response()).headers.connection).toBe('close');
  });

  it('merges a urlencoded form body into the query, as Go ParseForm does', async () => {
    const { client } = setup((r) => r.post('/containers/{name}/kill', (req) => json(200, req.query.getAll('signal'))));
    await client.send(`POST /containers/a/kill?signal=TERM HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\nsignal=HUP`);
    expect((await client.response()).body).toBe('["HUP","TERM"]\n');
  });

  it('streams a response chunk by chunk, each write flushed before the next is produced', async () => {
    const steps = [deferred(), deferred()];
    const { client } = setup((r) =>
      r.get('/events', () =>
        stream(200, 'application/json', async (out) => {
          await out.write('{"status":"start"}\n');
          await steps[0]!.promise;
          await out.write('{"status":"die"}\n');
          await steps[1]!.promise;
        }),
      ),
    );
    await client.send(get('/events'));
    const head = await client.readUntil((t) => t.includes('{"status":"start"}\n\r\n'));
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toContain('Transfer-Encoding: chunked\r\n');
    expect(head).toContain('Content-Type: application/json\r\n');
    expect(head).not.toContain('die');
    steps[0]!.resolve();
    await client.readUntil((t) => t.includes('die'));
    steps[1]!.resolve();
    const r = await client.response();
    expect(r.body).toBe('{"status":"start"}\n{"status":"die"}\n');
    await client.send(get('/_ping'));
    expect((await client.response()).body).toBe('OK');
  });

  it('ends a stream with moby\'s {"message"} when its producer fails after starting', async () => {
    const { client } = setup((r) =>
      r.get('/logs', () =>
        stream(200, 'application/vnd.docker.raw-stream', async (out) => {
          await out.write('line\n');
          throw new Error('log file is gone');
        }),
      ),
    );
    await client.send(get('/logs'));
    expect((await client.response()).body).toBe('line\n{"message":"log file is gone"}\n');
  });

  it('tells a streaming handler when the client goes away, and survives it', async () => {
    const stopped = deferred<string>();
    const { client, served, logs } = setup((r) =>
      r.get('/events', (req) =>
        stream(200, 'application/json', async (out) => {
          await out.write('{"n":0}\n');
          await req.closed;
          stopped.resolve(`closed, aborted=${req.signal.aborted}`);
          await out.write('{"n":1}\n'); // a write to a gone client rejects; the server catches it
        }),
      ),
    );
    await client.send(get('/events'));
    await client.readUntil((t) => t.includes('{"n":0}'));
    client.vanish();
    expect(await stopped.promise).toBe('closed, aborted=true');
    await served;
    expect(logs).toEqual([]);
  });

  it('notices a client that closes its side without a gone signal (a guest socket)', async () => {
    const stopped = deferred();
    const { client, served } = setup(
      (r) =>
        r.get('/events', (req) =>
          stream(200, 'application/json', async () => {
            await req.closed;
            stopped.resolve();
          }),
        ),
      { withGoneSignal: false },
    );
    await client.send(get('/events'));
    await client.readUntil((t) => t.includes('\r\n\r\n'));
    client.endRequests();
    await stopped.promise;
    await served;
  });

  it('hijacks on Upgrade: 101 UPGRADED, multiplexed for non-tty at API 1.42+, then raw bytes both ways', async () => {
    const { client, served } = setup((r) =>
      r.post('/containers/{name:.*}/attach', (req) =>
        hijack({ multiplexed: !req.query.bool('tty') }, async (conn) => {
          const decoder = new TextDecoder();
          for await (const chunk of conn.input) await conn.output.write(encodeStdFrame(StdStream.stdout, decoder.decode(chunk).toUpperCase()));
          await conn.output.write(encodeStdFrame(StdStream.stderr, 'bye'));
          expect(conn.upgraded).toBe(true);
        }),
      ),
    );
    await client.send(`POST /v1.50/containers/web/attach?stream=1&stdin=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nearly `);
    const head = await client.readUntil((t) => t.includes('\r\n\r\n'));
    expect(head.slice(0, head.indexOf('\r\n\r\n') + 4)).toBe(
      'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n' +
        'Api-Version: 1.50\r\nDocker-Experimental: false\r\nOstype: linux\r\nServer: Docker/0.1.0 (linux)\r\n\r\n',
    );
    client.consume(encoder.encode(head.slice(0, head.indexOf('\r\n\r\n') + 4)).length);
    await client.send('hi');
    client.endRequests();
    const raw = encoder.encode(await client.readAll());
    const frames = new StdFrameDecoder().push(raw).map((f) => [f.stream, new TextDecoder().decode(f.data)]);
    expect(frames.map(([, d]) => d).join('')).toBe('EARLY HIbye');
    expect(frames.at(-1)).toEqual([2, 'bye']);
    await served;
  });

  it('hijacks older clients without Upgrade with 200 and raw-stream, and API < 1.42 as raw-stream', async () => {
    const handler = () => hijack({ multiplexed: true }, async (conn) => conn.output.write(conn.upgraded ? 'up' : 'plain'));
    const a = setup((r) => r.post('/exec/{name:.*}/start', handler));
    await a.client.send(`POST /exec/1/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
    const plain = await a.client.readAll();
    expect(plain).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Type: application\/vnd\.docker\.raw-stream\r\n/);
    expect(plain.endsWith('\r\n\r\nplain')).toBe(true);

    const b = setup((r) => r.post('/exec/{name:.*}/start', handler));
    await b.client.send(`POST /v1.41/exec/1/start HTTP/1.1\r\nHost: x\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n\r\n`);
    b.client.endRequests();
    expect(await b.client.readAll()).toMatch(/^HTTP\/1\.1 101 UPGRADED\r\nContent-Type: application\/vnd\.docker\.raw-stream\r\n[^]*\r\n\r\nup$/);
  });

  it('tells a hijacking handler when the client vanishes', async () => {
    const seen = deferred<boolean>();
    const { client, served } = setup((r) =>
      r.post('/containers/{name:.*}/attach', () =>
        hijack({ multiplexed: false }, async (conn) => {
          await conn.closed;
          seen.resolve(conn.signal.aborted);
          await conn.output.write('too late');
        }),
      ),
    );
    await client.send(`POST /containers/a/attach HTTP/1.1\r\nHost: x\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n\r\n`);
    await client.readUntil((t) => t.includes('\r\n\r\n'));
    client.vanish();
    expect(await seen.promise).toBe(true);
    await served;
  });

  it('answers malformed requests 400 and closes', async () => {
    const cases: [string, RegExp][] = [
      ['hello\r\n\r\n', /^HTTP\/1\.1 400 Bad Request\r\n/],
      ['GET /_ping HTTP/1.1\r\n\r\n', /400 Bad Request: missing required Host header$/],
      ['GET /_ping HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', /^HTTP\/1\.1 400 /],
      ['GET /_ping HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n', /^HTTP\/1\.1 400 /],
      ['GET /_ping HTTP/2.0\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 505 /],
      ['GET /_ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n', /^HTTP\/1\.1 501 /],
      ['GET /_ping HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n', /^HTTP\/1\.1 417 /],
      ['GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n', /^HTTP\/1\.1 400 /],
    ];
    for (const [request, answer] of cases) {
      const { client, served } = setup();
      await client.send(request);
      const text = await client.readAll();
      expect(text, request).toMatch(answer);
      expect(text).toContain('Connection: close');
      await served;
    }
  });

  it('answers a head over the limit 431', async () => {
    const { client, served } = setup(() => {}, { limits: { maxHeadBytes: 200 } });
    await client.send(get('/_ping', `X-Big: ${'a'.repeat(300)}\r\n`));
    expect(await client.readAll()).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    await served;
  });

  it('fails a badly chunked body in the handler and closes the connection after answering', async () => {
    const { client, served } = setup((r) => r.post('/build', async (req) => json(200, await readText(req.body))));
    await client.send(`POST /build HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`);
    const r = await client.response();
    expect([r.status, r.body, r.headers.connection]).toEqual([400, '{"message":"invalid byte in chunk length"}\n', 'close']);
    await served;
  });

  it('survives a client that vanishes mid-body and one that sends nothing', async () => {
    const a = setup((r) => r.post('/build', async (req) => json(200, await readText(req.body))));
    await a.client.send(`POST /build HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc`);
    a.client.vanish();
    await a.served;

    const b = setup();
    b.client.endRequests();
    await b.served;
    expect(await b.client.readAll()).toBe('');
  });

  it('drops every connection on dispose; their handlers see closed', async () => {
    const seen = deferred();
    const { client, served, server } = setup((r) =>
      r.get('/events', (req) =>
        stream(200, 'application/json', async () => {
          await req.closed;
          seen.resolve();
        }),
      ),
    );
    await client.send(get('/events'));
    await client.readUntil((t) => t.includes('\r\n\r\n'));
    server.dispose();
    await seen.promise;
    await served;
  });

  it('survives garbage and requests cut anywhere (seeded)', async () => {
    let seed = 42;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const valid = [
      get('/_ping'),
      `POST /build HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`,
      `POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      `POST /containers/a/attach HTTP/1.1\r\nHost: x\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n\r\nstdin`,
    ].join('');
    for (let round = 0; round < 200; round++) {
      const bytes = encoder.encode(valid);
      for (let flips = random(4); flips > 0; flips--) bytes[random(bytes.length)] = random(256);
      const { client, served } = setup((r) =>
        r
          .post('/build', async (req) => json(200, await readText(req.body)))
          .post('/containers/create', async (req) => json(201, await req.json()))
          .post('/containers/{name}/attach', () => hijack({ multiplexed: true }, async (conn) => void (await readText(conn.input)))),
      );
      let at = 0;
      while (at < bytes.length) {
        const next = Math.min(bytes.length, at + 1 + random(40));
        await client.send(bytes.slice(at, next));
        at = next;
      }
      if (random(2) === 0) client.vanish();
      else client.endRequests();
      await served;
    }
  });
});
