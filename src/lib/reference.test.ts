import { describe, expect, it } from 'vitest';
import {
  familiarString,
  parseAnyReference,
  parseDockerRef,
  parseImageReference,
  referenceString,
  truncateId,
  withDefaultTag,
} from './reference.ts';

const HEX = 'a'.repeat(64);
const DIGEST = `sha256:${HEX}`;

describe('parseImageReference', () => {
  // [input, canonical (after withDefaultTag), familiar]
  const valid: [string, string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['user/app', 'docker.io/user/app:latest', 'user/app:latest'],
    ['library/a/b', 'docker.io/library/a/b:latest', 'library/a/b:latest'],
    ['localhost/x', 'localhost/x:latest', 'localhost/x:latest'],
    ['localhost:5000/x', 'localhost:5000/x:latest', 'localhost:5000/x:latest'],
    ['registry.example.com/a/b:tag', 'registry.example.com/a/b:tag', 'registry.example.com/a/b:tag'],
    ['UPPER/x', 'UPPER/x:latest', 'UPPER/x:latest'],
    ['Registry.Example.com/a', 'Registry.Example.com/a:latest', 'Registry.Example.com/a:latest'],
    ['[::1]:5000/x', '[::1]:5000/x:latest', '[::1]:5000/x:latest'],
    ['my_org/app-name.v2', 'docker.io/my_org/app-name.v2:latest', 'my_org/app-name.v2:latest'],
    ['a__b/c--d', 'docker.io/a__b/c--d:latest', 'a__b/c--d:latest'],
    [`busybox@${DIGEST}`, `docker.io/library/busybox@${DIGEST}`, `busybox@${DIGEST}`],
    [`busybox:1.36@${DIGEST}`, `docker.io/library/busybox:1.36@${DIGEST}`, `busybox:1.36@${DIGEST}`],
    ['busybox:V1_x.y-z', 'docker.io/library/busybox:V1_x.y-z', 'busybox:V1_x.y-z'],
    [`x:${'t'.repeat(128)}`, `docker.io/library/x:${'t'.repeat(128)}`, `x:${'t'.repeat(128)}`],
  ];
  it.each(valid)('%s', (input, canonical, familiar) => {
    const ref = withDefaultTag(parseImageReference(input));
    expect(referenceString(ref)).toBe(canonical);
    expect(familiarString(ref)).toBe(familiar);
  });

  it('splits domain, path, tag and digest', () => {
    expect(parseImageReference(`localhost:5000/a/b:v1@${DIGEST}`)).toEqual({
      domain: 'localhost:5000',
      path: 'a/b',
      tag: 'v1',
      digest: DIGEST,
    });
    expect(parseImageReference('busybox')).toEqual({ domain: 'docker.io', path: 'library/busybox' });
  });

  const invalid: [string, string][] = [
    ['', 'invalid reference format'],
    ['Busybox', 'invalid reference format: repository name (library/Busybox) must be lowercase'],
    ['library/Busybox:latest', 'invalid reference format: repository name (library/Busybox) must be lowercase'],
    ['localhost:5000/Foo', 'invalid reference format: repository name (Foo) must be lowercase'],
    ['busybox:', 'invalid reference format'],
    [':tag', 'invalid reference format'],
    ['busybox:-tag', 'invalid reference format'],
    ['busybox:.tag', 'invalid reference format'],
    [`busybox:${'t'.repeat(129)}`, 'invalid reference format'],
    ['busy box', 'invalid reference format'],
    ['-busybox', 'invalid reference format'],
    ['busybox-', 'invalid reference format'],
    ['a//b', 'invalid reference format'],
    ['a/b/', 'invalid reference format'],
    ['busybox@sha256:abc', 'invalid reference format'],
    [`busybox@sha256:${'a'.repeat(63)}`, 'invalid checksum digest length'],
    [`busybox@sha256:${'A'.repeat(64)}`, 'invalid checksum digest format'],
    [`busybox@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
    [HEX, `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`],
    [`a/${'b'.repeat(254)}`, 'repository name must not be more than 255 characters'],
    ['localhost:5000/x:Tag@bad', 'invalid reference format'],
  ];
  it.each(invalid)('rejects %j', (input, message) => {
    expect(() => parseImageReference(input)).toThrow(message);
    try {
      parseImageReference(input);
    } catch (error) {
      expect((error as Error).message).toBe(message);
    }
  });

  it('allows a 255-character path', () => {
    expect(parseImageReference(`a/${'b'.repeat(253)}`).path).toHaveLength(255);
  });
});

describe('parseDockerRef', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    [`busybox:1.36@${DIGEST}`, `docker.io/library/busybox@${DIGEST}`],
    [`busybox@${DIGEST}`, `docker.io/library/busybox@${DIGEST}`],
  ])('%s → %s', (input, expected) => {
    expect(referenceString(parseDockerRef(input))).toBe(expected);
  });
});

describe('parseAnyReference', () => {
  it.each([
    [HEX, { kind: 'digest', digest: DIGEST }],
    [DIGEST, { kind: 'digest', digest: DIGEST }],
    ['8135583d97fe', { kind: 'named', ref: { domain: 'docker.io', path: 'library/8135583d97fe' } }],
    ['sha256:8135', { kind: 'named', ref: { domain: 'docker.io', path: 'library/sha256', tag: '8135' } }],
  ])('%s', (input, expected) => {
    expect(parseAnyReference(input)).toEqual(expected);
  });
});

it('truncateId keeps 12 hex digits', () => {
  expect(truncateId(DIGEST)).toBe('aaaaaaaaaaaa');
  expect(truncateId('0123456789abcdef')).toBe('0123456789ab');
});
