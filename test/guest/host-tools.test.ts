// The Docker host's own tools that tutorials type next to docker: procps ps behind `docker top`,
// sudo, curl. Typed into a guest shell as a user would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

useGuest((g) => (guest = g));

describe('docker top', () => {
  beforeAll(async () => {
    expect((await sh(guest, 'docker run -d --name topped busybox sleep 1000')).code).toBe(0);
  }, 120_000);
  afterAll(() => sh(guest, 'docker rm -f topped'), 60_000);

  it('shows ps -ef columns by default, only for the container', async () => {
    const r = await sh(guest, 'docker top topped');
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^UID {3,}PID {3,}PPID {3,}C {3,}STIME {3,}TTY {3,}TIME {3,}CMD$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^root {3,}\d+ {3,}\d+ {3,}\d+ {3,}\d\d:\d\d {3,}\? {3,}\d\d:\d\d:\d\d {3,}sleep 1000$/);
  }, 60_000);

  it('passes BSD and Unix options on to procps ps', async () => {
    const aux = await sh(guest, 'docker top topped aux');
    expect(aux.code).toBe(0);
    const [header, ...rows] = aux.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^USER\s+PID\s+%CPU\s+%MEM\s+VSZ\s+RSS\s+TTY\s+STAT\s+START\s+TIME\s+COMMAND$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^root\s+\d+\s+[\d.]+\s+[\d.]+\s+\d+\s+\d+\s+\?\s+S\w*\s+\d\d:\d\d\s+\d+:\d\d\s+sleep 1000$/);
    const label = await sh(guest, 'docker top topped -axZ');
    expect(label.code).toBe(0);
    expect(label.stdout).toMatch(/^LABEL\s+PID\s+TTY\s+STAT\s+TIME\s+COMMAND\n-\s+\d+\s+\?\s+S\w*\s+\d+:\d\d\s+sleep 1000\n$/);
  }, 60_000);

  it("answers ps's and moby's errors", async () => {
    expect(await sh(guest, 'docker top topped -o user,comm')).toEqual({ stdout: '', stderr: "Error response from daemon: Couldn't find PID field in ps output\n", code: 1 });
    expect(await sh(guest, 'docker top topped -o user=PID')).toEqual({ stdout: '', stderr: 'Error response from daemon: specifying "user=PID" is not allowed\n', code: 1 });
    const bad = await sh(guest, 'docker top topped -Q');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error response from daemon: error: /);
  }, 60_000);

  it('runs procps ps from bash, not the busybox applet', async () => {
    expect((await sh(guest, 'type -p ps; ps -o pid= -p 1')).stdout).toMatch(/^\/usr\/bin\/ps\n +1\n$/);
  }, 60_000);
});

describe('sudo', () => {
  it('runs the command as root with its exit code (seed 004)', async () => {
    const hello = await sh(guest, 'sudo docker run --rm hello-world | head -n 2');
    expect(hello.stdout).toMatch(/^\nHello from \w+!\n$/);
    expect(hello.code).toBe(0);
    expect(await sh(guest, `sudo -E sh -c 'id -u; exit 3'`)).toEqual({ stdout: '0\n', stderr: '', code: 3 });
    expect(await sh(guest, 'sudo -u root -- echo a -n b')).toEqual({ stdout: 'a -n b\n', stderr: '', code: 0 });
    expect(await sh(guest, 'sudo GREETING=hi sh -c \'echo "$GREETING"\'')).toEqual({ stdout: 'hi\n', stderr: '', code: 0 });
  }, 120_000);

  it('-i and -s run a shell; -u switches to a passwd user', async () => {
    expect(await sh(guest, 'cd /tmp && sudo -i pwd')).toEqual({ stdout: '/root\n', stderr: '', code: 0 });
    expect(await sh(guest, 'echo \'echo "in $0"\' | sudo -s')).toEqual({ stdout: 'in /bin/bash\n', stderr: '', code: 0 });
    expect(await sh(guest, 'sudo -u nobody id')).toEqual({ stdout: 'uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n', stderr: '', code: 0 });
  }, 60_000);

  it('fails like sudo for unknown commands, users and options, and for non-root callers', async () => {
    expect(await sh(guest, 'sudo nosuchcmd')).toEqual({ stdout: '', stderr: 'sudo: nosuchcmd: command not found\n', code: 1 });
    expect(await sh(guest, 'sudo -u ghost true')).toEqual({ stdout: '', stderr: 'sudo: unknown user ghost\n', code: 1 });
    expect((await sh(guest, 'sudo --frobnicate true')).code).toBe(1);
    const asNobody = await sh(guest, "su -s /bin/sh nobody -c 'sudo true'");
    expect(asNobody.code).toBe(1);
    expect(asNobody.stderr).toMatch(/^sudo: nobody is not root/);
  }, 60_000);
});

