// The Engine API against moby's own specification (API 1.50) and against a client nobody here
// wrote: every route of EngineApi is called over HTTP on the runner's host socket (the same server
// the guest's /var/run/docker.sock feeds) and its answer is checked against the documented schema;
// then Docker's own CLI (28.2.2, on the PATH of these machines) runs the seed commands through it.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenApiSocket, type ApiSocketListener } from '../../src/runner/api-socket.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { apiLines, apiRequest, demux, tarOf } from '../api/http-client.ts';
import { specErrors } from '../api/moby-spec.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;
let listener: ApiSocketListener;
let dir = '';
let socket = '';

useGuest((g) => (guest = g), {
  ready: async (g) => {
    await sh(g, 'docker pull -q busybox >/dev/null');
  },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-api-'));
  socket = join(dir, 'docker.sock');
  listener = await listenApiSocket(socket, guest.daemon.http);
});

afterAll(async () => {
  await listener?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The names in a tar (ustar: name at 0, size at 124 in octal, prefix at 345). */
function tarNames(tar: Buffer): string[] {
  const names: string[] = [];
  for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
    const field = (from: number, length: number) => tar.subarray(at + from, at + from + length).toString('latin1').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    names.push(prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    at += 512 + Math.ceil(parseInt(field(124, 12).trim() || '0', 8) / 512) * 512;
  }
  return names;
}

/** Calls a route and checks the answer's status and body against moby's specification. */
async function call(method: string, template: string, path: string, status: number, body?: unknown, options?: { raw?: Buffer; contentType?: string }) {
  const answer = await apiRequest(socket, method, path, body, options);
  expect({ route: `${method} ${path}`, status: answer.status, body: answer.status === status ? undefined : answer.body }).toEqual({ route: `${method} ${path}`, status, body: undefined });
  if (answer.raw.length && /json/.test(String(answer.headers['content-type']))) {
    expect(specErrors(template, method, status, answer.body), `${method} ${path}`).toEqual([]);
  }
  return answer;
}

describe('the Engine API as moby specifies it', () => {
  it('system: ping, version, info, df and events', async () => {
    const ping = await call('GET', '/_ping', '/_ping', 200);
    expect(ping.raw.toString()).toBe('OK');
    expect(ping.headers['api-version']).toBe('1.50');
    expect((await call('HEAD', '/_ping', '/_ping', 200)).raw.length).toBe(0);
    const version = await call('GET', '/version', '/v1.50/version', 200);
    expect(version.body).toMatchObject({ ApiVersion: '1.50', MinAPIVersion: '1.24', Os: 'linux', Arch: '386' });
    expect(await call('GET', '/info', '/v1.50/info', 200)).toBeTruthy();
    await call('GET', '/system/df', '/v1.50/system/df', 200);
    const until = Math.ceil(Date.now() / 1000);
    const events = await apiRequest(socket, 'GET', `/v1.50/events?since=0&until=${until}&filters=${encodeURIComponent('{"type":["image"]}')}`, undefined, { lines: true });
    expect(events.status).toBe(200);
    const lines = events.body as { Type: string; Action: string }[];
    expect(lines.some((e) => e.Type === 'image' && e.Action === 'pull')).toBe(true);
    for (const e of lines) expect(specErrors('/events', 'GET', 200, e)).toEqual([]);
    // Too old, and without a version prefix.
    const old = await apiRequest(socket, 'GET', '/v1.12/version');
    expect(old.status).toBe(400);
    expect(String(old.body)).toContain('client version 1.12 is too old. Minimum supported API version is 1.24');
    expect((await apiRequest(socket, 'GET', '/version')).status).toBe(200);
  }, 60_000);

  it('containers: create, inspect, list, the lifecycle verbs, top, changes, stats, logs, wait, remove, prune', async () => {
    const created = await call('POST', '/containers/create', '/v1.50/containers/create?name=api-web', 201, {
      Image: 'busybox',
      Cmd: ['sh', '-c', 'echo out; echo err >&2; touch /made; sleep 300'],
      Labels: { lesson: 'api' },
    });
    const id = (created.body as { Id: string }).Id;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const missing = await call('GET', '/containers/{id}/json', '/v1.50/containers/nothing-here/json', 404);
    expect(missing.body).toEqual({ message: 'No such container: nothing-here' });
    await call('POST', '/containers/{id}/start', '/v1.50/containers/api-web/start', 204);
    await call('POST', '/containers/{id}/start', '/v1.50/containers/api-web/start', 304);
    const inspect = await call('GET', '/containers/{id}/json', `/v1.50/containers/${id.slice(0, 12)}/json`, 200);
    expect(inspect.body).toMatchObject({ Id: id, Name: '/api-web', State: { Status: 'running', Running: true } });
    const list = await call('GET', '/containers/json', `/v1.50/containers/json?filters=${encodeURIComponent('{"label":{"lesson=api":true}}')}`, 200);
    expect((list.body as { Id: string; State: string }[]).map((c) => [c.Id, c.State])).toEqual([[id, 'running']]);
    const top = await call('GET', '/containers/{id}/top', '/v1.50/containers/api-web/top', 200);
    expect((top.body as { Titles: string[] }).Titles).toContain('CMD');
    const changes = await call('GET', '/containers/{id}/changes', '/v1.50/containers/api-web/changes', 200);
    expect(changes.body).toContainEqual({ Path: '/made', Kind: 1 });
    const stats = await call('GET', '/containers/{id}/stats', '/v1.50/containers/api-web/stats?stream=0', 200);
    expect((stats.body as { pids_stats: { current: number } }).pids_stats.current).toBeGreaterThan(0);
    const streamed = await apiLines(socket, '/v1.50/containers/api-web/stats', 2);
    expect(streamed.lines).toHaveLength(2);
    const logs = await apiRequest(socket, 'GET', '/v1.50/containers/api-web/logs?stdout=1&stderr=1');
    expect(logs.headers['content-type']).toBe('application/vnd.docker.multiplexed-stream');
    expect(demux(logs.raw).sort()).toEqual([
      [1, 'out\n'],
      [2, 'err\n'],
    ]);
    await call('POST', '/containers/{id}/pause', '/v1.50/containers/api-web/pause', 204);
    await call('POST', '/containers/{id}/unpause', '/v1.50/containers/api-web/unpause', 204);
    await call('POST', '/containers/{id}/rename', '/v1.50/containers/api-web/rename?name=api-web2', 204);
    await call('POST', '/containers/{id}/restart', '/v1.50/containers/api-web2/restart?t=0', 204);
    await call('POST', '/containers/{id}/kill', '/v1.50/containers/api-web2/kill?signal=KILL', 204);
    const waited = await call('POST', '/containers/{id}/wait', '/v1.50/containers/api-web2/wait', 200);
    expect(waited.body).toEqual({ StatusCode: 137 });
    await call('POST', '/containers/{id}/stop', '/v1.50/containers/api-web2/stop', 304);
    const conflict = await call('DELETE', '/containers/{id}', '/v1.50/containers/nothing-here', 404);
    expect(conflict.body).toEqual({ message: 'No such container: nothing-here' });
    await call('DELETE', '/containers/{id}', '/v1.50/containers/api-web2?v=1', 204);
    const other = (await call('POST', '/containers/create', '/v1.50/containers/create', 201, { Image: 'busybox', Cmd: ['true'] })).body as { Id: string };
    const pruned = await call('POST', '/containers/prune', '/v1.50/containers/prune', 200);
    expect((pruned.body as { ContainersDeleted: string[] }).ContainersDeleted).toContain(other.Id);
  }, 180_000);

  it('exec and archive: create, start (attached and detached), inspect; stat, get and put a tar', async () => {
    await call('POST', '/containers/create', '/v1.50/containers/create?name=api-box', 201, { Image: 'busybox', Cmd: ['sleep', '300'] });
    await call('POST', '/containers/{id}/start', '/v1.50/containers/api-box/start', 204);
    const exec = await call('POST', '/containers/{id}/exec', '/v1.50/containers/api-box/exec', 201, { Cmd: ['sh', '-c', 'echo $X; exit 3'], Env: ['X=from-exec'], AttachStdout: true, AttachStderr: true });
    const execId = (exec.body as { Id: string }).Id;
    const started = await apiRequest(socket, 'POST', `/v1.50/exec/${execId}/start`, { Detach: false, Tty: false });
    expect(started.status).toBe(200);
    expect(demux(started.raw)).toEqual([[1, 'from-exec\n']]);
    const inspected = await call('GET', '/exec/{id}/json', `/v1.50/exec/${execId}/json`, 200);
    expect(inspected.body).toMatchObject({ ID: execId, Running: false, ExitCode: 3 });
    const detached = (await call('POST', '/containers/{id}/exec', '/v1.50/containers/api-box/exec', 201, { Cmd: ['touch', '/detached'] })).body as { Id: string };
    expect((await apiRequest(socket, 'POST', `/v1.50/exec/${detached.Id}/start`, { Detach: true })).status).toBe(200);
    expect((await apiRequest(socket, 'GET', '/v1.50/exec/nothing/json')).status).toBe(404);

    const put = await apiRequest(socket, 'PUT', '/v1.50/containers/api-box/archive?path=/tmp', undefined, { raw: tarOf({ 'hello.txt': 'hello from a tar\n' }), contentType: 'application/x-tar' });
    expect(put.status).toBe(200);
    const head = await apiRequest(socket, 'HEAD', '/v1.50/containers/api-box/archive?path=/tmp/hello.txt');
    expect(head.status).toBe(200);
    const stat = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat']), 'base64').toString());
    expect(stat).toMatchObject({ name: 'hello.txt', size: 17, linkTarget: '' });
    const tar = await apiRequest(socket, 'GET', '/v1.50/containers/api-box/archive?path=/tmp/hello.txt');
    expect(tar.headers['content-type']).toBe('application/x-tar');
    expect(tar.raw.subarray(0, 9).toString()).toBe('hello.txt');
    expect(tar.raw.subarray(512, 529).toString()).toBe('hello from a tar\n');
    const absent = await apiRequest(socket, 'HEAD', '/v1.50/containers/api-box/archive?path=/nothing');
    expect(absent.status).toBe(404);

    // A TTY exec is resized while it runs.
    const ttyExec = (await call('POST', '/containers/{id}/exec', '/v1.50/containers/api-box/exec', 201, { Cmd: ['sleep', '30'], Tty: true })).body as { Id: string };
    expect((await apiRequest(socket, 'POST', `/v1.50/exec/${ttyExec.Id}/start`, { Detach: true, Tty: true })).status).toBe(200);
    await call('POST', '/exec/{id}/resize', `/v1.50/exec/${ttyExec.Id}/resize?h=30&w=100`, 200);
    expect((await apiRequest(socket, 'POST', '/v1.50/exec/nothing/resize?h=30&w=100')).status).toBe(404);

    // The export: the container's own files (the exec's /detached, the tar's /tmp/hello.txt),
    // with relative names, and none of the copy's scratch files.
    const exported = await call('GET', '/containers/{id}/export', '/v1.50/containers/api-box/export', 200);
    expect(exported.headers['content-type']).toBe('application/x-tar');
    const names = tarNames(exported.raw);
    expect(names).toEqual(expect.arrayContaining(['bin/', 'bin/sh', 'detached', 'tmp/hello.txt', 'etc/passwd']));
    expect(names.filter((n) => n.startsWith('/') || n.startsWith('./') || n.includes('busybox') && !n.startsWith('bin/'))).toEqual([]);
    expect((await apiRequest(socket, 'GET', '/v1.50/containers/nothing-here/export')).status).toBe(404);
    // Docker's CLI words: the export to a file, to a pipe, and refused on a terminal.
    const cli = await sh(guest, 'cd /tmp && docker export -o box.tar api-box && tar -tf box.tar | grep -cx tmp/hello.txt; docker export api-box | tar -tf - | grep -cx detached; docker export -o /no/such/dir/x.tar api-box 2>&1; echo "exit $?"; rm -f box.tar');
    expect(cli.stdout).toBe('1\n1\nfailed to export container: invalid output path: directory "/no/such/dir" does not exist\nexit 1\n');
    await call('DELETE', '/containers/{id}', '/v1.50/containers/api-box?force=1', 204);
  }, 120_000);

  it('images, volumes and networks', async () => {
    const images = await call('GET', '/images/json', '/v1.50/images/json', 200);
    expect((images.body as { RepoTags: string[] }[]).some((i) => i.RepoTags.includes('busybox:latest'))).toBe(true);
    await call('GET', '/images/{name}/json', '/v1.50/images/busybox/json', 200);
    await call('GET', '/images/{name}/history', '/v1.50/images/busybox:latest/history', 200);
    await call('POST', '/images/{name}/tag', '/v1.50/images/busybox/tag?repo=localhost:5000/lesson/box&tag=v1', 201);
    await call('GET', '/images/{name}/json', '/v1.50/images/localhost:5000/lesson/box:v1/json', 200);
    const removed = await call('DELETE', '/images/{name}', '/v1.50/images/localhost:5000/lesson/box:v1', 200);
    expect(removed.body).toEqual([{ Untagged: 'localhost:5000/lesson/box:v1' }]);
    const pull = await apiRequest(socket, 'POST', '/v1.50/images/create?fromImage=busybox&tag=latest', undefined, { lines: true });
    expect(pull.status).toBe(200);
    expect((pull.body as { status?: string }[]).at(-1)?.status).toBe('Status: Image is up to date for busybox:latest');
    // Refused before any progress: an HTTP error, as moby answers before its stream starts.
    const notThere = await apiRequest(socket, 'POST', '/v1.50/images/create?fromImage=nothing-by-this-name&tag=latest');
    expect(notThere.status).toBe(404);
    expect((notThere.body as { message: string }).message).toMatch(/^pull access denied for nothing-by-this-name, repository does not exist/);
    await call('POST', '/images/prune', '/v1.50/images/prune', 200);
    expect((await apiRequest(socket, 'GET', '/v1.50/images/nothing-here/json')).body).toEqual({ message: 'No such image: nothing-here:latest' });

    const volume = await call('POST', '/volumes/create', '/v1.50/volumes/create', 201, { Name: 'api-data', Labels: { lesson: 'api' } });
    expect(volume.body).toMatchObject({ Name: 'api-data', Driver: 'local', Mountpoint: '/var/lib/docker/volumes/api-data/_data' });
    await call('GET', '/volumes', '/v1.50/volumes', 200);
    await call('GET', '/volumes/{name}', '/v1.50/volumes/api-data', 200);
    await call('DELETE', '/volumes/{name}', '/v1.50/volumes/api-data', 204);
    await call('DELETE', '/volumes/{name}', '/v1.50/volumes/api-data', 404);
    await call('POST', '/volumes/prune', '/v1.50/volumes/prune', 200);

    const networks = await call('GET', '/networks', '/v1.50/networks', 200);
    expect((networks.body as { Name: string }[]).map((n) => n.Name)).toEqual(['bridge', 'host', 'none']);
    await call('GET', '/networks/{id}', '/v1.50/networks/bridge', 200);
    await call('DELETE', '/networks/{id}', '/v1.50/networks/bridge', 403);
    await call('POST', '/networks/prune', '/v1.50/networks/prune', 200);
  }, 120_000);
});

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** Docker's own CLI on this machine, against the tab's daemon. */
function hostDocker(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('docker', args, { env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dir } }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error("Docker's CLI (docker) is not on the PATH: these tests need it");
      resolve({ stdout, stderr, code: error ? Number((error as { code?: number }).code ?? 1) : 0 });
    });
  });
}

