// `docker build` on the real guest, as the seed tutorials use it: the classic output, RUN steps in
// real containers whose layers (deletions included) become the image's, the cache, a failing step
// debugged from the last good one, ENTRYPOINT with CMD arguments, the VOLUME-then-RUN gotcha,
// multi-stage COPY --from, contexts on stdin, .dockerignore.
import { describe, expect, it } from 'vitest';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh, useGuest } from './harness.ts';

let guest: NodeGuest;

useGuest((g) => (guest = g), { readyTimeoutMs: 240_000, ready: (g) => sh(g, 'docker pull -q busybox && docker pull -q python:3.11-slim') });

/** A two-file context (Dockerfile, hello) as a tar.xz, made on a machine with xz (the guest's busybox only decompresses it). */
const XZ_CONTEXT =
  '/Td6WFoAAATm1rRGAgAhARwAAAAQz1jM4Cf/AK1dACIbyGbcCWThplxBwkI3RQOJbBbt0m3gL5b1A9tUGJ4QPZU7yAENbQA+sEz+6jdNL84uFD6cjdLIjHf68zMFUvsBsgRRM2RmT2pvq/8YWXYYs2ArtffEIEnzpEXojfDMZQbgT9ZZmWIZl27NViiReDiBKYr5HWRwBnKe+OpJAMl2vdZR1wVuQGqsxB86CypFsde4vDBvDybOKzemE+vpPOXivp4iH33ArkH9yxPAAAAAAI+1OJnQ1iOFAAHJAYBQAACaKjdJscRn+wIAAAAABFla';

/** Writes `files` into a fresh directory under /root and cds there; returns the shell prefix. */
function project(dir: string, files: Record<string, string>): string {
  const writes = Object.entries(files).map(([name, text]) => `mkdir -p "$(dirname '${name}')" && printf '%s' '${text.replaceAll("'", "'\\''")}' > '${name}'`);
  return `rm -rf /root/${dir} && mkdir -p /root/${dir} && cd /root/${dir} && ${writes.join(' && ')} && `;
}

const ids = (text: string) => text.replace(/\b[0-9a-f]{12}\b/g, 'ID');

