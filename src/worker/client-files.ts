// The guest shell's files as the `docker` thin client's machine: docker/cli reads --env-file
// itself and tars the local side of `docker cp` itself; the thin client has no file access of its
// own, so its session does both for it, in the guest (the Docker host, where the shell runs).
import type { ClientFiles } from '../cli/io.ts';
import { copyFromContainer, copyToContainer } from '../engine/container/archive.ts';
import type { Engine } from '../engine/engine.ts';

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
  };
}
