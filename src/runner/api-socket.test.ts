// The API server on a real unix socket, driven by Node's http client and by the real docker CLI.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notFound } from '../engine/api/errors.ts';
import { addPingRoutes, empty, encodeStdFrame, hijack, HttpApiServer, json, Router, StdFrameDecoder, StdStream, stream } from '../engine/api/http/index.ts';
import { readText } from '../lib/streams.ts';
import { API_VERSION, ENGINE_VERSION, MIN_API_VERSION } from '../engine/version.ts';
import { type ApiSocketListener, listenApiSocket } from './api-socket.ts';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** What the test's streaming and hijacking handlers report back. */
const events = {
  proceed: deferred(),
  closed: deferred<boolean>(),
};

function testRouter(): Router {
  return addPingRoutes(new Router(), { builderVersion: '1' })
    .get('/version', () =>
      json(200, {
        Platform: { Name: 'Slipway' },
        Components: [{ Name: 'Engine', Version: ENGINE_VERSION, Details: { ApiVersion: API_VERSION, Arch: '386', MinAPIVersion: MIN_API_VERSION, Os: 'linux' } }],
        Version: ENGINE_VERSION,
        ApiVersion: API_VERSION,
        MinAPIVersion: MIN_API_VERSION,
        GitCommit: 'test',
        GoVersion: 'none',
        Os: 'linux',
        Arch: '386',
        KernelVersion: '6.1.0',
        BuildTime: '2025-01-01T00:00:00.000000000+00:00',
      }),
    )
    .get('/containers/json', (req) => json(200, req.query.bool('all') ? [] : []))
    .delete('/containers/{name:.*}', (req) => {
      throw notFound(`No such container: ${req.params.name}`);
    })
    .post('/build', async (req) => json(200, { size: (await readText(req.body)).length }))
    .put('/containers/{name:.*}/archive', async (req) => json(200, { text: await readText(req.body) }))
    .get('/events', (req) =>
      stream(200, 'application/json', async (out) => {
        await out.write('{"n":1}\n');
        await events.proceed.promise;
        await out.write('{"n":2}\n');
        for (let n = 3; ; n++) {
          const tick = new Promise((resolve) => setTimeout(resolve, 10));
          if ((await Promise.race([req.closed.then(() => 'closed'), tick])) === 'closed') break;
          await out.write(`{"n":${n}}\n`).catch(() => {});
        }
        events.closed.resolve(req.signal.aborted);
      }),
    )
    .post('/containers/{name:.*}/attach', () =>
      hijack({ multiplexed: true }, async (conn) => {
        for await (const chunk of conn.input) await conn.output.write(encodeStdFrame(StdStream.stdout, chunk));
        await conn.output.write(encodeStdFrame(StdStream.stderr, 'stdin closed\n'));
      }),
    )
    .post('/containers/{name:.*}/start', () => empty(204));
}

let dir: string;
let socketPath: string;
let listener: ApiSocketListener;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-api-'));
  socketPath = join(dir, 'docker.sock');
  listener = await listenApiSocket(socketPath, new HttpApiServer({ router: testRouter() }));
});

afterAll(async () => {
  await listener.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  res: IncomingMessage;
  body: string;
}

function call(method: string, path: string, options: { body?: string | string[]; headers?: Record<string, string>; agent?: Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers: options.headers, agent: options.agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ res, body }));
    });
    req.on('error', reject);
    for (const part of [options.body ?? []].flat()) req.write(part);
    req.end();
  });
}

