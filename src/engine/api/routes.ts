// The Engine API over HTTP: moby's routes (API 1.50, oldest 1.24), each reading moby's query
// parameters and body and answering moby's status codes and shapes from EngineApi. Served on the
// guest's /var/run/docker.sock and, from the runner, on a socket of the host machine.
import { invalidParameter, notImplemented } from './errors.ts';
import {
  addPingRoutes,
  compareApiVersions,
  empty,
  encodeStdFrame,
  hijack,
  json,
  Router,
  StdStream,
  stream,
  type ApiRequest,
  type HijackedStream,
  type StreamWriter,
} from './http/index.ts';
import type { AttachedStreams, DiskUsageObject, EngineApi, Filters, OutputFrame } from './types.ts';

const DISK_USAGE_OBJECTS: readonly DiskUsageObject[] = ['container', 'image', 'volume', 'build-cache'];

const filtersOf = (req: ApiRequest): Filters => Object.fromEntries(req.query.filters());

/** moby's timestamps in queries: unix seconds with an optional fraction ("1700000000.5"). */
function unixMs(req: ApiRequest, name: string): number | undefined {
  const text = req.query.get(name);
  if (text === '') return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds)) throw invalidParameter(`invalid value for ${name}: ${JSON.stringify(text)}`);
  return seconds * 1000;
}

/** `t` of stop/restart: absent is the container's own timeout. */
function timeout(req: ApiRequest): number | undefined {
  return req.query.has('t') && req.query.get('t') !== '' ? req.query.intOr('t', 0) : undefined;
}

async function jsonLines(out: StreamWriter, items: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
  for await (const item of items) await out.write(JSON.stringify(item) + '\n');
}

/** Output frames as the connection carries them: stdcopy frames unless the process has a tty. */
function encodeFrame(frame: OutputFrame, tty: boolean): Uint8Array {
  return tty ? frame.data : encodeStdFrame(frame.stream === 'stderr' ? StdStream.stderr : StdStream.stdout, frame.data);
}

/** A hijacked connection wired to attached streams until the process ends or the client leaves. */
async function relay(conn: HijackedStream, streams: AttachedStreams): Promise<void> {
  const stdin = streams.stdin;
  void (async () => {
    for await (const chunk of conn.input) {
      if (!stdin) continue;
      await stdin.write(chunk);
    }
    stdin?.end();
  })().catch(() => undefined);
  void conn.closed.then(() => streams.close());
  try {
    for await (const frame of streams.output) await conn.output.write(encodeFrame(frame, streams.tty));
  } finally {
    streams.close();
    conn.output.end();
  }
}

