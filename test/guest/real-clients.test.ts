// Real Docker clients run in the guest: Docker's own CLI 20.10 (Debian's docker.io, API 1.41)
// and the Docker SDK for Python 5.0.3 in python:3.11-slim, fetched by test/clients/fetch.sh.
// This is the base the Engine API conformance tests extend. No daemon answers HTTP in the guest
// yet, so these scenarios prove the clients themselves work there: they start, name their
// versions, and fail as they do when no daemon listens (NO_DAEMON_HOST).
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
    await sh(g, 'docker pull -q python:3.11-slim');
  },
  // The CLI's first start and the image's first run are the slow ones (v86 compiles them).
  readyTimeoutMs: 300_000,
});

const cli = `DOCKER_HOST=${NO_DAEMON_HOST} ${REAL_CLIENTS.dockerCli}`;
const python = `docker run --rm ${PYTHON_SDK_RUN_OPTIONS} python:3.11-slim python`;

describe("Docker's CLI 20.10", () => {
  it('is a working i386 program in the guest (dynamic, on the guest’s own libc)', async () => {
    const r = await sh(guest, `${cli} --version`);
    expect(r.stdout).toMatch(/^Docker version 20\.10\.24\+dfsg1, build [0-9a-f]{7}\n$/);
    expect(r).toMatchObject({ stderr: '', code: 0 });
  }, 120_000);

  it('speaks API 1.41 as a client, and says that no daemon answers', async () => {
    const r = await sh(guest, `${cli} version --format '{{.Client.APIVersion}} {{.Client.Os}}/{{.Client.Arch}}'`);
    expect(r).toEqual({
      stdout: '1.41 linux/386\n',
      stderr: `Cannot connect to the Docker daemon at ${NO_DAEMON_HOST}. Is the docker daemon running?\n`,
      code: 1,
    });
  }, 120_000);

  it('fails `ps` with its own message when no daemon listens', async () => {
    const r = await sh(guest, `${cli} ps`);
    expect(r).toEqual({ stdout: '', stderr: `Cannot connect to the Docker daemon at ${NO_DAEMON_HOST}. Is the docker daemon running?\n`, code: 1 });
  }, 120_000);
});

describe('the Docker SDK for Python in python:3.11-slim', () => {
  it('imports with its dependencies from the read-only mount', async () => {
    const r = await sh(guest, `${python} -c "import docker, requests, urllib3, websocket; print(docker.__version__, requests.__version__, urllib3.__version__, websocket.__version__)"`);
    expect(r).toEqual({ stdout: '5.0.3 2.28.1 1.26.12 1.2.3\n', stderr: '', code: 0 });
  }, 180_000);

  it('raises its own error when no daemon listens', async () => {
    const r = await sh(guest, `docker run --rm ${PYTHON_SDK_RUN_OPTIONS} -e DOCKER_HOST=${NO_DAEMON_HOST} python:3.11-slim python -c "import docker; docker.from_env()"`);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      "docker.errors.DockerException: Error while fetching server API version: ('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))",
    );
    expect(r).toMatchObject({ stdout: '', code: 1 });
  }, 180_000);
});
