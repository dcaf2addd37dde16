// `docker run` when the start fails: what is printed and the exit code. Removing an --rm
// container then is the daemon's part (ContainerService.start, tested there), not the client's.
import { describe, expect, it } from 'vitest';
import { DaemonError } from '../../../container/state.ts';
import type { Engine } from '../../../engine.ts';
import { runDocker } from '../../testing/run-docker.ts';

const ID = 'c'.repeat(64);
const OCI_ERROR = 'failed to create task for container: failed to create shim task: OCI runtime create failed: exec: "nosuch": executable file not found in $PATH: unknown';

function setup() {
  const removed: [string, unknown][] = [];
  const containers = {
    create: async () => ({ Id: ID }),
    start: async () => {
      throw new DaemonError(OCI_ERROR, 'system');
    },
    remove: async (ref: string, options: unknown) => void removed.push([ref, options]),
    registry: { find: () => undefined },
  };
  const engine = { containers, images: { resolve: async () => ({ id: 'sha256:' + 'b'.repeat(64), config: {} }) } } as unknown as Engine;
  const docker = async (argv: string[]) => {
    return runDocker(engine, argv);
  };
  return { docker, removed };
}

const failure = `docker: Error response from daemon: ${OCI_ERROR}\n\nRun 'docker run --help' for more information\n`;

describe('docker run whose start fails', () => {
  it.each([
    ['attached --rm', ['run', '--rm', 'busybox', 'nosuch'], '', []],
    ['detached --rm (the ID is printed first)', ['run', '-d', '--rm', 'busybox', 'nosuch'], `${ID}\n`, []],
    ['attached, no --rm', ['run', 'busybox', 'nosuch'], '', []],
    ['detached, no --rm', ['run', '-d', 'busybox', 'nosuch'], `${ID}\n`, []],
  ])('%s', async (_, argv, stdout, removed) => {
    const t = setup();
    expect(await t.docker(argv)).toEqual({ code: 127, stdout, stderr: failure });
    expect(t.removed).toEqual(removed);
  });
});
