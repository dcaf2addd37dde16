// The guest shell's files as the `docker` thin client's machine: docker/cli reads --env-file
// itself and tars the local side of `docker cp` itself; the thin client has no file access of its
// own, so its session does both for it, in the guest (the Docker host, where the shell runs).
import type { ClientFiles } from '../cli/io.ts';
import { copyFromContainer, copyToContainer } from '../engine/container/archive.ts';
import type { Engine } from '../engine/engine.ts';
import { processOutput } from '../lib/streams.ts';

// docker/cli's CopyToFile: a temporary file beside the target, renamed over it once complete.
const WRITE_SCRIPT = `[ -d "$1" ] && { echo "open $1: is a directory" >&2; exit 1; }
exec cat > "$2"`;

export function guestClientFiles(engine: Engine): ClientFiles {
  const deps = {
    guest: engine.guest,
    volumeSource: (name: string) => engine.volumes.mountSource(name),
    mountRootfs: (r: { Id: string }) => engine.containers.mountRootfs(r.Id),
  };
  return {
    async readFile(path) {
      const r = await engine.runtime.run(['cat', path]);
      return r.code === 0 ? r.stdout : null;
    },
    async copyFromContainer(container, containerPath, localPath, followLink) {
      const record = engine.containers.registry.get(container);
      return (await copyFromContainer(record, containerPath, { path: localPath }, followLink, deps)).bytes;
    },
    async copyToContainer(localPath, container, containerPath) {
      const record = engine.containers.registry.get(container);
      const { bytes } = await copyToContainer(record, { path: localPath }, containerPath, deps);
      return bytes;
    },
    async checkOutputPath(path) {
      const dir = path.replace(/\/+[^/]*\/*$/, '') || '/';
      const r = await engine.runtime.run(['test', '-d', dir]);
      return r.code === 0 ? null : `directory ${JSON.stringify(dir)} does not exist`;
    },
    async writeFile(path, produce) {
      const temp = `${path.replace(/[^/]*$/, '')}.docker_temp_${Math.random().toString(36).slice(2, 10)}`;
      const proc = await engine.guest.spawn({ argv: ['/bin/sh', '-c', WRITE_SCRIPT, 'docker', path, temp], env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/' });
      const output = processOutput(proc);
      let failure: unknown = null;
      try {
        await produce({ write: (b) => proc.stdin.write(b), end: () => undefined });
      } catch (e) {
        failure = e;
      }
      proc.stdin.end();
      const { code, stderr } = await output;
      // Only a complete file replaces the target.
      if (failure || code !== 0) {
        await engine.runtime.run(['rm', '-f', temp]);
        throw failure ?? new Error(new TextDecoder().decode(stderr).trim() || `cannot write ${path}`);
      }
      const moved = await engine.runtime.run(['mv', '-f', temp, path]);
      if (moved.code !== 0) throw new Error(moved.stderr.trim() || `cannot write ${path}`);
    },
  };
}