// busybox httpd serves the scenarios: files, a 302 for a directory without its slash, and a CGI
// script echoing the method, the User-Agent, an X-Test header and the request body.
const CGI_ECHO = `#!/bin/sh
printf 'Content-Type: text/plain\\r\\n\\r\\n'
echo "$REQUEST_METHOD $HTTP_USER_AGENT $HTTP_X_TEST"
head -c "\${CONTENT_LENGTH:-0}"
echo
`;
const NOT_FOUND_PAGE = '<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n';
const METER_TITLES = '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n';

describe('curl', () => {
  beforeAll(async () => {
    const setup = [
      'mkdir -p /tmp/www/cgi-bin /tmp/www/dir',
      'echo hello > /tmp/www/index.html',
      'echo inside > /tmp/www/dir/index.html',
      `cat > /tmp/www/cgi-bin/echo <<'EOF'\n${CGI_ECHO}EOF`,
      'chmod +x /tmp/www/cgi-bin/echo',
      'httpd -p 8000 -h /tmp/www',
    ].join('\n');
    expect((await sh(guest, setup)).code).toBe(0);
  }, 60_000);

  it('prints the body of an HTTP error and exits 0 without -f', async () => {
    expect(await sh(guest, 'curl -s localhost:8000/nope')).toEqual({ stdout: NOT_FOUND_PAGE, stderr: '', code: 0 });
  }, 60_000);

  it('fails with 22 and no body with -f', async () => {
    expect(await sh(guest, 'curl -sf localhost:8000/nope')).toEqual({ stdout: '', stderr: '', code: 22 });
    expect(await sh(guest, 'curl -sSf localhost:8000/nope')).toEqual({ stdout: '', stderr: 'curl: (22) The requested URL returned error: 404\n', code: 22 });
    const loud = await sh(guest, 'curl -f localhost:8000/nope');
    expect(loud.code).toBe(22);
    expect(loud.stderr).toMatch(/^ {2}% Total[^]*\ncurl: \(22\) The requested URL returned error: 404\n$/);
  }, 60_000);

  it('-I shows the head only; -i puts it before the body', async () => {
    const head = await sh(guest, 'curl -sI localhost:8000/');
    expect(head.code).toBe(0);
    expect(head.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n([\w-]+: [^\r\n]*\r\n)*Content-Length: 6\r\n\r\n$/);
    const include = await sh(guest, 'curl -si localhost:8000/');
    expect(include.code).toBe(0);
    expect(include.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n([\w-]+: [^\r\n]*\r\n)*\r\nhello\n$/);
  }, 60_000);

  it('sends -X, -d and -H, with its own User-Agent', async () => {
    expect(await sh(guest, `curl -s -X POST -d name=slipway -H 'X-Test: yes' localhost:8000/cgi-bin/echo`)).toEqual({
      stdout: 'POST curl/7.88.1 yes\nname=slipway\n',
      stderr: '',
      code: 0,
    });
    expect((await sh(guest, `curl -s -d a=1 -d b=2 -A agent/1 localhost:8000/cgi-bin/echo`)).stdout).toBe('POST agent/1 \na=1&b=2\n');
    const verbose = await sh(guest, `curl -sv -H 'X-Test: yes' -d k=v localhost:8000/cgi-bin/echo`);
    expect(verbose.stderr).toContain(
      '> POST /cgi-bin/echo HTTP/1.1\n> Host: localhost:8000\n> User-Agent: curl/7.88.1\n> Accept: */*\n> X-Test: yes\n> Content-Length: 3\n> Content-Type: application/x-www-form-urlencoded\n> \n} [3 bytes data]\n< HTTP/1.1 200 OK\n',
    );
  }, 60_000);

  it('-o writes the body to a file; without -s the meter goes to stderr', async () => {
    expect(await sh(guest, 'curl -s -o /tmp/page.html localhost:8000/ && cat /tmp/page.html')).toEqual({ stdout: 'hello\n', stderr: '', code: 0 });
    const metered = await sh(guest, 'curl -o /tmp/page2.html localhost:8000/');
    expect(metered.code).toBe(0);
    expect(metered.stdout).toBe('');
    expect(metered.stderr.startsWith(METER_TITLES)).toBe(true);
    expect(metered.stderr).toMatch(/\r100 {5}6 {2}100 {5}6 {4}0 {5}0 [^\n]*\n$/);
    expect(await sh(guest, `curl -s -o /dev/null -w '%{http_code}\\n' localhost:8000/nope`)).toEqual({ stdout: '404\n', stderr: '', code: 0 });
    expect(await sh(guest, 'cd /tmp && curl -sO localhost:8000/index.html && cat index.html')).toEqual({ stdout: 'hello\n', stderr: '', code: 0 });
    expect(await sh(guest, 'cd /tmp && curl -s -o - localhost:8000/ && ls ./-')).toEqual({ stdout: 'hello\n', stderr: "ls: ./-: No such file or directory\n", code: 1 });
  }, 60_000);

  it('-L follows redirects; without it the redirect is the answer', async () => {
    const plain = await sh(guest, 'curl -si localhost:8000/dir');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^HTTP\/1\.1 302 Found\r\n[^]*Location: \/dir\/\r\n/);
    expect(await sh(guest, 'curl -sL localhost:8000/dir')).toEqual({ stdout: 'inside\n', stderr: '', code: 0 });
    expect((await sh(guest, 'curl -sIL localhost:8000/dir')).stdout).toMatch(/^HTTP\/1\.1 302 Found\r\n[^]*\r\n\r\nHTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n$/);
  }, 60_000);

  it("reports a refused port with curl's message and 7, also under -m", async () => {
    const refused = await sh(guest, 'curl -m 1 localhost:8001');
    expect(refused.code).toBe(7);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^ {2}% Total[^]*\ncurl: \(7\) Failed to connect to localhost port 8001 after \d+ ms: Couldn't connect to server\n$/);
    expect(await sh(guest, 'curl -s -m 1 localhost:8001')).toEqual({ stdout: '', stderr: '', code: 7 });
  }, 60_000);

  it('-m ends a transfer that does not answer with 28', async () => {
    const silent = await sh(guest, `(sleep 5 | nc -l -p 8002) >/dev/null 2>&1 & until netstat -ltn | grep -q ':8002 '; do :; done; curl -sS -m 1 localhost:8002`);
    expect(silent.code).toBe(28);
    expect(silent.stderr).toMatch(/^curl: \(28\) Operation timed out after \d+ milliseconds with 0 bytes received\n$/);
  }, 60_000);

  it("answers usage errors and other schemes in curl's words", async () => {
    expect(await sh(guest, 'curl -s https://example.com')).toEqual({ stdout: '', stderr: '', code: 1 });
    expect((await sh(guest, 'curl https://example.com')).stderr).toBe('curl: (1) Protocol "https" not supported or disabled in libcurl\n');
    expect(await sh(guest, 'curl --frobnicate x')).toEqual({
      stdout: '',
      stderr: "curl: option --frobnicate: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
      code: 2,
    });
    expect((await sh(guest, 'curl -sS nosuchhost')).stderr).toBe('curl: (6) Could not resolve host: nosuchhost\n');
  }, 60_000);
});