function containerRoutes(router: Router, api: EngineApi): void {
  router
    .get('/containers/json', async (req) =>
      json(200, await api.containerList({ all: req.query.bool('all'), limit: req.query.intOr('limit', -1), size: req.query.bool('size'), filters: filtersOf(req) })),
    )
    .post('/containers/create', async (req) => {
      const body = (await req.json()) as Parameters<EngineApi['containerCreate']>[0] | undefined;
      if (!body) throw invalidParameter('config cannot be empty in order to create a container');
      const name = req.query.get('name');
      return json(201, await api.containerCreate(body, { ...(name ? { name } : {}), ...(req.query.get('platform') ? { platform: req.query.get('platform') } : {}) }));
    })
    .post('/containers/prune', async (req) => json(200, await api.containerPrune({ filters: filtersOf(req) })))
    .get('/containers/{name:.*}/json', async (req) => json(200, await api.containerInspect(req.params.name!, { size: req.query.bool('size') })))
    .post('/containers/{name:.*}/start', async (req) => {
      const started = await api.containerStart(req.params.name!, { detachKeys: req.query.get('detachKeys') });
      return empty(started ? 204 : 304);
    })
    .post('/containers/{name:.*}/stop', async (req) => {
      const stopped = await api.containerStop(req.params.name!, { t: timeout(req), signal: req.query.get('signal') || undefined });
      return empty(stopped ? 204 : 304);
    })
    .post('/containers/{name:.*}/restart', async (req) => {
      await api.containerRestart(req.params.name!, { t: timeout(req), signal: req.query.get('signal') || undefined });
      return empty(204);
    })
    .post('/containers/{name:.*}/kill', async (req) => {
      await api.containerKill(req.params.name!, { signal: req.query.get('signal') || undefined });
      return empty(204);
    })
    .post('/containers/{name:.*}/pause', async (req) => (await api.containerPause(req.params.name!), empty(204)))
    .post('/containers/{name:.*}/unpause', async (req) => (await api.containerUnpause(req.params.name!), empty(204)))
    .post('/containers/{name:.*}/rename', async (req) => (await api.containerRename(req.params.name!, req.query.get('name')), empty(204)))
    .post('/containers/{name:.*}/resize', async (req) => (await api.containerResize(req.params.name!, { h: req.query.intOr('h', 0), w: req.query.intOr('w', 0) }), empty(200)))
    .post('/containers/{name:.*}/wait', async (req) => {
      // The answer comes when the condition is met; the status line goes out at once (moby).
      await api.containerInspect(req.params.name!);
      return stream(200, 'application/json', async (out) => {
        const result = await api.containerWait(req.params.name!, { condition: req.query.get('condition') }, out.signal);
        await out.write(JSON.stringify(result) + '\n');
      });
    })
    .delete('/containers/{name:.*}', async (req) => {
      await api.containerRemove(req.params.name!, { v: req.query.bool('v'), force: req.query.bool('force'), link: req.query.bool('link') });
      return empty(204);
    })
    .get('/containers/{name:.*}/logs', async (req) => {
      const stdout = req.query.bool('stdout');
      const stderr = req.query.bool('stderr');
      if (!stdout && !stderr) throw invalidParameter('Bad parameters: you must choose at least one stream');
      const tail = req.query.get('tail');
      const logs = await api.containerLogs(
        req.params.name!,
        {
          follow: req.query.bool('follow'),
          stdout,
          stderr,
          since: unixMs(req, 'since'),
          until: unixMs(req, 'until'),
          timestamps: req.query.bool('timestamps'),
          tail: tail === '' || tail === 'all' ? 'all' : Number.isInteger(Number(tail)) ? Number(tail) : 'all',
        },
        req.signal,
      );
      const contentType = !logs.tty && compareApiVersions(req.version, '1.42') >= 0 ? 'application/vnd.docker.multiplexed-stream' : 'application/vnd.docker.raw-stream';
      return stream(200, contentType, async (out) => {
        for await (const frame of logs.frames) await out.write(encodeFrame(frame, logs.tty));
      });
    })
    .post('/containers/{name:.*}/attach', async (req) => {
      const streams = await api.containerAttach(req.params.name!, {
        stream: req.query.bool('stream'),
        stdin: req.query.bool('stdin'),
        stdout: req.query.bool('stdout'),
        stderr: req.query.bool('stderr'),
        logs: req.query.bool('logs'),
        detachKeys: req.query.get('detachKeys') || undefined,
      });
      return hijack({ multiplexed: !streams.tty }, (conn) => relay(conn, streams));
    })
    .get('/containers/{name:.*}/top', async (req) => json(200, await api.containerTop(req.params.name!, { psArgs: req.query.get('ps_args') })))
    .get('/containers/{name:.*}/changes', async (req) => json(200, await api.containerChanges(req.params.name!)))
    .get('/containers/{name:.*}/stats', async (req) => {
      const options = { stream: req.query.boolOr('stream', true), oneShot: req.query.bool('one-shot') };
      await api.containerInspect(req.params.name!);
      return stream(200, 'application/json', (out) => jsonLines(out, api.containerStats(req.params.name!, options, out.signal)));
    })
    .head('/containers/{name:.*}/archive', async (req) => {
      const stat = await api.containerArchiveInfo(req.params.name!, req.query.get('path'));
      return empty(200, { 'X-Docker-Container-Path-Stat': pathStatHeader(stat) });
    })
    .get('/containers/{name:.*}/archive', async (req) => {
      const name = req.params.name!;
      const path = req.query.get('path');
      const stat = await api.containerArchiveInfo(name, path);
      return stream(200, 'application/x-tar', async (out) => void (await api.containerArchive(name, path, { write: (b) => out.write(b), end: () => undefined })), {
        'X-Docker-Container-Path-Stat': pathStatHeader(stat),
      });
    })
    .put('/containers/{name:.*}/archive', async (req) => {
      await api.putContainerArchive(req.params.name!, req.query.get('path'), req.body, {
        noOverwriteDirNonDir: req.query.bool('noOverwriteDirNonDir'),
        copyUIDGID: req.query.bool('copyUIDGID'),
      });
      return empty(200);
    })
    .get('/containers/{name:.*}/export', async (req) => {
      const name = req.params.name!;
      // A missing container is a 404 before the stream's 200 goes out.
      await api.containerInspect(name);
      return stream(200, 'application/x-tar', async (out) => void (await api.containerExport(name, { write: (b) => out.write(b), end: () => undefined })));
    });
}

