// Platforms as containerd's platforms package reads, prints and matches them (Parse, Normalize,
// FormatAll, Only), which both docker/cli (`run --platform`) and moby (`pull --platform`, create)
// use. The Docker host here is linux/386: the guest is an i386 kernel, every image is linux/386.
import type { ImageConfig, Platform } from './oci.ts';
import { HOST_PLATFORM, normalizeArch, normalizeOs, withVariant } from '../../lib/platform.ts';

export { HOST_PLATFORM, parsePlatform, PlatformError } from '../../lib/platform.ts';
import { familiarString, parseImageReference, referenceString } from '../../lib/reference.ts';
import { ImageError } from './store/errors.ts';

/** platforms.FormatAll: `linux/arm64`, `linux/arm/v7`. */
export function formatPlatform(p: Platform & { 'os.version'?: string }): string {
  if (!p.os) return 'unknown';
  const os = p['os.version'] ? `${p.os}(${p['os.version']})` : p.os;
  return [os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * moby's OnlyPlatformWithFallback(wanted).Match(image): platforms.Only's list (amd64 also runs
 * 386, arm/v7 also v6 and v5, arm64 also arm), and an image without a variant matches on OS and
 * architecture. (arm64's v8.x/v9.x minor variants are not enumerated: no image here has them.)
 */
export function platformMatches(wanted: Platform, image: Platform): boolean {
  const w = normalize(wanted);
  const i = normalize(image);
  if (compatible(w).some((c) => c.os === i.os && c.architecture === i.architecture && (c.variant ?? '') === (i.variant ?? ''))) return true;
  return !image.variant && w.os === i.os && w.architecture === i.architecture;
}

/** An image's platform, from its config. */
export function imagePlatform(config: Pick<ImageConfig, 'os' | 'architecture' | 'variant'>): Platform {
  return config.variant ? { os: config.os, architecture: config.architecture, variant: config.variant } : { os: config.os, architecture: config.architecture };
}

/**
 * moby's GetImage with a platform: a local image of another platform is "not found" (so the CLI
 * pulls the platform asked for), in these words. `ref` is the reference as the client sent it.
 */
export function platformMismatch(ref: string, image: Platform, wanted: Platform): ImageError | undefined {
  if (platformMatches(wanted, image)) return undefined;
  let name = ref;
  try {
    const parsed = parseImageReference(ref);
    // reference.ParseNamed accepts only a canonical name, which the message shows in familiar form.
    if (referenceString(parsed) === ref) name = familiarString(parsed);
  } catch {
    // An ID or a name moby could not parse is shown as given.
  }
  return new ImageError('not-found', `image with reference ${name} was found but its platform (${formatPlatform(image)}) does not match the specified platform (${formatPlatform(wanted)})`);
}

function compatible(p: Platform): Platform[] {
  const variant = Number((p.variant ?? '').replace(/^v/, ''));
  const lower = (architecture: string, from: number, to: number) =>
    Array.from({ length: Math.max(0, from - to) }, (_, k) => withVariant({ os: p.os, architecture }, `v${from - 1 - k}`));
  switch (p.architecture) {
    case 'amd64':
      return [p, ...(variant > 1 ? lower('amd64', variant, 1) : []), { os: p.os, architecture: '386' }];
    case 'arm':
      return [p, ...(variant > 5 ? lower('arm', variant, 5) : [])];
    case 'arm64':
      return [p, withVariant({ os: p.os, architecture: 'arm' }, 'v8'), ...lower('arm', 8, 5)];
    default:
      return [p];
  }
}

function normalize(p: Platform): Platform {
  const [architecture, variant] = normalizeArch(p.architecture, p.variant ?? '');
  return withVariant({ os: normalizeOs(p.os), architecture }, variant);
}

