// The seed tutorials' container commands, typed into a guest shell as a user would.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { loginShell } from '../../src/worker/vm/shell.ts';
import { readUntil, sh, useGuest } from './harness.ts';

let guest: NodeGuest;

const host = useGuest((g) => (guest = g), { cleanEach: true });

describe('docker run', () => {
  it('pulls from the offline catalogue on first use, then runs', async () => {
    const r = await sh(guest, 'docker run --rm busybox echo hi');
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toBe(
      [
        "Unable to find image 'busybox:latest' locally",
        'latest: Pulling from library/busybox',
        '07e8b4866de8: Pulling fs layer',
        '07e8b4866de8: Verifying Checksum',
        '07e8b4866de8: Download complete',
        '07e8b4866de8: Pull complete',
        'Digest: sha256:2c6b38df7366f0c8b29170e20cbab72f49878ba726f6078a30051a293ebaecaf',
        'Status: Downloaded newer image for busybox:latest',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    expect((await sh(guest, 'docker ps -aq | wc -l')).stdout.trim()).toBe('0');
  }, 120_000);

  it('passes -h, -e with spaces and the exit code; stdout and stderr stay apart', async () => {
    expect((await sh(guest, 'docker run --rm -h myhost busybox hostname')).stdout).toBe('myhost\n');
    expect((await sh(guest, `docker run --rm -e "MSG=hello world" busybox sh -c 'echo "$MSG"'`)).stdout).toBe('hello world\n');
    const r = await sh(guest, `docker run --rm busybox sh -c 'echo out; echo err >&2; exit 3'`);
    expect(r).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 3 });
  }, 120_000);

  it('passes 100 KB arguments and variables through the guest\'s docker to run and exec, and 2 MB in all', async () => {
    // Linux lets one string be 128 KiB and all of them 2 MiB: the thin client sends such a SESSION
    // in SESSION_MORE parts; the container's argv and env go over 9p as files.
    const big = (letter: string) => `"$(head -c 102400 /dev/zero | tr '\\0' ${letter})"`;
    const md5 = (letter: string) => `${createHash('md5').update(letter.repeat(102400)).digest('hex')}  -`;
    const report = (variable: string) => `'echo \${#${variable}} \${#1}; printf %s "$${variable}" | md5sum; printf %s "$1" | md5sum' sh`;
    await sh(guest, 'docker pull -q busybox');
    expect(await sh(guest, `docker run --rm -e X=${big('a')} busybox sh -c ${report('X')} ${big('b')}`)).toEqual({
      code: 0,
      stdout: `102400 102400\n${md5('a')}\n${md5('b')}\n`,
      stderr: '',
    });
    await sh(guest, 'docker run -d --name bigexec busybox sleep 60');
    expect(await sh(guest, `docker exec -e Y=${big('c')} bigexec sh -c ${report('Y')} ${big('d')}`)).toEqual({
      code: 0,
      stdout: `102400 102400\n${md5('c')}\n${md5('d')}\n`,
      stderr: '',
    });
    // 20 arguments of 100 KB: what exec() takes under the default stack limit.
    const twenty = `$(w=$(head -c 100000 /dev/zero | tr '\\0' w); for i in $(seq 20); do echo $w; done)`;
    expect(await sh(guest, `docker run --rm busybox sh -c 'echo $# \${#1} \${#20}' sh ${twenty}`)).toEqual({ code: 0, stdout: '20 100000 100000\n', stderr: '' });
  }, 120_000);

  it('--init puts docker-init in front as PID 1, which passes SIGTERM on', async () => {
    expect((await sh(guest, 'docker run --rm --init busybox ps -o pid,args')).stdout).toBe('PID   COMMAND\n    1 /sbin/docker-init -- ps -o pid,args\n    2 ps -o pid,args\n');
    await sh(guest, 'docker run -d --init --name ini busybox sleep 100');
    await sh(guest, 'docker stop ini');
    expect((await sh(guest, "docker inspect -f '{{.State.ExitCode}}' ini")).stdout).toBe('143\n');
  }, 60_000);

  it("answers Docker's errors with Docker's exit codes", async () => {
    const missing = await sh(guest, 'docker run --rm busybox nosuchcmd');
    expect(missing.code).toBe(127);
    expect(missing.stderr).toBe(
      'docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "nosuchcmd": executable file not found in $PATH: unknown\n\nRun \'docker run --help\' for more information\n',
    );
    const image = await sh(guest, 'docker run nosuchimage');
    expect(image.code).toBe(125);
    expect(image.stderr).toContain("pull access denied for nosuchimage, repository does not exist or may require 'docker login'");
    expect((await sh(guest, 'docker run --foo busybox')).code).toBe(125);
  }, 60_000);

  it('bind-mounts guest paths (-v creates a missing source, :ro is read-only) and reads --env-file', async () => {
    await sh(guest, 'mkdir -p /root/app && echo from-host > /root/app/f.txt && printf "GREETING=hello env file\\n# c\\n" > /root/env.list');
    expect((await sh(guest, 'docker run --rm -v /root/app:/app busybox cat /app/f.txt')).stdout).toBe('from-host\n');
    expect((await sh(guest, "docker run --rm -v /root/app:/app:ro busybox sh -c 'echo x > /app/y'")).code).toBe(1);
    expect((await sh(guest, "docker run --rm -v /root/made:/data busybox sh -c 'echo made > /data/z'; cat /root/made/z")).stdout).toBe('made\n');
    const missing = await sh(guest, 'docker run --rm --mount type=bind,source=/root/nope,target=/x busybox true');
    expect(missing.code).toBe(125);
    expect(missing.stderr).toContain('bind source path does not exist: /root/nope');
    expect((await sh(guest, `cd /root && docker run --rm --env-file env.list busybox sh -c 'echo "$GREETING"'`)).stdout).toBe('hello env file\n');
  }, 120_000);

  it('docker cp copies out of and into a container, with Docker\'s report on stderr', async () => {
    await sh(guest, "docker run --name cpt busybox sh -c 'echo abc > /f.txt'");
    expect(await sh(guest, 'docker cp cpt:/f.txt /root/got.txt && cat /root/got.txt')).toEqual({ stdout: 'abc\n', stderr: 'Successfully copied 2.05kB to /root/got.txt\n', code: 0 });
    expect((await sh(guest, 'echo up > /root/up.txt; docker cp /root/up.txt cpt:/up.txt; docker diff cpt')).stdout).toBe('A /f.txt\nA /up.txt\n');
    expect(await sh(guest, 'docker cp cpt:/nosuch /root/')).toEqual({ stdout: '', stderr: 'Error response from daemon: Could not find the file /nosuch in container cpt\n', code: 1 });
    // Into a container that never ran (docker create, cp, start): its rootfs is mounted for the copy.
    await sh(guest, 'docker create --name fresh busybox cat /etc/motd >/dev/null');
    expect(await sh(guest, 'echo welcome > /root/motd; docker cp /root/motd fresh:/etc/motd')).toEqual({ stdout: '', stderr: 'Successfully copied 2.05kB to fresh:/etc/motd\n', code: 0 });
    expect(await sh(guest, 'docker start -a fresh')).toEqual({ stdout: 'welcome\n', stderr: '', code: 0 });
  }, 60_000);

  it('does not eat the rest of a script from stdin', async () => {
    const r = await sh(guest, 'bash', 'docker ps -q\necho after\n');
    expect(r.stdout).toBe('after\n');
  }, 60_000);

  it('runs -it with a pty: prompt, command, exit code', async () => {
    const shell = await guest.machine.port.spawn(loginShell(undefined, { rows: 24, cols: 80 }));
    const seen = { text: '' };
    await readUntil(shell.stdout, /# $/, seen);
    await shell.stdin.write('docker run -it --rm busybox sh\n');
    await readUntil(shell.stdout, /\/ # /, seen);
    await shell.stdin.write('echo in-$((40+2))\n');
    await readUntil(shell.stdout, /in-42/, seen);
    await shell.stdin.write('exit 3\n');
    // Typed-ahead input would go to the exiting container, as on a real terminal: wait for bash.
    const after = { text: '' };
    await readUntil(shell.stdout, /~# $/, after);
    await shell.stdin.write('echo "code=$?"\n');
    await readUntil(shell.stdout, /code=3/, after);
    expect(seen.text).toMatch(/in-42\r\n/);
    expect(seen.text).not.toMatch(/in-42\r\r/);

    // exec -it: Ctrl-P Ctrl-Q leaves the exec'd shell running, as `docker attach` does.
    await sh(guest, 'docker run -d --name ex busybox sleep 300');
    await shell.stdin.write('docker exec -it ex sh\n');
    const inside = { text: '' };
    await readUntil(shell.stdout, /\/ # /, inside);
    await shell.stdin.write('\x10\x11');
    await readUntil(shell.stdout, /read escape sequence\r\n/, inside);
    await readUntil(shell.stdout, /~# $/, inside);
    await shell.stdin.write('echo "code=$?"\n');
    await readUntil(shell.stdout, /code=1/, inside);
    expect((await sh(guest, 'docker exec ex ps -o args')).stdout).toBe('COMMAND\nsleep 300\nsh\nps -o args\n');
    shell.kill();
  }, 120_000);
});

describe('container lifecycle (seed 002)', () => {
  it('logs, exec, top, pause, kill -s, stop, start, rm', async () => {
    const id = (await sh(guest, `docker run -d busybox sh -c 'trap "echo got TRAP" TRAP; while true; do echo tick; sleep 1; done'`)).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    await sh(guest, 'sleep 1.5');
    expect((await sh(guest, `docker logs ${id}`)).stdout).toMatch(/^(tick\n)+$/);
    expect(await sh(guest, `docker exec ${id} echo Hello`)).toEqual({ stdout: 'Hello\n', stderr: '', code: 0 });
    const top = await sh(guest, `docker top ${id}`);
    expect(top.stdout.split('\n')[0]).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    expect(top.stdout).toContain('sh -c trap');
    expect((await sh(guest, `docker pause ${id} && docker ps --format '{{.Status}}'`)).stdout).toMatch(/^[0-9a-f]{64}\nUp .*\(Paused\)\n$/);
    const paused = await sh(guest, `docker pause ${id}`);
    expect(paused).toEqual({ stdout: '', stderr: `Error response from daemon: container ${id} is already paused\n`, code: 1 });
    expect((await sh(guest, `docker unpause ${id}`)).code).toBe(0);
    await sh(guest, `docker kill -s SIGTRAP ${id}; sleep 1.5`);
    expect((await sh(guest, `docker logs ${id}`)).stdout).toContain('got TRAP\n');
    const rmRunning = await sh(guest, `docker rm ${id}`);
    expect(rmRunning.code).toBe(1);
    expect(rmRunning.stderr).toBe(`Error response from daemon: cannot remove container "/${(await sh(guest, `docker inspect -f '{{.Name}}' ${id}`)).stdout.trim().slice(1)}": container is running: stop the container before removing or force remove\n`);
    expect((await sh(guest, `docker stop -t 1 ${id}`)).stdout).toBe(`${id}\n`);
    expect((await sh(guest, `docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' ${id}`)).stdout).toBe('exited 137\n');
    expect((await sh(guest, `docker start ${id} && docker inspect -f '{{.State.Running}}' ${id}`)).stdout).toBe(`${id}\ntrue\n`);
    expect((await sh(guest, `docker rm -f ${id}`)).stdout).toBe(`${id}\n`);
    expect((await sh(guest, `docker logs ${id}`)).stderr).toBe(`Error response from daemon: No such container: ${id}\n`);
  }, 180_000);

  it('diff, IP address, ps filters fed to rm -v', async () => {
    const c = (await sh(guest, 'docker run -d busybox touch /NEW_FILE')).stdout.trim();
    expect((await sh(guest, `docker wait ${c}`)).stdout).toBe('0\n');
    expect((await sh(guest, `docker diff ${c}`)).stdout).toBe('A /NEW_FILE\n');
    await sh(guest, 'docker run -d --name ipt busybox sleep 60');
    expect((await sh(guest, "docker inspect --format '{{.NetworkSettings.IPAddress}}' ipt")).stdout).toMatch(/^172\.17\.0\.\d+\n$/);
    const exited = (await sh(guest, 'docker ps -aq -f status=exited')).stdout;
    expect(exited).toBe(`${c.slice(0, 12)}\n`);
    expect((await sh(guest, 'docker rm -v $(docker ps -aq -f status=exited)')).stdout).toBe(`${c.slice(0, 12)}\n`);
    expect((await sh(guest, "docker ps -a --format '{{.Names}}'")).stdout).toBe('ipt\n');
    await sh(guest, 'docker rm -f ipt');
  }, 120_000);

  it('memory limit → OOM kill, exit 137, State.OOMKilled', async () => {
    const r = await sh(guest, `docker run --name oom -m 8m busybox sh -c 'x=a; while true; do x=$x$x; done'`);
    expect(r.code).toBe(137);
    expect((await sh(guest, "docker inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}}' oom")).stdout).toBe('true 137\n');
    await sh(guest, 'docker rm oom');
  }, 120_000);

  it('--restart on-failure:3 restarts three times', async () => {
    await sh(guest, `docker run -d --name rs --restart on-failure:3 busybox sh -c 'exit 1'`);
    let out = '';
    for (let i = 0; i < 40 && out !== '3 exited\n'; i++) {
      await sh(guest, 'sleep 0.5');
      out = (await sh(guest, "docker inspect -f '{{.RestartCount}} {{.State.Status}}' rs")).stdout;
    }
    expect(out).toBe('3 exited\n');
    await sh(guest, 'docker rm rs');
  }, 120_000);
});

describe('information and networking', () => {
  it('publishes ports through the agent: curl on the guest reaches the container', async () => {
    await sh(guest, `docker run -d --name web -p 8000:80 busybox sh -c 'mkdir /www; echo hello-web > /www/index.html; httpd -f -p 80 -h /www'`);
    await sh(guest, 'sleep 1');
    expect((await sh(guest, 'curl -s localhost:8000/index.html')).stdout).toBe('hello-web\n');
    expect((await sh(guest, 'docker port web')).stdout).toBe('80/tcp -> 0.0.0.0:8000\n80/tcp -> [::]:8000\n');
    expect((await sh(guest, "docker ps --format '{{.Ports}}'")).stdout).toBe('0.0.0.0:8000->80/tcp, [::]:8000->80/tcp\n');
  }, 120_000);

  it('logs -f follows until the container exits; events replay with --since/--until', async () => {
    const r = await sh(guest, `docker run -d --name follow busybox sh -c 'echo one; sleep 1; echo two' >/dev/null; docker logs -f follow`);
    expect(r.stdout).toBe('one\ntwo\n');
    // Following a container that has not printed anything yet.
    const quiet = await sh(guest, `docker run -d --name quiet busybox sh -c 'sleep 1; echo late' >/dev/null; docker logs -f quiet`);
    expect(quiet.stdout).toBe('late\n');
    const events = (await sh(guest, 'docker events --since 5m --until 0s --filter container=follow --format "{{.Action}}"')).stdout;
    expect(events).toBe('create\nstart\ndie\n');
    const line = (await sh(guest, 'docker events --since 5m --until 0s --filter event=die --filter container=follow')).stdout;
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z container die [0-9a-f]{64} \(exitCode=0, image=busybox, .*name=follow.*\)\n$/);
  }, 120_000);

  it('inspect prints Docker\'s JSON shape; help pages exit 0', async () => {
    await sh(guest, 'docker create --name shape -e A=1 busybox true');
    const [c] = JSON.parse((await sh(guest, 'docker inspect shape')).stdout);
    expect(Object.keys(c).slice(0, 11)).toEqual(['Id', 'Created', 'Path', 'Args', 'State', 'Image', 'ResolvConfPath', 'HostnamePath', 'HostsPath', 'LogPath', 'Name']);
    expect(c.Config.Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'A=1']);
    expect((await sh(guest, 'docker inspect nosuch')).stderr).toBe('Error: No such object: nosuch\n');
    const help = await sh(guest, 'docker run --help');
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]');
  }, 60_000);
});

describe("bad input gets Docker's answer", () => {
  const hint = "\n\nRun 'docker run --help' for more information\n";

  it('--tmpfs, --device, --platform: refused where Docker refuses them, in its words and exit codes', async () => {
    await sh(guest, 'docker pull -q busybox >/dev/null');
    expect(await sh(guest, 'docker run --rm --tmpfs rel busybox true')).toEqual({
      code: 125,
      stdout: '',
      stderr: `docker: Error response from daemon: invalid mount path: 'rel' mount path must be absolute${hint}`,
    });
    // docker/cli's toStatusError reads "no such file or directory" as 127.
    expect(await sh(guest, 'docker run --rm --device /nonexistent busybox true')).toEqual({
      code: 127,
      stdout: '',
      stderr: `docker: Error response from daemon: error gathering device information while adding custom device "/nonexistent": no such file or directory${hint}`,
    });
    expect(await sh(guest, "docker run --rm --device /dev/zero:/dev/myzero busybox sh -c 'head -c 3 /dev/myzero | wc -c; stat -c %t,%T /dev/myzero'")).toEqual({ code: 0, stdout: '3\n1,5\n', stderr: '' });
    expect(await sh(guest, 'docker run --rm --platform linux/arm64 busybox true')).toEqual({
      code: 125,
      stdout: '',
      stderr: `Unable to find image 'busybox:latest' locally\nlatest: Pulling from library/busybox\ndocker: no matching manifest for linux/arm64 in the manifest list entries${hint}`,
    });
    expect(await sh(guest, 'docker run --rm --platform linux/386 busybox echo ok')).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
  }, 120_000);

  it('logging drivers: unknown ones refused at create, none keeps nothing, max-size × max-file rotate the log', async () => {
    expect(await sh(guest, 'docker run --log-driver nosuch busybox true')).toEqual({
      code: 125,
      stdout: '',
      stderr: `docker: Error response from daemon: logger: no log driver named 'nosuch' is registered${hint}`,
    });
    expect(await sh(guest, 'docker run --log-opt max-size=abc busybox true')).toEqual({
      code: 125,
      stdout: '',
      stderr: `docker: Error response from daemon: failed to create task for container: failed to initialize logging driver: invalid size: 'abc'${hint}`,
    });
    expect(await sh(guest, 'docker run --name nolog --log-driver none busybox echo hi')).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
    expect(await sh(guest, 'docker logs nolog')).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: configured logging driver does not support reading\n' });

    // `seq 1 20000` prints 108894 bytes; json-file keeps at most 2 × 10k of them (plus one read's worth).
    await sh(guest, 'docker run --name rot --log-opt max-size=10k --log-opt max-file=2 busybox seq 1 20000 >/dev/null');
    expect((await sh(guest, "docker inspect -f '{{json .HostConfig.LogConfig}}' rot")).stdout).toBe('{"Type":"json-file","Config":{"max-file":"2","max-size":"10k"}}\n');
    const kept = Number((await sh(guest, 'docker logs rot | wc -c')).stdout);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(20_000 + 65_536);
    expect((await sh(guest, 'docker logs --tail 1 rot')).stdout).toBe('20000\n');
  }, 120_000);
});

describe('parallel stops', () => {
  it('stops 20 containers that ignore SIGTERM at once: KILL after the timeout, 137 each', async () => {
    await sh(guest, `for i in $(seq 20); do docker run -d --name ign$i busybox sh -c 'trap "" TERM; while :; do sleep 1; done' >/dev/null; done`);
    expect((await sh(guest, 'docker ps -q | wc -l')).stdout.trim()).toBe('20');
    const exitCodes = async () => (await sh(guest, "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' $(docker ps -aq) | sort | uniq -c")).stdout.trim();

    // One second each (its time is the bench's stop_20_ms; a loaded CI machine blurs 1 s waits).
    const fast = await sh(guest, 'docker stop -t 1 $(docker ps -q)');
    expect(fast.stdout.trim().split('\n')).toHaveLength(20);
    expect(await exitCodes()).toBe('20 exited 137');

    // Docker's default 10 s: serial stops would take over 200 s; parallel ones about 12 s idle.
    const restarted = await sh(guest, 'docker start $(docker ps -aq) >/dev/null');
    // A start that fails says why (once seen on a loaded machine: 19 of 20 running).
    expect({ running: (await sh(guest, 'docker ps -q | wc -l')).stdout.trim(), stderr: restarted.stderr }).toEqual({ running: '20', stderr: '' });
    const started = Date.now();
    const r = await sh(guest, 'docker stop $(docker ps -q)');
    expect(Date.now() - started).toBeLessThan(100_000);
    expect(r.code).toBe(0);
    expect(await exitCodes()).toBe('20 exited 137');
  }, 180_000);
});

describe('persistence', () => {
  it('a new runner on the same store is a rebooted Docker host', async () => {
    await sh(guest, `docker create --name keep busybox sh -c 'echo kept; cat /data.txt 2>/dev/null || echo saved > /data.txt; rm -f /etc/group'`);
    await sh(guest, 'docker start -a keep');
    await sh(guest, `docker run -d --name live busybox sh -c 'echo changed > /live.txt; sleep 1000'`);
    // A --rm container the host went away under is removed at the next start, as moby does.
    await sh(guest, 'docker run -d --rm --name gone busybox sleep 1000');
    await host.reboot();
    expect((await sh(guest, "docker ps -a --format '{{.Names}} {{.Image}} {{.State}}'")).stdout).toBe('live busybox exited\nkeep busybox exited\n');
    expect((await sh(guest, 'docker logs keep')).stdout).toBe('kept\n');
    expect((await sh(guest, 'docker images --format {{.Repository}}')).stdout).toBe('busybox\n');
    // Files written before the reboot are back, deletions too; the running container's as well.
    expect((await sh(guest, 'docker start -a keep')).stdout).toBe('kept\nsaved\n');
    expect((await sh(guest, 'docker diff keep')).stdout).toBe('A /data.txt\nC /etc\nD /etc/group\n');
    expect((await sh(guest, 'docker start live >/dev/null; docker exec live cat /live.txt')).stdout).toBe('changed\n');
  }, 180_000);
});
