// What moby's daemon refuses at create (daemon/container.go verifyContainerSettings and
// daemon_unix.go verifyPlatformContainerResources), in its words: the checks belong to the daemon,
// so every API client gets them, not only the CLI.
import type { Config, HostConfig } from './options-types.ts';
import { cleanPath } from '../../lib/go-path.ts';
import { DaemonError } from './state.ts';
import { parseRamInBytes } from '../../lib/go-values.ts';

/** The guest has one CPU (v86 emulates one); `docker info` says NCPU 1 too. */
export const GUEST_CPUS = 1;
/**
 * A container's writable layer holds at most this much unless `--storage-opt size=` says
 * otherwise (an ext4 project quota on the Docker host's disk): one container filling its disk
 * fails alone instead of filling the disk every container and volume share.
 */
export const DEFAULT_LAYER_BYTES = 4 * 1024 ** 3;

/** moby's linuxMinMemory. */
const MIN_MEMORY = 6 * 1024 * 1024;

export function verifyContainerSettings(config: Pick<Config, 'WorkingDir'>, hc: Pick<HostConfig, 'Memory' | 'MemorySwap' | 'NanoCpus' | 'Tmpfs' | 'StorageOpt'>): void {
  const invalid = (message: string) => new DaemonError(message, 'invalid-parameter');
  if (config.WorkingDir && !config.WorkingDir.startsWith('/')) {
    throw invalid(`the working directory '${config.WorkingDir}' is invalid, it needs to be an absolute path`);
  }
  if (hc.Memory !== 0 && hc.Memory < MIN_MEMORY) throw invalid('Minimum memory limit allowed is 6MB');
  if (hc.Memory > 0 && hc.MemorySwap > 0 && hc.MemorySwap < hc.Memory) {
    throw invalid('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (hc.NanoCpus < 0 || hc.NanoCpus > GUEST_CPUS * 1e9) {
    throw invalid(`Range of CPUs is from 0.01 to ${GUEST_CPUS}.00, as there are only ${GUEST_CPUS} CPUs available`);
  }
  // verifyPlatformContainerSettings → linuxParser.ValidateTmpfsMountDestination: the daemon's
  // check, not the CLI's (docker/cli sends --tmpfs as typed).
  for (const destination of Object.keys(hc.Tmpfs ?? {})) {
    const path = destination.replaceAll('\\', '/');
    if (cleanPath(path) === '/') throw invalid("invalid specification: destination can't be '/'");
    if (!path.startsWith('/')) throw invalid(`invalid mount path: '${path}' mount path must be absolute`);
  }
  layerBytes(hc);
}

/**
 * The writable layer's limit from `--storage-opt` (moby's overlay2 parseOptions: `size` only,
 * any case), or the default.
 */
export function layerBytes(hc: Pick<HostConfig, 'StorageOpt'>): number {
  let bytes = DEFAULT_LAYER_BYTES;
  for (const [key, value] of Object.entries(hc.StorageOpt ?? {})) {
    if (key.toLowerCase() !== 'size') throw new DaemonError(`Unknown option ${key}`, 'invalid-parameter');
    try {
      bytes = parseRamInBytes(value);
    } catch (e) {
      throw new DaemonError((e as Error).message, 'invalid-parameter');
    }
  }
  return bytes;
}
