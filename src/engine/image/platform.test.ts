// containerd's platform rules as docker/cli and moby apply them (platforms.Parse, FormatAll,
// Only) and moby's wording for a local image of another platform.
import { describe, expect, it } from 'vitest';
import { formatPlatform, parsePlatform, platformMatches, platformMismatch } from './platform.ts';

const parsed = (s: string) => {
  try {
    return formatPlatform(parsePlatform(s));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

describe('platforms', () => {
  it.each([
    ['linux/386', 'linux/386'],
    ['linux/i386', 'linux/386'],
    ['linux/amd64', 'linux/amd64'],
    ['Linux/x86_64', 'linux/amd64'],
    ['linux/arm64', 'linux/arm64'],
    ['linux/aarch64', 'linux/arm64'],
    ['linux/arm64/v8', 'linux/arm64/v8'],
    ['linux/arm', 'linux/arm'],
    ['linux/arm/v6', 'linux/arm/v6'],
    ['linux/armhf', 'linux/arm'],
    ['linux', 'linux/386'],
    ['arm64', 'linux/arm64'],
    ['windows(10.0.17763)/amd64', 'windows(10.0.17763)/amd64'],
    ['foo', 'error: "foo": unknown operating system or architecture: invalid argument'],
    ['linux/*', 'error: "linux/*": wildcards not yet supported: invalid argument'],
    ['a b/386', 'error: "a b" is an invalid OS component of "a b/386": OSAndVersion specifier component must match "^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$": invalid argument'],
    ['linux/a b', 'error: "a b" is an invalid component of "linux/a b": platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument'],
    ['linux/arm/v7/x', 'error: "linux/arm/v7/x": cannot parse platform specifier: invalid argument'],
  ])('parse %s → %s', (input, want) => expect(parsed(input)).toBe(want));

  it.each([
    ['linux/386', true],
    ['linux/amd64', true], // platforms.Only(amd64) includes 386
    ['linux/arm64', false],
    ['linux/arm/v7', false],
    ['windows/386', false],
  ])('an i386 image runs for %s: %s', (wanted, want) => {
    expect(platformMatches(parsePlatform(wanted), { os: 'linux', architecture: '386' })).toBe(want);
  });

  it('matches arm variants down the list, and an image without a variant on OS and architecture', () => {
    expect(platformMatches(parsePlatform('linux/arm/v7'), { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe(true);
    expect(platformMatches(parsePlatform('linux/arm/v6'), { os: 'linux', architecture: 'arm', variant: 'v7' })).toBe(false);
    expect(platformMatches(parsePlatform('linux/arm/v6'), { os: 'linux', architecture: 'arm' })).toBe(true);
  });

  it("words a mismatch as moby's GetImage does, the name as the client sent it unless canonical", () => {
    const i386 = { os: 'linux', architecture: '386' };
    expect(platformMismatch('busybox', i386, parsePlatform('linux/arm64'))?.message).toBe(
      'image with reference busybox was found but its platform (linux/386) does not match the specified platform (linux/arm64)',
    );
    expect(platformMismatch('docker.io/library/busybox:latest', i386, parsePlatform('linux/arm/v7'))?.message).toBe(
      'image with reference busybox:latest was found but its platform (linux/386) does not match the specified platform (linux/arm/v7)',
    );
    expect(platformMismatch('busybox', i386, parsePlatform('linux/386'))).toBeUndefined();
  });
});
