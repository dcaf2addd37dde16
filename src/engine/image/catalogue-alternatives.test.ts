import { describe, expect, it } from 'vitest';
import { closestImageLine } from './catalogue-alternatives.ts';

const CATALOGUE = ['hello-world', 'busybox', 'debian', 'python', 'nginx', 'redis', 'postgres'];

describe('closest catalogue image', () => {
  it.each([
    ['alpine', "alpine is not in Slipway's offline catalogue; use busybox (or debian:bookworm-slim) instead."],
    ['ubuntu', "ubuntu is not in Slipway's offline catalogue; use debian instead."],
    ['httpd', "httpd is not in Slipway's offline catalogue; use nginx instead."],
    ['mysql', "mysql is not in Slipway's offline catalogue; use postgres instead."],
    ['node', "node is not in Slipway's offline catalogue, and no image there is close enough to stand in for it."],
    ['golang', "golang is not in Slipway's offline catalogue, and no image there is close enough to stand in for it."],
  ])('%s', (name, line) => {
    expect(closestImageLine(name, CATALOGUE)).toBe(line);
  });

  it('says nothing about names it does not know, nor about inherited object keys', () => {
    expect(closestImageLine('foo', CATALOGUE)).toBeUndefined();
    expect(closestImageLine('constructor', CATALOGUE)).toBeUndefined();
  });

  it('only suggests images the catalogue has', () => {
    expect(closestImageLine('alpine', ['debian'])).toBe("alpine is not in Slipway's offline catalogue; use debian:bookworm-slim instead.");
    expect(closestImageLine('mysql', ['debian'])).toBe("mysql is not in Slipway's offline catalogue, and no image there is close enough to stand in for it.");
  });
});