describe("Docker's own CLI (28.2.2) through the runner's host socket", () => {
  it('negotiates API 1.50 and runs the seed commands with the results Slipway shows', async () => {
    expect(await hostDocker(['version', '--format', '{{.Client.APIVersion}} {{.Server.APIVersion}} {{.Server.Os}}'])).toEqual({ stdout: '1.50 1.50 linux\n', stderr: '', code: 0 });
    const run = await hostDocker(['run', '-d', '--name', 'cli-web', '-e', 'GREETING=hi', 'busybox', 'sh', '-c', 'echo $GREETING; sleep 300']);
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const format = '{{.ID}} {{.Names}} {{.Image}} {{.Command}}';
    const ps = await hostDocker(['ps', '-a', '--no-trunc', '--format', format]);
    expect(ps.stdout).toBe((await sh(guest, `docker ps -a --no-trunc --format '${format}'`)).stdout);
    // moby joins the arguments with spaces, unquoted; docker/cli quotes the whole.
    expect(ps.stdout).toContain(`${id} cli-web busybox "sh -c echo $GREETING; sleep 300"`);
    expect(await hostDocker(['logs', 'cli-web'])).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
    expect(await hostDocker(['exec', 'cli-web', 'sh', '-c', 'echo in-$HOSTNAME; exit 4'])).toEqual({ stdout: `in-${id.slice(0, 12)}\n`, stderr: '', code: 4 });
    const template = '{{.State.Status}} {{.Config.Image}} {{index .Config.Env 0}}';
    expect((await hostDocker(['inspect', '-f', template, 'cli-web'])).stdout).toBe((await sh(guest, `docker inspect -f '${template}' cli-web`)).stdout);
    const images = await hostDocker(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
    expect(images.stdout).toBe((await sh(guest, "docker images --format '{{.Repository}}:{{.Tag}} {{.ID}}'")).stdout);
    expect(await hostDocker(['volume', 'create', 'cli-vol'])).toEqual({ stdout: 'cli-vol\n', stderr: '', code: 0 });
    expect((await hostDocker(['volume', 'ls', '--format', '{{.Driver}} {{.Name}}'])).stdout).toBe('local cli-vol\n');
    expect((await hostDocker(['network', 'ls', '--format', '{{.Name}} {{.Driver}}'])).stdout).toBe('bridge bridge\nhost host\nnone null\n');
    expect(await hostDocker(['rm', '-f', 'cli-web'])).toEqual({ stdout: 'cli-web\n', stderr: '', code: 0 });
    expect(await hostDocker(['rm', 'cli-web'])).toEqual({ stdout: '', stderr: 'Error response from daemon: No such container: cli-web\n', code: 1 });
    expect((await sh(guest, 'docker ps -aq')).stdout).toBe('');
    await hostDocker(['volume', 'rm', 'cli-vol']);
  }, 180_000);

  it('attaches: run --rm with output and exit code, run -i with stdin, run -it on a pty', async () => {
    expect(await hostDocker(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 5'])).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 5 });
    const piped = await new Promise<Run>((resolve) => {
      const child = spawn('docker', ['run', '--rm', '-i', 'busybox', 'tr', 'a-z', 'A-Z'], { env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dir } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c));
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
      child.stdin.end('shout this\n');
    });
    expect(piped).toEqual({ stdout: 'SHOUT THIS\n', stderr: '', code: 0 });
    // `script` gives docker a terminal: -it is a tty session (the container sees /dev/pts/0).
    const tty = await new Promise<Run>((resolve) => {
      execFile('script', ['-qec', `docker run -it --rm busybox sh -c 'tty; echo $TERM'`, '/dev/null'], { env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dir } }, (error, stdout, stderr) =>
        resolve({ stdout, stderr, code: error ? Number((error as { code?: number }).code ?? 1) : 0 }),
      );
    });
    expect(tty.code).toBe(0);
    expect(tty.stdout.replace(/\r/g, ''), tty.stdout).toMatch(/\/dev\/pts\/\d+\nxterm\n$/);
  }, 120_000);
});
