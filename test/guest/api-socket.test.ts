// Unix sockets the engine answers in the guest (GuestPort.listenUnix): the daemon's
// /var/run/docker.sock from boot, driven by the guest's own curl and by a container that
// bind-mounts it, and the transport itself with a stand-in responder on a socket of the test's.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Disposable, GuestSocket } from '../../src/protocol/guest/port.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

useGuest((g) => (guest = g), {
  ready: async (guest) => {
    await sh(guest, 'docker pull -q debian >/dev/null');
  },
});

const API_SOCKET = '/var/run/docker.sock';
/** The stand-in responder's socket. */
const TEST_SOCKET = '/run/slipway-test/echo.sock';
const BIG = 1 << 20;
const encoder = new TextEncoder();

/** Heads of the requests the responder saw, in order. */
let requests: string[] = [];

/** One HTTP/1.1 exchange: reads the head (and a Content-Length body), answers, ends its side. */
async function answerHttp(socket: GuestSocket): Promise<void> {
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('\r\n\r\n')) {
    const chunk = await socket.output.read();
    if (chunk === null) return socket.close();
    text += decoder.decode(chunk, { stream: true });
  }
  const [head = '', ...rest] = text.split('\r\n\r\n');
  let body = rest.join('\r\n\r\n');
  const length = Number(/^content-length: *(\d+)$/im.exec(head)?.[1] ?? 0);
  while (body.length < length) {
    const chunk = await socket.output.read();
    if (chunk === null) break;
    body += decoder.decode(chunk, { stream: true });
  }
  requests.push(head);
  const [method, path] = head.split(' ');
  const answer = path === '/_ping' ? 'OK' : path === '/big' ? 'x'.repeat(BIG) : `${method} ${path} ${body}`;
  const bytes = encoder.encode(answer);
  await socket.input.write(`HTTP/1.1 200 OK\r\nApi-Version: 1.50\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes.length}\r\n\r\n`);
  await socket.input.write(bytes);
  socket.input.end();
}

const listen = () => guest.machine.port.listenUnix(TEST_SOCKET, (socket) => void answerHttp(socket).catch(() => socket.close()));

describe('the Docker API socket', () => {
  let listener: Disposable | null = null;

  beforeAll(async () => {
    // The daemon listens from its start.
    const r = await sh(guest, `readlink /var/run; test -S ${API_SOCKET}; echo $?`);
    expect(r.stdout).toBe('../run\n0\n');
  });

  afterEach(() => {
    listener?.dispose();
    listener = null;
    requests = [];
  });

  it("is the daemon's API, answering curl --unix-socket", async () => {
    const r = await sh(guest, `curl -s --unix-socket ${API_SOCKET} http://localhost/_ping; echo " $?"; ls -l ${API_SOCKET}`);
    expect(r.stderr).toBe('');
    const [answer, listing] = r.stdout.split('\n');
    expect(answer).toBe('OK 0');
    expect(listing).toMatch(/^srw-rw---- +1 root +root +0 .* \/var\/run\/docker\.sock$/);
    const list = await sh(guest, `curl -s --unix-socket /run/docker.sock 'http://localhost/v1.50/containers/json?filters={"name":["nothing-by-this-name"]}'`);
    expect(list).toEqual({ stdout: '[]\n', stderr: '', code: 0 });
  }, 60_000);

  it('relays requests and answers of any size both ways', async () => {
    listener = await listen();
    const post = await sh(guest, `curl -s --unix-socket ${TEST_SOCKET} -d '{"Image":"busybox"}' http://localhost/v1.50/containers/create`);
    expect(post.stdout).toBe('POST /v1.50/containers/create {"Image":"busybox"}');
    expect(requests[0]).toMatch(/^POST \/v1\.50\/containers\/create HTTP\/1\.1\r\nHost: localhost\r\nUser-Agent: curl\/7\.88\.1\r\nAccept: \*\/\*/);
    const big = await sh(guest, `curl -s --unix-socket ${TEST_SOCKET} http://localhost/big | wc -c`);
    expect(big.stdout.trim()).toBe(String(BIG));
  }, 60_000);

  it('is reachable from a container that bind-mounts it, for root and group 0 only', async () => {
    // The guest's curl (glibc, as debian's) stands in for a Docker client in the container; the
    // command comes from the bind mount, not the image.
    const run = (options: string) =>
      sh(guest, `docker run --rm ${options} -v ${API_SOCKET}:${API_SOCKET} -v /usr/bin/curl:/usr/bin/curl:ro debian curl -sS --unix-socket ${API_SOCKET} http://localhost/_ping`);
    expect(await run('')).toEqual({ stdout: 'OK', stderr: '', code: 0 });
    expect(await run('--cap-drop ALL')).toEqual({ stdout: 'OK', stderr: '', code: 0 });
    // `-u 1000` alone runs in group 0 (as with Docker), which the socket's 0660 lets in.
    expect(await run('-u 1000')).toEqual({ stdout: 'OK', stderr: '', code: 0 });
    const other = await run('-u 1000:1000');
    expect(other.code).toBe(7);
    expect(other.stderr).toMatch(/^curl: \(7\) /);
  }, 120_000);

  it('removes the socket when the engine stops listening', async () => {
    listener = await listen();
    expect((await sh(guest, `test -S ${TEST_SOCKET}; echo $?`)).stdout).toBe('0\n');
    listener.dispose();
    listener = null;
    const r = await sh(guest, `test -e ${TEST_SOCKET}; echo $?; curl -s --unix-socket ${TEST_SOCKET} http://localhost/_ping; echo $?`);
    expect(r.stdout).toBe('1\n7\n');
  }, 60_000);

  it('comes back after an agent restart, while the thin client keeps its own socket', async () => {
    const hello = guest.machine.connection.waitHello();
    await guest.machine.port.spawn({ argv: ['sh', '-c', 'sleep 1; kill -9 $PPID; sleep 30'] });
    await hello;
    // The host asks the new agent again right after its HELLO; curl may still win that race.
    const r = await sh(guest, `for i in $(seq 50); do curl -s --unix-socket ${API_SOCKET} http://localhost/_ping && break; sleep 0.1; done`);
    expect(r.stdout).toBe('OK');
    const client = await sh(guest, 'docker version --format "{{.Server.APIVersion}}"; test -S /run/slipway/cli.sock && echo socket');
    expect(client).toEqual({ stdout: '1.50\nsocket\n', stderr: '', code: 0 });
  }, 60_000);
});
