// `-v`, `--mount` and `--tmpfs`: docker/cli's volume-spec and mount-option parsing with its error texts.
import { parseGoBool, parseRamInBytes } from '../../lib/go-values.ts';
import type { Mount } from '../../engine/api/types.ts';
import { ContainerOptionsError } from './options-values.ts';

export interface VolumeSpec {
  /** '' for an anonymous volume. */
  source: string;
  target: string;
  mode: string;
  type: 'bind' | 'volume';
}

/** compose loader.ParseVolume (Linux paths): `/ctr`, `name:/ctr`, `/host:/ctr:ro,z`. */
export function parseVolumeSpec(spec: string): VolumeSpec {
  if (spec === '') throw new ContainerOptionsError('invalid empty volume spec');
  const parts = spec.split(':');
  if (parts.some((p) => p === '')) throw new ContainerOptionsError(`invalid spec: ${spec}: empty section between colons`);
  if (parts.length > 3) throw new ContainerOptionsError(`invalid spec: ${spec}: too many colons`);
  if (parts.length === 1) return { source: '', target: spec, mode: '', type: 'volume' };
  const [source, target, mode = ''] = parts as [string, string, string?];
  const isPath = source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
  return { source, target, mode, type: isPath ? 'bind' : 'volume' };
}

/** Splits a CSV record the way Go's encoding/csv does for one line (quotes allowed). */
function splitCsv(value: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') fields.push(field), (field = '');
    else field += c;
  }
  fields.push(field);
  return fields;
}

/** docker/cli opts.MountOpt.Set: `type=volume,source=data,target=/data,readonly`. */
export function parseMount(value: string): Mount {
  const m: Mount = { Type: 'volume', Target: '' };
  const volume = () => (m.VolumeOptions ??= {});
  const bind = () => (m.BindOptions ??= {});
  const tmpfs = () => (m.TmpfsOptions ??= {});
  const bool = (key: string, val: string) => {
    try {
      return parseGoBool(val);
    } catch {
      throw new ContainerOptionsError(`invalid value for ${key}: ${val}`);
    }
  };
  let type = 'volume';
  for (const field of splitCsv(value)) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const val = eq < 0 ? '' : field.slice(eq + 1);
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') m.ReadOnly = true;
      else if (key === 'volume-nocopy') volume().NoCopy = true;
      else if (key === 'bind-nonrecursive') bind().NonRecursive = true;
      else throw new ContainerOptionsError(`invalid field '${field}' must be a key=value pair`);
      continue;
    }
    switch (key) {
      case 'type':
        type = val.toLowerCase();
        break;
      case 'source':
      case 'src':
        m.Source = val;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        m.Target = val;
        break;
      case 'readonly':
      case 'ro':
        m.ReadOnly = bool(key, val);
        break;
      case 'consistency':
        m.Consistency = val.toLowerCase();
        break;
      case 'bind-propagation':
        bind().Propagation = val.toLowerCase();
        break;
      case 'bind-nonrecursive':
        bind().NonRecursive = bool(key, val);
        break;
      case 'volume-subpath':
        volume().Subpath = val;
        break;
      case 'volume-nocopy':
        volume().NoCopy = bool('volume-nocopy', val);
        break;
      case 'volume-label': {
        const [k, v = ''] = val.split(/=(.*)/s);
        if (k) (volume().Labels ??= {})[k] = v;
        break;
      }
      case 'volume-driver':
        (volume().DriverConfig ??= {}).Name = val;
        break;
      case 'volume-opt': {
        const [k, v = ''] = val.split(/=(.*)/s);
        if (k) ((volume().DriverConfig ??= {}).Options ??= {})[k] = v;
        break;
      }
      case 'image-subpath':
        (m.ImageOptions ??= {}).Subpath = val;
        break;
      case 'tmpfs-size':
        try {
          tmpfs().SizeBytes = parseRamInBytes(val);
        } catch {
          throw new ContainerOptionsError(`invalid value for ${key}: ${val}`);
        }
        break;
      case 'tmpfs-mode':
        if (!/^[0-7]+$/.test(val)) throw new ContainerOptionsError(`invalid value for ${key}: ${val}`);
        tmpfs().Mode = parseInt(val, 8);
        break;
      default:
        throw new ContainerOptionsError(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (type === '') throw new ContainerOptionsError('type is required');
  // Unknown types are the daemon's to reject, as with Docker.
  m.Type = type as Mount['Type'];
  if (m.Target === '') throw new ContainerOptionsError('target is required');
  if (m.VolumeOptions && m.Type !== 'volume') throw new ContainerOptionsError(`cannot mix 'volume-*' options with mount type '${m.Type}'`);
  if (m.ImageOptions && m.Type !== 'image') throw new ContainerOptionsError(`cannot mix 'image-*' options with mount type '${m.Type}'`);
  if (m.BindOptions && m.Type !== 'bind') throw new ContainerOptionsError(`cannot mix 'bind-*' options with mount type '${m.Type}'`);
  if (m.TmpfsOptions && m.Type !== 'tmpfs') throw new ContainerOptionsError(`cannot mix 'tmpfs-*' options with mount type '${m.Type}'`);
  return m;
}

/** `--tmpfs /run:rw,size=64m` → ['/run', 'rw,size=64m']. */
export function parseTmpfs(value: string): [string, string] {
  const colon = value.indexOf(':');
  return colon < 0 ? [value, ''] : [value.slice(0, colon), value.slice(colon + 1)];
}
