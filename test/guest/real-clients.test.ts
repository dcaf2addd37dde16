// Clients nobody here wrote, in the guest, against the daemon's /var/run/docker.sock: Docker's own
// CLI 20.10 (Debian's docker.io, API 1.41) runs the seed commands with the results Slipway's own
// CLI shows; Python's standard library and the Docker SDK for Python 5.0.3 drive it from a
// python:3.11-slim container that mounts the socket. Fetched by test/clients/fetch.sh.
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';
import { NO_DAEMON_HOST, PYTHON_SDK_RUN_OPTIONS, REAL_CLIENTS, realClientsOnHost, stageRealClients, warmUpDockerCli } from './real-clients.ts';

// Unfetched clients fail the file at once, before a guest boots for nothing.
realClientsOnHost();

let guest: NodeGuest;

useGuest((g) => (guest = g), {
  ready: async (g) => {
    await stageRealClients(g);
    await warmUpDockerCli(g);
    await sh(g, 'docker pull -q python:3.11-slim; docker pull -q busybox');
  },
  // The CLI's first start and the image's first run are the slow ones (v86 compiles them).
  readyTimeoutMs: 300_000,
});

const cli = REAL_CLIENTS.dockerCli;
/** A python:3.11-slim container that reaches the daemon through the mounted socket; script on stdin. */
const python = (options = '') => `docker run --rm -i -v /var/run/docker.sock:/var/run/docker.sock ${options} python:3.11-slim python -`;

describe("Docker's CLI 20.10 in the guest", () => {
  it('negotiates API 1.41 with the daemon, and says so when no daemon answers', async () => {
    const r = await sh(guest, `${cli} version --format '{{.Client.Version}} {{.Client.APIVersion}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}}'`);
    expect(r).toEqual({ stdout: '20.10.24+dfsg1 1.41 1.50 1.24\n', stderr: '', code: 0 });
    const none = await sh(guest, `DOCKER_HOST=${NO_DAEMON_HOST} ${cli} ps`);
    expect(none).toEqual({ stdout: '', stderr: `Cannot connect to the Docker daemon at ${NO_DAEMON_HOST}. Is the docker daemon running?\n`, code: 1 });
  }, 120_000);

  it('runs the seed commands with the results Slipway shows', async () => {
    const run = await sh(guest, `${cli} run -d --name old-cli -e WHO=old busybox sh -c 'echo hello from $WHO; sleep 300'`);
    expect(run.stderr).toBe('');
    const id = run.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const same = async (args: string) => {
      const theirs = await sh(guest, `${cli} ${args}`);
      const ours = await sh(guest, `docker ${args}`);
      expect(theirs, args).toEqual(ours);
      return theirs;
    };
    expect((await same(`ps -a --no-trunc --format '{{.ID}} {{.Names}} {{.Image}} {{.State}}'`)).stdout).toBe(`${id} old-cli busybox running\n`);
    expect((await same('logs old-cli')).stdout).toBe('hello from old\n');
    expect(await same('exec old-cli sh -c "echo in-exec; exit 3"')).toEqual({ stdout: 'in-exec\n', stderr: '', code: 3 });
    expect((await same(`inspect -f '{{.State.Status}} {{.Config.Image}} {{.Name}}' old-cli`)).stdout).toBe('running busybox /old-cli\n');
    expect((await same(`images --format '{{.Repository}}:{{.Tag}}'`)).stdout).toContain('busybox:latest\n');
    // (Slipway's own CLI has no `docker network` commands yet: user networks are their issue.)
    expect(await sh(guest, `${cli} network ls --format '{{.Name}} {{.Driver}}'`)).toEqual({ stdout: 'bridge bridge\nhost host\nnone null\n', stderr: '', code: 0 });
    expect(await sh(guest, `${cli} volume create old-vol`)).toEqual({ stdout: 'old-vol\n', stderr: '', code: 0 });
    await same(`volume ls --format '{{.Driver}} {{.Name}}'`);
    expect(await sh(guest, `${cli} run --rm busybox sh -c 'echo out; echo err >&2; exit 6'`)).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 6 });
    expect(await sh(guest, `${cli} rm -f old-cli`)).toEqual({ stdout: 'old-cli\n', stderr: '', code: 0 });
    expect((await sh(guest, 'docker ps -aq; docker volume rm old-vol')).stdout).toBe('old-vol\n');
  }, 240_000);
});

