// The guest shell's files as the `docker` thin client's machine: docker/cli reads --env-file and
// tars the local side of `docker cp` itself; the thin client has no file access of its own, so the
// daemon does both for it, in the guest (the Docker host, where the shell runs). The CLI sees
// this as its ClientFiles, handed over by the Daemon: no client reaches the services behind it.
import type { ClientFiles } from '../protocol/client-files.ts';
import { copyFromContainer, copyToContainer } from './container/archive.ts';
import type { Engine } from './engine.ts';
import { processOutput } from '../lib/streams.ts';

// docker/cli's ValidateOutputPath, in one guest process: exit 2, the parent directory is missing;
// exit 3, the path is a directory.
const CHECK_SCRIPT = `[ -d "$(dirname -- "$1")" ] || exit 2; [ ! -d "$1" ] || exit 3`;

export function guestLocalFiles(engine: Engine): ClientFiles {
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
    async readBytes(path) {
      const r = await engine.runtime.runBytes(['cat', path]);
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
      const r = await engine.runtime.run(['/bin/sh', '-c', CHECK_SCRIPT, 'docker', path]);
      if (r.code === 2) return `directory ${JSON.stringify(path.replace(/\/+[^/]*\/*$/, '') || '/')} does not exist`;
      return r.code === 3 ? `${JSON.stringify(path)} is a directory` : null;
    },
    async archiveDirectory(path) {
      const r = await engine.runtime.runBytes(['/bin/sh', '-c', '[ -d "$1" ] || exit 2; cd "$1" && exec tar -cf - .', 'docker', path]);
      if (r.code === 2) return null;
      if (r.code !== 0) throw new Error(r.stderr.trim().replace(/^tar: /, '') || `cannot read ${path}`);
      return r.stdout;
    },
    async writeFile(path, produce) {
      const temp = `${path.replace(/[^/]*$/, '')}.docker_temp_${Math.random().toString(36).slice(2, 10)}`;
      // docker/cli's CopyToFile: a temporary file beside the target, renamed over it once complete.
      const proc = await engine.guest.spawn({ argv: ['/bin/sh', '-c', 'exec cat > "$1"', 'docker', temp], env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/' });
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
