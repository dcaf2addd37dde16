// `--device` at start: what each host path is, read in the guest (the Docker host), as moby's
// oci.DevicesFromPath does while it builds the spec: a device node (symlinks resolved) becomes
// one device, a directory every device node under it, anything else fails the start.
import type { DeviceMapping } from './options-types.ts';
import type { GuestRuntime } from './runtime.ts';
import type { SpecDeviceInput } from './spec-types.ts';
import { DaemonError } from './state.ts';

/**
 * One guest process for all of a container's devices. Per path: `P`, the path with symlinks
 * resolved, then `E reason` or one `F` line per device node (raw mode, major and minor in hex,
 * uid, gid, path).
 */
const SCRIPT = [
  'for p do',
  '  r=$p',
  '  if [ -L "$p" ]; then t=$(readlink -f "$p") && [ -e "$t" ] && r=$t; fi',
  '  echo "P $r"',
  "  fmt='F %f %t %T %u %g %n'",
  '  if [ -L "$r" ]; then echo E not a device node',
  '  elif [ -b "$r" ] || [ -c "$r" ]; then stat -c "$fmt" "$r"',
  '  elif [ -d "$r" ]; then find "$r" \\( -type b -o -type c \\) -exec stat -c "$fmt" {} \\;',
  '  elif [ -e "$r" ]; then echo E not a device node',
  '  else echo E no such file or directory',
  '  fi',
  'done',
].join('\n');

const S_IFMT = 0o170000;
const TYPES: Record<number, SpecDeviceInput['type']> = { 0o020000: 'c', 0o060000: 'b' };

export async function gatherDevices(runtime: Pick<GuestRuntime, 'run'>, mappings: readonly DeviceMapping[]): Promise<SpecDeviceInput[]> {
  if (!mappings.length) return [];
  const r = await runtime.run(['sh', '-c', SCRIPT, 'sh', ...mappings.map((m) => m.PathOnHost)]);
  const groups = r.stdout.split(/^P /m).slice(1);
  if (r.code !== 0 || groups.length !== mappings.length) throw new DaemonError(`error gathering device information: ${r.stderr.trim()}`, 'system', 128);
  return mappings.flatMap((m, i) => devicesOf(m, groups[i]!));
}

function devicesOf(mapping: DeviceMapping, output: string): SpecDeviceInput[] {
  const [resolved = '', ...lines] = output.split('\n').filter(Boolean);
  const failure = lines.find((l) => l.startsWith('E '))?.slice(2) ?? (lines.length ? undefined : 'not a device node');
  if (failure) {
    throw new DaemonError(`error gathering device information while adding custom device ${JSON.stringify(mapping.PathOnHost)}: ${failure}`, 'system', 128);
  }
  return lines.map((line) => {
    const [, mode = '0', major = '0', minor = '0', uid, gid, ...name] = line.split(' ');
    const path = name.join(' ');
    const raw = parseInt(mode, 16);
    return {
      // A node under a directory keeps its place below the container path (moby: strings.Replace).
      path: path === resolved ? mapping.PathInContainer : path.replace(resolved, mapping.PathInContainer),
      type: TYPES[raw & S_IFMT] ?? 'c',
      major: parseInt(major, 16),
      minor: parseInt(minor, 16),
      fileMode: raw & 0o7777,
      uid: Number(uid),
      gid: Number(gid),
      permissions: mapping.CgroupPermissions,
    };
  });
}
