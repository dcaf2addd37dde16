// The headless runner as a user calls it: `npm run -s play -- '<command>'`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/node.ts';
import { testHome } from './harness.ts';

function play(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'node_modules/tsx/dist/cli.mjs'), join(projectRoot, 'src/runner/play.ts'), ...args], {
    env: { ...process.env, SLIPWAY_HOME: testHome },
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

describe('npm run play', () => {
  it('exits with the command’s exit code and prints nothing else', () => {
    expect(play(['exit 7'])).toEqual({ stdout: '', stderr: '', code: 7 });
  });

  it('streams stdout and stderr separately and passes stdin through', () => {
    expect(play(['tr a-z A-Z; echo oops >&2'], 'hello\n')).toEqual({ stdout: 'HELLO\n', stderr: 'oops\n', code: 0 });
  });

  it('runs docker in the guest shell, as the tutorials do', () => {
    const r = play(['docker version | grep -c Version; docker frobnicate']);
    expect(r.stdout).toBe('4\n');
    expect(r.stderr).toBe("docker: unknown command: docker frobnicate\n\nRun 'docker --help' for more information\n");
    expect(r.code).toBe(1);
  });

  it('reads a script from stdin when given no command and no terminal', () => {
    expect(play([], 'echo from-stdin\nexit 3\n')).toEqual({ stdout: 'from-stdin\n', stderr: '', code: 3 });
  });
});
