// `--device HOST[:CONTAINER][:PERMISSIONS]`: docker/cli validates the syntax (validateDevice with
// the server's OS, then parseDevice); whether the host path is a device is the daemon's to say at
// start (devices.ts).
import { cleanPath } from '../../lib/go-path.ts';
import type { DeviceMapping } from '../../engine/api/types.ts';
import { ContainerOptionsError } from './options-values.ts';

/** validateLinuxPath(val, validDeviceMode), then parseLinuxDevice. */
export function parseDevice(value: string): DeviceMapping {
  return parseLinuxDevice(validateLinuxPath(value));
}

/** `r`, `w` and `m`, each at most once. */
function validDeviceMode(mode: string): boolean {
  return mode !== '' && [...mode].every((c, i) => 'rwm'.includes(c) && mode.indexOf(c) === i);
}

function validateLinuxPath(value: string): string {
  const split = value.split(':');
  if (split.length > 3 || split[0] === '') throw new ContainerOptionsError(`bad format for path: ${value}`);
  let containerPath: string;
  let validated: string;
  if (split.length === 1) {
    containerPath = split[0]!;
    validated = cleanPath(containerPath);
  } else if (split.length === 2 && validDeviceMode(split[1]!)) {
    containerPath = split[0]!;
    validated = `${cleanPath(containerPath)}:${split[1]}`;
  } else if (split.length === 2) {
    containerPath = split[1]!;
    validated = `${split[0]}:${cleanPath(containerPath)}`;
  } else {
    containerPath = split[1]!;
    if (!validDeviceMode(split[2]!)) throw new ContainerOptionsError(`bad mode specified: ${split[2]}`);
    validated = value;
  }
  if (!containerPath.startsWith('/')) throw new ContainerOptionsError(`${containerPath} is not an absolute path`);
  return validated;
}

function parseLinuxDevice(device: string): DeviceMapping {
  const [source = '', second, third] = device.split(':');
  let permissions = third ?? 'rwm';
  let destination = '';
  if (second !== undefined) {
    if (validDeviceMode(second)) permissions = second;
    else destination = second;
  }
  return { PathOnHost: source, PathInContainer: destination || source, CgroupPermissions: permissions };
}
