// containerd's platforms.Parse and its normalisation, which docker/cli (`run --platform`) and
// moby (`pull --platform`, create) both use. The Docker host here is linux/386.
import { goQuote } from './go-values.ts';

/** An OCI platform (image-spec's Platform, as containerd's platforms package reads it). */
export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

/** What `platforms.DefaultSpec()` is on the guest. */
export const HOST_PLATFORM: Platform = { os: 'linux', architecture: '386' };

const SPECIFIER = /^[A-Za-z0-9_.-]+$/;
const OS_AND_VERSION = /^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.-]*)\))?$/;
/** The regular expressions' Go source, as the errors quote them. */
const SPECIFIER_SOURCE = '^[A-Za-z0-9_.-]+$';
const OS_AND_VERSION_SOURCE = '^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.-]*)\\))?$';

const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'windows', 'zos']);
const KNOWN_ARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'ppc64', 'ppc64le', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le',
  'mips64p32', 'mips64p32le', 'ppc', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);

export class PlatformError extends Error {
  override name = 'PlatformError';
}

/** platforms.Parse: `linux/arm64`, `linux/arm/v7`, `arm64` (an architecture on this OS), `linux`. */
export function parsePlatform(specifier: string): Platform {
  const invalid = (why: string) => new PlatformError(`${why}: invalid argument`);
  if (specifier.includes('*')) throw invalid(`${goQuote(specifier)}: wildcards not yet supported`);
  const parts = splitN(specifier, '/', 4);
  const osAndVersion = OS_AND_VERSION.exec(parts[0]!);
  if (!osAndVersion) {
    throw invalid(`${goQuote(parts[0]!)} is an invalid OS component of ${goQuote(specifier)}: OSAndVersion specifier component must match ${goQuote(OS_AND_VERSION_SOURCE)}`);
  }
  for (const part of parts.slice(1)) {
    if (!SPECIFIER.test(part)) {
      throw invalid(`${goQuote(part)} is an invalid component of ${goQuote(specifier)}: platform specifier component must match ${goQuote(SPECIFIER_SOURCE)}`);
    }
  }
  const os = normalizeOs(osAndVersion[1]!);
  const osVersion = osAndVersion[2] ? { 'os.version': osAndVersion[2] } : {};
  switch (parts.length) {
    case 1: {
      if (KNOWN_OS.has(os)) return { os, architecture: HOST_PLATFORM.architecture, ...osVersion };
      const [architecture, variant] = normalizeArch(parts[0]!, '');
      if (KNOWN_ARCH.has(architecture)) return withVariant({ os: HOST_PLATFORM.os, architecture }, architecture === 'arm' && variant === 'v7' ? '' : variant);
      throw invalid(`${goQuote(specifier)}: unknown operating system or architecture`);
    }
    case 2: {
      const [architecture, variant] = normalizeArch(parts[1]!, '');
      return withVariant({ os, architecture, ...osVersion }, architecture === 'arm' && variant === 'v7' ? '' : variant);
    }
    case 3: {
      const [architecture, variant] = normalizeArch(parts[1]!, parts[2]!);
      return withVariant({ os, architecture, ...osVersion }, architecture === 'arm64' && variant === '' ? 'v8' : variant);
    }
    default:
      throw invalid(`${goQuote(specifier)}: cannot parse platform specifier`);
  }
}

export function normalizeOs(os: string): string {
  const lower = (os || HOST_PLATFORM.os).toLowerCase();
  return lower === 'macos' ? 'darwin' : lower;
}

export function normalizeArch(arch: string, variant: string): [string, string] {
  const a = arch.toLowerCase();
  const v = variant.toLowerCase();
  switch (a) {
    case 'i386':
      return ['386', ''];
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return ['amd64', v === 'v1' ? '' : v];
    case 'aarch64':
    case 'arm64':
      return ['arm64', ['8', 'v8', 'v8.0'].includes(v) ? '' : ['9', '9.0', 'v9.0'].includes(v) ? 'v9' : v];
    case 'armhf':
      return ['arm', 'v7'];
    case 'armel':
      return ['arm', 'v6'];
    case 'arm':
      return ['arm', v === '' || v === '7' ? 'v7' : ['5', '6', '8'].includes(v) ? `v${v}` : v];
    default:
      return [a, v];
  }
}

export function withVariant<T extends Platform>(p: T, variant: string): T {
  return variant ? { ...p, variant } : p;
}

/** Go's strings.SplitN. */
function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}
