// BuildKit's plain and tty displays from a scripted trace, against the lines Docker 28 prints.
import { describe, expect, it } from 'vitest';
import { BuildkitDisplay } from './buildkit.ts';

const v = (n: number) => `sha256:${String(n).padStart(64, '0')}`;

async function play(mode: 'plain' | 'tty', fail: boolean) {
  let out = '';
  let clock = 1000;
  const display = new BuildkitDisplay({ write: async (t) => void (out += t), mode, width: 60, now: () => clock });
  await display.begin();
  await display.update({ vertexes: [{ digest: v(1), name: '[internal] load build definition from Dockerfile', started: 1000 }] });
  await display.update({ statuses: [{ id: 's', vertex: v(1), name: 'transferring dockerfile: 87B', completed: 1000 }] });
  await display.update({ vertexes: [{ digest: v(1), name: '[internal] load build definition from Dockerfile', started: 1000, completed: 1010 }] });
  await display.update({ vertexes: [{ digest: v(2), name: '[2/3] COPY a /a', started: 1010, completed: 1020, cached: true }] });
  await display.update({ vertexes: [{ digest: v(3), name: '[3/3] RUN make', started: 1020 }] });
  await display.update({ logs: [{ vertex: v(3), timestamp: 1235, data: 'compiling\nlink' }] });
  await display.update({ logs: [{ vertex: v(3), timestamp: 1300, data: 'ing\n' }] });
  clock = 1400;
  const error = fail ? 'process "/bin/sh -c make" did not complete successfully: exit code: 2' : undefined;
  await display.update({ vertexes: [{ digest: v(3), name: '[3/3] RUN make', started: 1020, completed: 1400, ...(error ? { error } : {}) }] });
  await display.end(error);
  return out;
}

describe('BuildKit display', () => {
  it('plain: numbered vertexes, statuses, timed output lines, DONE and CACHED', async () => {
    expect(await play('plain', false)).toBe(
      [
        '#0 building with "default" instance using docker driver',
        '',
        '#1 [internal] load build definition from Dockerfile',
        '#1 transferring dockerfile: 87B done',
        '#1 DONE 0.0s',
        '',
        '#2 [2/3] COPY a /a',
        '#2 CACHED',
        '',
        '#3 [3/3] RUN make',
        '#3 0.215 compiling',
        '#3 0.280 linking',
        '#3 DONE 0.4s',
        '',
        '',
      ].join('\n'),
    );
  });

  it("plain: a failure repeats the step's output and ends with BuildKit's error", async () => {
    const out = await play('plain', true);
    expect(out.slice(out.indexOf('#3 0.280'))).toBe(
      [
        '#3 0.280 linking',
        '#3 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
        '------',
        ' > [3/3] RUN make:',
        '0.215 compiling',
        '0.280 linking',
        '------',
        'ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2',
        '',
      ].join('\n'),
    );
  });

  it('tty: the final block has the header, one line per vertex with its time, statuses under it', async () => {
    const out = await play('tty', false);
    const last = out.slice(out.lastIndexOf('\x1b[2K[+]')).replaceAll('\x1b[2K', '');
    expect(last).toBe(
      [
        '[+] Building 0.4s (3/3) FINISHED              docker:default',
        ' => [internal] load build definition from Dockerfile    0.0s',
        ' => => transferring dockerfile: 87B                     0.0s',
        ' => CACHED [2/3] COPY a /a                              0.0s',
        ' => [3/3] RUN make                                      0.4s',
        '',
      ].join('\n'),
    );
  });
});