/** X-Docker-Container-Path-Stat: the stat as base64 JSON. */
function pathStatHeader(stat: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(stat));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function execRoutes(router: Router, api: EngineApi): void {
  router
    .post('/containers/{name:.*}/exec', async (req) => {
      const body = (await req.json()) as Parameters<EngineApi['execCreate']>[1] | undefined;
      if (!body) throw invalidParameter('config cannot be empty in order to create an exec');
      return json(201, await api.execCreate(req.params.name!, body));
    })
    .post('/exec/{id}/start', async (req) => {
      const body = ((await req.json()) ?? {}) as Parameters<EngineApi['execStart']>[1];
      const streams = await api.execStart(req.params.id!, body);
      if (!streams) return empty(200);
      return hijack({ multiplexed: !streams.tty }, (conn) => relay(conn, streams));
    })
    .post('/exec/{id}/resize', async (req) => (await api.execResize(req.params.id!, { h: req.query.intOr('h', 0), w: req.query.intOr('w', 0) }), empty(200)))
    .get('/exec/{id}/json', async (req) => json(200, await api.execInspect(req.params.id!)));
}

function imageRoutes(router: Router, api: EngineApi): void {
  router
    .get('/images/json', async (req) => json(200, await api.imageList({ all: req.query.bool('all'), filters: filtersOf(req), digests: req.query.bool('digests') })))
    .post('/images/create', async (req) => {
      const fromImage = req.query.get('fromImage');
      const fromSrc = req.query.get('fromSrc');
      if (!fromImage && fromSrc) {
        const { Id } = await api.imageImport(req.body, {
          fromSrc,
          repo: req.query.get('repo') || undefined,
          tag: req.query.get('tag') || undefined,
          message: req.query.get('message') || undefined,
          changes: [...req.query.getAll('changes')],
          platform: req.query.get('platform') || undefined,
        });
        return stream(200, 'application/json', (out) => out.write(JSON.stringify({ status: Id }) + '\n'));
      }
      if (!fromImage) throw invalidParameter('fromImage or fromSrc must be given');
      const progress = api.imagePull({ fromImage, tag: req.query.get('tag'), platform: req.query.get('platform') }, req.signal)[Symbol.asyncIterator]();
      // A pull refused before its first message is an HTTP error (moby answers before it streams).
      const first = await progress.next();
      return stream(200, 'application/json', async (out) => {
        if (first.done) return;
        await out.write(JSON.stringify(first.value) + '\n');
        await jsonLines(out, { [Symbol.asyncIterator]: () => progress });
      });
    })
    .post('/images/prune', async (req) => json(200, await api.imagePrune({ filters: filtersOf(req) })))
    .get('/images/get', async (req) => saveArchive(api, [...req.query.getAll('names')]))
    .post('/images/load', async (req) => {
      const messages = await api.imageLoad(req.body, { quiet: req.query.bool('quiet') });
      return stream(200, 'application/json', (out) => jsonLines(out, messages));
    })
    .get('/images/{name:.*}/get', async (req) => saveArchive(api, [req.params.name!]))
    .get('/images/{name:.*}/json', async (req) => json(200, await api.imageInspect(req.params.name!)))
    .get('/images/{name:.*}/history', async (req) => json(200, await api.imageHistory(req.params.name!)))
    .post('/images/{name:.*}/tag', async (req) => (await api.imageTag(req.params.name!, req.query.get('repo'), req.query.get('tag')), empty(201)))
    .delete('/images/{name:.*}', async (req) => json(200, await api.imageRemove(req.params.name!, { force: req.query.bool('force'), noprune: req.query.bool('noprune') })));
}

/** GET /images/get: the names checked (moby's status for an error) before the archive streams. */
async function saveArchive(api: EngineApi, names: string[]) {
  const write = await api.imageSave(names);
  return stream(200, 'application/x-tar', (out) => write({ write: (b) => out.write(b), end: () => undefined }));
}

/** A JSON-object query parameter (`buildargs`, `labels`); absent or empty: none. */
function jsonParam<T>(req: { query: { get(name: string): string } }, name: string): T | undefined {
  const text = req.query.get(name);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw invalidParameter(`invalid ${name} parameter: ${(e as Error).message}`);
  }
}