describe('the API server on a unix socket, through Node http', () => {
  it('serves two requests on one kept-alive connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await call('GET', '/_ping', { agent });
    const second = await call('GET', '/v1.50/version', { agent });
    expect(first.body).toBe('OK');
    expect(first.res.headers['api-version']).toBe('1.50');
    expect(JSON.parse(second.body).ApiVersion).toBe('1.50');
    expect(second.res.socket).toBe(first.res.socket);
    agent.destroy();
  });

  it('reads a chunked request body', async () => {
    const { res, body } = await call('POST', '/build', { body: ['a'.repeat(70000), 'b'.repeat(5000)], headers: { 'Content-Type': 'application/x-tar' } });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(body)).toEqual({ size: 75000 });
  });

  it('answers Expect: 100-continue', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request({ socketPath, method: 'PUT', path: '/containers/c/archive?path=/', headers: { Expect: '100-continue', 'Content-Length': '5' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      });
      req.on('continue', () => req.end('hello'));
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(JSON.parse(answer)).toEqual({ text: 'hello' });
  });

  it('refuses versions out of range and unknown paths as moby does', async () => {
    const old = await call('GET', '/v1.20/version');
    expect([old.res.statusCode, old.body]).toEqual([400, 'client version 1.20 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version\n']);
    const unknown = await call('GET', '/v1.50/nothing');
    expect([unknown.res.statusCode, JSON.parse(unknown.body)]).toEqual([404, { message: 'page not found' }]);
  });

  it('streams a response incrementally and notices the client leaving mid-stream', async () => {
    const firstLine = deferred<string>();
    const secondLine = deferred<string>();
    const req = request({ socketPath, path: '/events' }, (res) => {
      let seen = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        seen += chunk;
        if (seen.includes('{"n":1}')) firstLine.resolve(seen);
        if (seen.includes('{"n":2}')) secondLine.resolve(seen);
      });
      res.on('error', () => {});
    });
    req.on('error', () => {});
    req.end();
    // The first line arrives while the handler still waits to produce the second.
    expect(await firstLine.promise).toBe('{"n":1}\n');
    events.proceed.resolve();
    expect(await secondLine.promise).toContain('{"n":2}\n');
    req.destroy();
    expect(await events.closed.promise).toBe(true);
    // The server goes on serving.
    expect((await call('GET', '/_ping')).body).toBe('OK');
  });

  it('hijacks an upgrading attach: 101, stdin in, multiplexed output back until stdin closes', async () => {
    const { res, socket, head } = await new Promise<{ res: IncomingMessage; socket: Socket; head: Buffer }>((resolve, reject) => {
      const req = request({
        socketPath,
        method: 'POST',
        path: '/v1.50/containers/web/attach?stream=1&stdin=1&stdout=1&stderr=1',
        headers: { Connection: 'Upgrade', Upgrade: 'tcp' },
      });
      req.on('upgrade', (r, s, h) => resolve({ res: r, socket: s, head: h }));
      req.on('response', (r) => reject(new Error(`no upgrade: ${r.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    expect(res.statusCode).toBe(101);
    expect(res.statusMessage).toBe('UPGRADED');
    expect(res.headers['content-type']).toBe('application/vnd.docker.multiplexed-stream');
    const received: Buffer[] = [head];
    const ended = new Promise<void>((resolve) => socket.on('end', resolve));
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.write('ping\n');
    socket.end();
    await ended;
    const frames = new StdFrameDecoder().push(new Uint8Array(Buffer.concat(received)));
    expect(frames.map((f) => [f.stream, Buffer.from(f.data).toString()])).toEqual([
      [1, 'ping\n'],
      [2, 'stdin closed\n'],
    ]);
    socket.destroy();
  });
});

/** The docker CLI on PATH, if any: it proves the negotiation headers and error bodies are right. */
function docker(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, DOCKER_HOST: `unix://${socketPath}`, DOCKER_CONFIG: join(dir, 'docker-config') };
    execFile('docker', args, { env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const dockerOnPath = await new Promise<boolean>((resolve) => execFile('docker', ['--version'], (error) => resolve(!error)));
if (!dockerOnPath) console.warn('api-socket.test.ts: `docker` is not on PATH; the docker CLI tests are skipped');

describe.skipIf(!dockerOnPath)('the API server, through the real docker CLI', () => {
  it('negotiates API 1.50 and reads /version', async () => {
    const result = await docker(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Client.APIVersion}}']);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(`${ENGINE_VERSION} ${API_VERSION} ${API_VERSION}`);
    expect(result.code).toBe(0);
  });

  it('lists with a query and prints the daemon\'s error messages', async () => {
    expect(await docker(['ps', '-a', '-q'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const removed = await docker(['rm', 'nope']);
    expect(removed.stderr.trim()).toBe('Error response from daemon: No such container: nope');
    expect(removed.code).toBe(1);
  });

  it('is refused by the CLI when it asks for a version the server does not serve', async () => {
    const env = await docker(['--version']);
    expect(env.code).toBe(0);
    const result = await new Promise<{ stderr: string }>((resolve) =>
      execFile('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, DOCKER_HOST: `unix://${socketPath}`, DOCKER_API_VERSION: '1.12', DOCKER_CONFIG: join(dir, 'docker-config') } }, (_e, _o, stderr) =>
        resolve({ stderr }),
      ),
    );
    expect(result.stderr).toContain('client version 1.12 is too old. Minimum supported API version is 1.24');
  });
});
