// The client's machine as the CLI sees it: for the guest's thin client, the guest shell's files,
// which the daemon reaches for it (src/engine/local-files.ts). A contract between the two layers.
import type { ByteSink } from './guest/port.ts';

/**
 * Files of the client's machine (the guest shell's, for the thin client): docker/cli reads
 * --env-file and --label-file itself, never through the daemon.
 */
export interface ClientFiles {
  /** The file's text, or null when it cannot be read. `path` is absolute. */
  readFile(path: string): Promise<string | null>;
  /** The file's bytes (`docker load -i`, `docker import FILE`), or null when it cannot be read. */
  readBytes(path: string): Promise<Uint8Array | null>;
  /**
   * `docker cp CONTAINER:SRC LOCALPATH`: the container's side resolved inside the container, as
   * the daemon's archive route does; resolves with the size of the tar Docker would have sent.
   */
  copyFromContainer(container: string, containerPath: string, localPath: string, followLink: boolean): Promise<number>;
  /** `docker cp LOCALPATH CONTAINER:DEST`; resolves with the tar's size. */
  copyToContainer(localPath: string, container: string, containerPath: string): Promise<number>;
  /**
   * docker/cli's ValidateOutputPath for `-o`: null when `path` (absolute) can be written, else
   * why not (`directory "/x" does not exist`, `"/x" is a directory`).
   */
  checkOutputPath(path: string): Promise<string | null>;
  /**
   * `docker build PATH`: the directory's files as a tar (paths relative to it), or null when
   * `path` (absolute) is not a directory.
   */
  archiveDirectory(path: string): Promise<Uint8Array | null>;
  /** Writes what `produce` sends to `path` (absolute), replacing the file only once it is complete. */
  writeFile(path: string, produce: (sink: ByteSink) => Promise<void>): Promise<void>;
}