function buildRoutes(router: Router, api: EngineApi): void {
  router
    .post('/build', async (req) => {
      if (req.query.get('remote')) throw notImplemented('remote build contexts (URLs and git repositories) cannot be fetched: Slipway\'s guest has no network yet');
      const progress = api
        .imageBuild(
          req.body,
          {
            tags: [...req.query.getAll('t')],
            dockerfile: req.query.get('dockerfile') || undefined,
            buildArgs: jsonParam(req, 'buildargs'),
            labels: jsonParam(req, 'labels'),
            noCache: req.query.bool('nocache'),
            pull: req.query.bool('pull'),
            target: req.query.get('target') || undefined,
            quiet: req.query.bool('q'),
            rm: req.query.boolOr('rm', true),
            forceRm: req.query.bool('forcerm'),
            ...(req.query.get('version') === '2' ? { version: '2' as const } : {}),
          },
          req.signal,
        )
        [Symbol.asyncIterator]();
      // Refused before its first message (no Dockerfile): an HTTP error, as moby answers.
      const first = await progress.next();
      return stream(200, 'application/json', async (out) => {
        if (first.done) return;
        await out.write(JSON.stringify(first.value) + '\n');
        await jsonLines(out, { [Symbol.asyncIterator]: () => progress });
      });
    })
    .post('/build/prune', async (req) => json(200, await api.buildPrune({ all: req.query.bool('all') })))
    .post('/commit', async (req) => {
      const body = (await req.json()) as Record<string, unknown> | undefined;
      // A config in the body (moby's API) is applied as the image's config overrides, like --change.
      const changes = [...req.query.getAll('changes')];
      if (body && typeof body === 'object' && Array.isArray(body.Cmd)) changes.push(`CMD ${JSON.stringify(body.Cmd)}`);
      const result = await api.containerCommit(req.query.get('container'), {
        repo: req.query.get('repo') || undefined,
        tag: req.query.get('tag') || undefined,
        comment: req.query.get('comment') || undefined,
        author: req.query.get('author') || undefined,
        pause: req.query.boolOr('pause', true),
        changes,
      });
      return json(201, result);
    });
}

function volumeRoutes(router: Router, api: EngineApi): void {
  router
    .get('/volumes', async (req) => json(200, await api.volumeList({ filters: filtersOf(req) })))
    .post('/volumes/create', async (req) => json(201, await api.volumeCreate(((await req.json()) ?? {}) as Parameters<EngineApi['volumeCreate']>[0])))
    .post('/volumes/prune', async (req) => json(200, await api.volumePrune({ filters: filtersOf(req) })))
    .get('/volumes/{name:.*}', async (req) => json(200, await api.volumeInspect(req.params.name!)))
    .delete('/volumes/{name:.*}', async (req) => (await api.volumeRemove(req.params.name!, { force: req.query.bool('force') }), empty(204)));
}

function networkRoutes(router: Router, api: EngineApi): void {
  router
    .get('/networks', async (req) => json(200, await api.networkList({ filters: filtersOf(req) })))
    .post('/networks/create', async (req) => json(201, await api.networkCreate(((await req.json()) ?? {}) as Parameters<EngineApi['networkCreate']>[0])))
    .post('/networks/prune', async (req) => json(200, await api.networkPrune({ filters: filtersOf(req) })))
    .get('/networks/{id:.*}', async (req) => json(200, await api.networkInspect(req.params.id!)))
    .delete('/networks/{id:.*}', async (req) => (await api.networkRemove(req.params.id!), empty(204)));
}

function systemRoutes(router: Router, api: EngineApi): void {
  router
    .get('/version', async () => json(200, await api.version()))
    .get('/info', async () => json(200, await api.info()))
    .get('/system/df', async (req) => {
      // `type` came with API 1.42; older clients get everything.
      const types = compareApiVersions(req.version, '1.42') >= 0 ? req.query.getAll('type') : [];
      for (const t of types) if (!DISK_USAGE_OBJECTS.includes(t as DiskUsageObject)) throw invalidParameter(`unknown object type: ${t}`);
      return json(200, await api.diskUsage(types.length ? { type: types as DiskUsageObject[] } : {}));
    })
    .get('/events', async (req) => {
      const events = api.events({ since: unixMs(req, 'since'), until: unixMs(req, 'until'), filters: filtersOf(req) }, req.signal);
      return stream(200, 'application/json', (out) => jsonLines(out, events));
    });
}

/** Every route of the API, in moby's order of precedence (fixed paths before `{name}` ones). */
export function apiRouter(api: EngineApi): Router {
  const router = addPingRoutes(new Router(), { builderVersion: '1' });
  systemRoutes(router, api);
  containerRoutes(router, api);
  execRoutes(router, api);
  imageRoutes(router, api);
  buildRoutes(router, api);
  volumeRoutes(router, api);
  networkRoutes(router, api);
  return router;
}