describe("Docker's CLI 20.10 builds and commits", () => {
  it('builds with the classic builder through POST /build and commits through POST /commit', async () => {
    await sh(guest, `mkdir -p /root/realctx && printf 'FROM busybox\\nRUN echo built > /f\\nCMD ["cat", "/f"]\\n' > /root/realctx/Dockerfile`);
    const r = await sh(guest, `${cli} build -t realbuilt /root/realctx`);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout.replace(/\b[0-9a-f]{12}\b/g, 'ID')).toBe(
      [
        'Sending build context to Docker daemon  2.048kB\r\r',
        'Step 1/3 : FROM busybox',
        ' ---> ID',
        'Step 2/3 : RUN echo built > /f',
        ' ---> Running in ID',
        'Removing intermediate container ID',
        ' ---> ID',
        'Step 3/3 : CMD ["cat", "/f"]',
        ' ---> Running in ID',
        'Removing intermediate container ID',
        ' ---> ID',
        'Successfully built ID',
        'Successfully tagged realbuilt:latest',
        '',
      ].join('\n'),
    );
    expect(await sh(guest, `${cli} run --rm realbuilt`)).toEqual({ stdout: 'built\n', stderr: '', code: 0 });
    await sh(guest, `${cli} run --name realcommit busybox sh -c 'echo changed > /f2'`);
    const committed = await sh(guest, `${cli} commit -c 'CMD ["cat", "/f2"]' realcommit realcommitted:1`);
    expect(committed.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(await sh(guest, `${cli} run --rm realcommitted:1`)).toEqual({ stdout: 'changed\n', stderr: '', code: 0 });
  }, 180_000);

  it('saves, loads and imports through GET /images/get, POST /images/load and POST /images/create?fromSrc', async () => {
    const saved = await sh(guest, `${cli} save -o /tmp/real.tar realcommitted:1 && ${cli} rmi realcommitted:1 >/dev/null && ${cli} load < /tmp/real.tar && ${cli} run --rm realcommitted:1`);
    expect(saved).toEqual({ stdout: 'Loaded image: realcommitted:1\nchanged\n', stderr: '', code: 0 });
    const imported = await sh(guest, `${cli} export realcommit | ${cli} import -c 'CMD ["cat", "/f2"]' - realimported:1 | grep -c '^sha256:' && ${cli} run --rm realimported:1`);
    expect(imported).toEqual({ stdout: '1\nchanged\n', stderr: '', code: 0 });
  }, 180_000);
});

describe('Python clients in a container that mounts the socket', () => {
  it("Python's standard library: version, list, create + start + wait", async () => {
    const script = `
import http.client, json, socket

class Unix(http.client.HTTPConnection):
    def __init__(self):
        super().__init__('localhost')
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect('/var/run/docker.sock')

def call(method, path, body=None):
    c = Unix()
    c.request(method, path, body=None if body is None else json.dumps(body), headers={'Content-Type': 'application/json'})
    r = c.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data else None)

status, version = call('GET', '/version')
print(status, version['ApiVersion'], version['Os'])
status, listed = call('GET', '/containers/json')
print(status, type(listed).__name__)
status, created = call('POST', '/v1.41/containers/create?name=py-made', {'Image': 'busybox', 'Cmd': ['sh', '-c', 'exit 7']})
print(status, len(created['Id']))
print(call('POST', '/v1.41/containers/py-made/start')[0])
status, waited = call('POST', '/v1.41/containers/py-made/wait')
print(status, waited['StatusCode'])
print(call('DELETE', '/v1.41/containers/py-made')[0])
`;
    expect(await sh(guest, python(), script)).toEqual({ stdout: '200 1.50 linux\n200 list\n201 64\n204\n200 7\n204\n', stderr: '', code: 0 });
  }, 180_000);

  it('the Docker SDK for Python: containers.run returns the output', async () => {
    const script = `
import docker
client = docker.from_env()
print(client.version()['ApiVersion'])
print(client.containers.run('busybox', 'echo hi', remove=True))
print([c.name for c in client.containers.list(all=True, filters={'name': 'nothing-by-this-name'})])
`;
    expect(await sh(guest, python(PYTHON_SDK_RUN_OPTIONS), script)).toEqual({ stdout: "1.50\nb'hi\\n'\n[]\n", stderr: '', code: 0 });
  }, 240_000);
});