describe('docker build', () => {
  it("builds the seed's echotest: classic output, a failing step, its last good layer runs", async () => {
    const setup = project('echotest', { Dockerfile: 'FROM busybox:latest\n\nRUN echo "This should work"\nRUN /bin/bash -c echo "This won\'t"\n' });
    const r = await sh(guest, `${setup}docker build -t echotest .`);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: `The command '/bin/sh -c /bin/bash -c echo "This won't"' returned a non-zero code: 127\n` });
    expect(ids(r.stdout)).toBe(
      [
        'Sending build context to Docker daemon  2.048kB',
        'Step 1/3 : FROM busybox:latest',
        ' ---> ID',
        'Step 2/3 : RUN echo "This should work"',
        ' ---> Running in ID',
        'This should work',
        'Removing intermediate container ID',
        ' ---> ID',
        'Step 3/3 : RUN /bin/bash -c echo "This won\'t"',
        ' ---> Running in ID',
        '/bin/sh: /bin/bash: not found',
        '',
      ].join('\n'),
    );
    const lastGood = /This should work\nRemoving intermediate container [0-9a-f]{12}\n ---> ([0-9a-f]{12})/.exec(r.stdout)![1]!;
    expect(await sh(guest, `docker run --rm ${lastGood} /bin/sh -c "echo ahh!"`)).toEqual({ stdout: 'ahh!\n', stderr: '', code: 0 });
    // The second build takes the good step from the cache.
    const again = await sh(guest, 'cd /root/echotest && docker build -t echotest . 2>/dev/null | grep -c "Using cache"');
    expect(again.stdout).toBe('1\n');
  }, 180_000);

  it('runs ENTRYPOINT with CMD as default arguments, a RUN layer with deletions, and tags the result', async () => {
    const setup = project('say', {
      Dockerfile: 'FROM busybox\nCOPY say.sh /usr/local/bin/say\nRUN chmod +x /usr/local/bin/say && rm /bin/vi && mkdir -p /srv && echo built > /srv/mark\nENTRYPOINT ["/usr/local/bin/say"]\nCMD ["moo"]\n',
      'say.sh': '#!/bin/sh\necho "< $* >"\ncat /srv/mark\n[ -e /bin/vi ] && echo vi is back || echo no vi\n',
    });
    const r = await sh(guest, `${setup}docker build -q -t say:1 .`);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect((await sh(guest, 'docker run --rm say:1')).stdout).toBe('< moo >\nbuilt\nno vi\n');
    expect((await sh(guest, 'docker run --rm say:1 hello world')).stdout).toBe('< hello world >\nbuilt\nno vi\n');
    const history = await sh(guest, "docker history --format '{{.CreatedBy}}' --no-trunc say:1 | head -3");
    expect(history.stdout).toBe('/bin/sh -c #(nop)  CMD ["moo"]\n/bin/sh -c #(nop)  ENTRYPOINT ["/usr/local/bin/say"]\n/bin/sh -c chmod +x /usr/local/bin/say && rm /bin/vi && mkdir -p /srv && echo built > /srv/mark\n');
    expect((await sh(guest, "docker images --format '{{.Repository}}:{{.Tag}}' say")).stdout).toBe('say:1\n');
  }, 180_000);

  it('discards RUN changes under a VOLUME declared before them, keeps them when declared after', async () => {
    const before = project('vol1', { Dockerfile: 'FROM busybox\nVOLUME /data\nRUN touch /data/x\n' });
    const after = project('vol2', { Dockerfile: 'FROM busybox\nRUN mkdir /data && touch /data/x\nVOLUME /data\n' });
    await sh(guest, `${before}docker build -q -t vol1 .`);
    await sh(guest, `${after}docker build -q -t vol2 .`);
    expect((await sh(guest, 'docker run --rm vol1 ls /data; docker run --rm vol2 ls /data')).stdout).toBe('x\n');
  }, 180_000);

  it('copies between stages, honours .dockerignore, and builds from stdin (a Dockerfile, a tar.gz)', async () => {
    const setup = project('multi', {
      Dockerfile: 'FROM busybox AS make\nRUN echo compiled > /out.bin\nFROM busybox\nCOPY --from=make /out.bin /app/\nCOPY . /ctx/\nCMD ["sh", "-c", "cat /app/out.bin; ls -A /ctx"]\n',
      '.dockerignore': '*.log\nsecret/\n',
      'keep.txt': 'k',
      'debug.log': 'l',
      'secret/key': 's',
    });
    expect((await sh(guest, `${setup}docker build -q -t multi . >/dev/null && docker run --rm multi`)).stdout).toBe('compiled\n.dockerignore\nDockerfile\nkeep.txt\n');
    // The client leaves ignored files out of what it sends (three files of one block each, and the end).
    expect((await sh(guest, 'cd /root/multi && docker build . | head -1')).stdout).toBe('Sending build context to Docker daemon  4.096kB\n');
    const stdin = await sh(guest, "printf 'FROM busybox\\nCMD [\"echo\", \"from stdin\"]\\n' | docker build -q -t piped - >/dev/null && docker run --rm piped");
    expect(stdin.stdout).toBe('from stdin\n');
    const targz = await sh(guest, `${project('tgz', { Dockerfile: 'FROM busybox\nCOPY hello /\nCMD ["cat", "/hello"]\n', hello: 'hi from tar\n' })}tar -czf /tmp/ctx.tgz . && docker build -q -t tgz - < /tmp/ctx.tgz >/dev/null && docker run --rm tgz`);
    expect(targz.stdout).toBe('hi from tar\n');
  }, 180_000);

  it('commits a container\'s changes (a file written, one deleted) with --change, -m and -a', async () => {
    await sh(guest, "docker run --name tocommit busybox sh -c 'echo committed > /note && rm /bin/vi'");
    const r = await sh(guest, `docker commit -a 'Ann <ann@example.com>' -m 'first note' -c 'CMD ["cat", "/note"]' -c 'ENV MODE=prod' tocommit noted:v1`);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(await sh(guest, 'docker run --rm noted:v1')).toEqual({ stdout: 'committed\n', stderr: '', code: 0 });
    expect((await sh(guest, "docker run --rm noted:v1 sh -c 'echo $MODE; ls /bin/vi 2>&1'")).stdout).toBe('prod\nls: /bin/vi: No such file or directory\n');
    expect((await sh(guest, "docker inspect -f '{{.Author}}|{{.Config.Cmd}}' noted:v1; docker history --format '{{.Comment}}' noted:v1 | head -1")).stdout).toBe('Ann <ann@example.com>|[cat /note]\nfirst note\n');
  }, 120_000);

  it('saves an image (a layer with deletions), loads it back after rmi, and imports an exported container', async () => {
    const setup = project('saved', { Dockerfile: 'FROM busybox\nRUN rm /bin/vi && echo saved > /mark\nCMD ["cat", "/mark"]\n' });
    await sh(guest, `${setup}docker build -q -t saved:1 .`);
    const listing = await sh(guest, 'docker save -o /root/saved.tar saved:1 && tar -tf /root/saved.tar | grep -v "^blobs/sha256/."');
    expect(listing.stdout).toBe('blobs/\nblobs/sha256/\nindex.json\nmanifest.json\noci-layout\nrepositories\n');
    const loaded = await sh(guest, 'docker rmi saved:1 >/dev/null && docker load -i /root/saved.tar && docker run --rm saved:1 && docker run --rm saved:1 ls /bin/vi');
    expect(loaded).toEqual({ stdout: 'Loaded image: saved:1\nsaved\n', stderr: 'ls: /bin/vi: No such file or directory\n', code: 1 });
    const piped = await sh(guest, 'docker save saved:1 | gzip | docker load');
    expect(piped.stdout).toBe('Loaded image: saved:1\n');
    const imported = await sh(guest, "docker create --name toexport saved:1 >/dev/null && docker export toexport | docker import -c 'CMD [\"cat\", \"/mark\"]' -m exported - imported:1 >/dev/null && docker run --rm imported:1 && docker history --format '{{.Comment}}' imported:1");
    expect(imported).toEqual({ stdout: 'saved\nexported\n', stderr: '', code: 0 });
  }, 180_000);

  it("prints BuildKit's plain progress with DOCKER_BUILDKIT=1, ending a failed step with its output and BuildKit's error", async () => {
    const setup = project('bkecho', { Dockerfile: 'FROM busybox:latest\nRUN echo "BuildKit works"\nRUN /bin/bash -c echo "This won\'t"\n' });
    const r = await sh(guest, `${setup}DOCKER_BUILDKIT=1 docker build --progress=plain -t bkecho .`);
    const error = 'process "/bin/sh -c /bin/bash -c echo \\"This won\'t\\"" did not complete successfully: exit code: 127';
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr.replace(/\b\d+\.\d+s\b/g, 'T').replace(/(#\d+|^) ?\d\.\d{3} /gm, '$1 T ').replace(/context: \d+B/g, 'context: NB')).toBe(
      [
        '#0 building with "default" instance using docker driver',
        '',
        '#1 [internal] load build definition from Dockerfile',
        '#1 transferring dockerfile: 81B done',
        '#1 DONE T',
        '',
        '#2 [internal] load metadata for docker.io/library/busybox:latest',
        '#2 DONE T',
        '',
        '#3 [internal] load .dockerignore',
        '#3 transferring context: NB done',
        '#3 DONE T',
        '',
        '#4 [internal] load build context',
        '#4 transferring context: NB done',
        '#4 DONE T',
        '',
        '#5 [1/3] FROM docker.io/library/busybox:latest',
        '#5 DONE T',
        '',
        '#6 [2/3] RUN echo "BuildKit works"',
        '#6 T BuildKit works',
        '#6 DONE T',
        '',
        '#7 [3/3] RUN /bin/bash -c echo "This won\'t"',
        '#7 T /bin/sh: /bin/bash: not found',
        `#7 ERROR: ${error}`,
        '------',
        ' > [3/3] RUN /bin/bash -c echo "This won\'t":',
        ' T /bin/sh: /bin/bash: not found',
        '------',
        `ERROR: failed to solve: ${error}`,
        '',
      ].join('\n'),
    );
    // Cached the second time; -q prints only the ID.
    const again = await sh(guest, 'cd /root/bkecho && sed -i 3d Dockerfile && DOCKER_BUILDKIT=1 docker build --progress=plain . 2>&1 | grep -A1 "RUN echo"');
    expect(again.stdout).toBe('#6 [2/2] RUN echo "BuildKit works"\n#6 CACHED\n');
  }, 180_000);

  it('cancels a build whose client goes away: the running step\'s container goes, no image is left', async () => {
    const setup = project('cancel', { Dockerfile: 'FROM busybox\nRUN sleep 300\nCMD ["true"]\n' });
    const script = [
      `${setup}(docker build -t cancelme . > /tmp/cancel.log 2>&1 & echo $! > /tmp/cancel.pid; wait)`,
      'until grep -q "Running in" /tmp/cancel.log; do sleep 0.2; done',
      'kill -TERM $(cat /tmp/cancel.pid)',
      'i=0; while docker ps -a --format "{{.Command}}" | grep -q "sleep 300" && [ $i -lt 100 ]; do i=$((i+1)); sleep 0.2; done',
      'docker ps -a --format "{{.Command}}" | grep -c "sleep 300"; docker images -q cancelme | wc -l',
    ];
    // The build runs in a subshell that the kill ends; the rest waits for the daemon to clean up.
    const r = await sh(guest, `${script[0]} & ${script.slice(1).join('\n')}`);
    expect(r.stdout).toBe('0\n0\n');
    expect((await sh(guest, 'docker version >/dev/null && echo up')).stdout).toBe('up\n');
  }, 180_000);

  it('runs ONBUILD triggers first in a child build, and builds tar.bz2 and tar.xz contexts from stdin', async () => {
    const parent = project('onparent', { Dockerfile: 'FROM busybox\nONBUILD COPY greeting /greeting\nONBUILD RUN echo built-by-child >> /greeting\n' });
    await sh(guest, `${parent}docker build -q -t onparent .`);
    const child = project('onchild', { Dockerfile: 'FROM onparent\nCMD ["cat", "/greeting"]\n', greeting: 'hello child\n' });
    const built = await sh(guest, `${child}docker build -t onchild . | grep -c "# Executing 2 build triggers"; docker run --rm onchild`);
    expect(built.stdout).toBe('1\nhello child\nbuilt-by-child\n');
    const bz2 = await sh(guest, `${project('bz2', { Dockerfile: 'FROM busybox\nCOPY hello /\nCMD ["cat", "/hello"]\n', hello: 'hi from bz2\n' })}tar -cf - . | bzip2 > /tmp/ctx.tbz && docker build -q -t bz2ctx - < /tmp/ctx.tbz >/dev/null && docker run --rm bz2ctx`);
    expect(bz2).toEqual({ stdout: 'hi from bz2\n', stderr: '', code: 0 });
    const xz = await sh(guest, 'base64 -d > /tmp/ctx.txz && docker build -q -t xzctx - < /tmp/ctx.txz >/dev/null && docker run --rm xzctx', XZ_CONTEXT);
    expect(xz).toEqual({ stdout: 'hi from xz\n', stderr: '', code: 0 });
  }, 180_000);

  it('builds a stdlib-only Python web app on python:3.11-slim that answers curl on its published port', async () => {
    const app = [
      'import os',
      'from http.server import BaseHTTPRequestHandler, HTTPServer',
      'class Hello(BaseHTTPRequestHandler):',
      '    def do_GET(self):',
      '        body = (os.environ["GREETING"] + " from python\\n").encode()',
      '        self.send_response(200)',
      '        self.send_header("Content-Length", str(len(body)))',
      '        self.end_headers()',
      '        self.wfile.write(body)',
      'HTTPServer(("", 8000), Hello).serve_forever()',
      '',
    ].join('\n');
    const setup = project('pyapp', { Dockerfile: 'FROM python:3.11-slim\nWORKDIR /app\nCOPY app.py .\nENV GREETING=hello\nEXPOSE 8000\nCMD ["python", "app.py"]\n', 'app.py': app });
    await sh(guest, `${setup}docker build -q -t pyapp . >/dev/null && docker run -d --name pyapp -p 8000:8000 pyapp >/dev/null`);
    const r = await sh(guest, 'for i in $(seq 1 120); do curl -s localhost:8000 && break; sleep 0.5; done');
    expect(r.stdout).toBe('hello from python\n');
    await sh(guest, 'docker rm -f pyapp');
  }, 240_000);
});
