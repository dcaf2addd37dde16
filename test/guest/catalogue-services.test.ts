// The catalogue's server images as the seed tutorials use them: what `docker logs` shows, the
// entrypoints' handling of other commands, and postgres's data-container flow. One guest for all.
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { loginShell } from '../../src/worker/vm/shell.ts';
import { readUntil, sh, useGuest } from './harness.ts';

let guest: NodeGuest;

useGuest((g) => (guest = g), {
  ready: async (guest) => {
    // Pulled once up front, so each scenario's stderr is the container's own.
    expect((await sh(guest, 'for image in nginx redis postgres; do docker pull $image >/dev/null || exit; done')).code).toBe(0);
  },
  readyTimeoutMs: 240_000,
  cleanEach: true,
});

/**
 * Follows `docker logs -f` (stdout and stderr together, or one of them) until `pattern` shows up,
 * failing after `timeoutMs` with what was logged so far.
 */
async function waitForLog(container: string, pattern: RegExp, timeoutMs: number, streams = '2>&1'): Promise<string> {
  const follow = await guest.machine.port.spawn(loginShell(`docker logs -f ${container} ${streams}`));
  const seen = { text: '' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${container} did not log ${pattern} in ${timeoutMs} ms; logged ${JSON.stringify(seen.text)}`)), timeoutMs);
  });
  try {
    return await Promise.race([readUntil(follow.stdout, pattern, seen), deadline]);
  } finally {
    clearTimeout(timer);
    follow.kill();
  }
}

describe('nginx', () => {
  it('logs its entrypoint and notices, then each request, and stops gracefully on SIGQUIT', async () => {
    expect((await sh(guest, 'docker run -d --name web -p 8080:80 nginx')).code).toBe(0);
    const startup = await waitForLog('web', /\[notice\] 1#1: start worker processes/, 60_000);
    expect(startup).toContain('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n');
    expect(startup).toContain('/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n');
    expect(startup).toContain('/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n');
    expect(startup).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up\n');
    expect(startup).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: using the "epoll" event method$/m);
    expect(startup).toMatch(/\[notice\] 1#1: nginx\/1\.22\.1$/m);

    const page = await sh(guest, 'curl -s localhost:8080');
    expect(page.stdout).toContain('<title>Welcome to nginx!</title>');
    // The access log is stdout, the entrypoint's lines too; nginx's notices are stderr.
    const access = await waitForLog('web', /"GET \/ HTTP\/1\.1" 200 615 "-" "[^"]*" "-"\n/, 30_000, '2>/dev/null');
    expect(access).toMatch(/^\/docker-entrypoint\.sh: /);
    expect(access).not.toContain('[notice]');
    expect((await sh(guest, 'docker logs web 2>&1 >/dev/null')).stdout).toContain('[notice] 1#1: start worker processes\n');

    // No ps in Debian's slim images: a process's /proc directory belongs to its user.
    const processes = (await sh(guest, `docker exec web sh -c 'for p in /proc/[0-9]*; do echo "$(stat -c %U $p) $(tr "\\0" " " <$p/cmdline)"; done'`)).stdout;
    expect(processes).toMatch(/^root nginx: master process nginx -g daemon off;/m);
    expect(processes).toMatch(/^nginx nginx: worker process/m);
    expect((await sh(guest, 'docker stop web')).code).toBe(0);
    expect((await sh(guest, "docker inspect -f '{{.State.ExitCode}}' web")).stdout).toBe('0\n');
  }, 180_000);

  it('runs other commands without configuring, and renders templates from the environment', async () => {
    // Any nginx command goes through the configuration, as in the official image; others do not.
    const version = await sh(guest, 'docker run --rm nginx nginx -v');
    expect(version).toMatchObject({ stderr: 'nginx version: nginx/1.22.1\n', code: 0 });
    expect(version.stdout).toMatch(/^\/docker-entrypoint\.sh: .*\n[^]*\/docker-entrypoint\.sh: Configuration complete; ready for start up\n$/);
    expect(await sh(guest, 'docker run --rm nginx echo hi')).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
    expect(await sh(guest, 'docker run --rm -e NGINX_ENTRYPOINT_QUIET_LOGS=1 nginx nginx -v')).toEqual({ stdout: '', stderr: 'nginx version: nginx/1.22.1\n', code: 0 });
    const templated = await sh(
      guest,
      `docker run --rm -e PORT=8081 nginx sh -c 'mkdir -p /etc/nginx/templates && echo "listen \${PORT}; # \\$host" > /etc/nginx/templates/x.conf.template && /docker-entrypoint.sh nginx -t >/dev/null 2>&1; cat /etc/nginx/conf.d/x.conf'`,
    );
    expect(templated).toEqual({ stdout: 'listen 8081; # $host\n', stderr: '', code: 0 });
  }, 120_000);
});

describe('redis', () => {
  it('answers --version through the entrypoint, for the server and the client', async () => {
    const server = await sh(guest, 'docker run --rm redis redis-server --version');
    expect(server).toMatchObject({ stderr: '', code: 0 });
    expect(server.stdout).toMatch(/^Redis server v=7\.0\.\d+ sha=\S+ malloc=jemalloc-\S+ bits=32 build=\S+\n$/);
    expect(await sh(guest, 'docker run --rm redis redis-cli --version')).toMatchObject({ stdout: expect.stringMatching(/^redis-cli 7\.0\.\d+\n$/), code: 0 });
  }, 120_000);

  it('logs its startup, serves clients as the redis user, and takes options as arguments', async () => {
    expect((await sh(guest, 'docker run -d --name cache redis --appendonly yes')).code).toBe(0);
    const startup = await waitForLog('cache', /Ready to accept connections/, 60_000);
    expect(startup).toMatch(/Server initialized\n/);
    expect(await sh(guest, 'docker exec cache redis-cli ping')).toEqual({ stdout: 'PONG\n', stderr: '', code: 0 });
    expect((await sh(guest, 'docker exec cache redis-cli config get protected-mode')).stdout).toBe('protected-mode\nno\n');
    expect((await sh(guest, 'docker exec cache redis-cli config get appendonly')).stdout).toBe('appendonly\nyes\n');
    expect((await sh(guest, 'docker exec cache stat -c %U /proc/1')).stdout).toBe('redis\n');
    expect((await sh(guest, 'docker exec cache cat /proc/1/cmdline')).stdout).toMatch(/^redis-server \*:6379/);
    expect((await sh(guest, 'docker exec cache stat -c %U /data')).stdout).toBe('redis\n');
  }, 120_000);
});

describe('postgres (seed: a data-only container)', () => {
  it('runs echo as given, refuses to start without a password, initialises once from --volumes-from', async () => {
    expect(await sh(guest, 'docker run --name dbdata postgres echo "Data-only container for postgres"')).toEqual({
      stdout: 'Data-only container for postgres\n',
      stderr: '',
      code: 0,
    });
    const refused = await sh(guest, 'docker run --rm postgres');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('POSTGRES_PASSWORD');
    expect(refused.stderr).toContain('POSTGRES_HOST_AUTH_METHOD=trust');

    expect((await sh(guest, 'docker run -d --volumes-from dbdata -e POSTGRES_PASSWORD=x --name db1 postgres')).code).toBe(0);
    // initdb's bootstrap runs thousands of catalogue statements: minutes in the emulator.
    const first = await waitForLog('db1', /init process complete[\s\S]*database system is ready to accept connections\n/, 420_000);
    expect(first).toContain('Success. You can now start the database server');
    expect(first).toMatch(/listening on IPv4 address "0\.0\.0\.0", port 5432\n/);
    expect(await sh(guest, `docker exec db1 psql -U postgres -c 'select 1'`)).toEqual({
      stdout: ' ?column? \n----------\n        1\n(1 row)\n\n',
      stderr: '',
      code: 0,
    });
    expect((await sh(guest, `docker exec db1 psql -U postgres -tAc 'create table t (n int); insert into t values (42)'`)).code).toBe(0);

    // The cluster lives in dbdata's volume: a new server on it skips initialisation.
    expect((await sh(guest, 'docker rm -f db1')).code).toBe(0);
    expect((await sh(guest, 'docker run -d --volumes-from dbdata --name db2 postgres')).code).toBe(0);
    const again = await waitForLog('db2', /database system is ready to accept connections\n/, 120_000);
    expect(again).toContain('PostgreSQL Database directory appears to contain a database; Skipping initialization');
    expect((await sh(guest, `docker exec db2 psql -U postgres -tAc 'select n from t'`)).stdout).toBe('42\n');
  }, 720_000);
});
