// The pure pieces: targets and versions, the query, route templates, stdcopy frames.
import { describe, expect, it } from 'vitest';
import { ApiError, errorStatus } from '../errors.ts';
import { parseFiltersJson, Query } from './query.ts';
import { empty } from './response.ts';
import { compileTemplate, Router } from './router.ts';
import { encodeStdFrame, StdFrameDecoder, StdStream } from './stdcopy.ts';
import { cleanPath, compareApiVersions, parseTarget, splitVersion, unsupportedVersion } from './target.ts';

describe('request targets and API versions', () => {
  it('splits and decodes targets, origin and absolute form', () => {
    expect(parseTarget('/v1.50/images/a%2Fb/json?x=%2F')).toEqual({ path: '/v1.50/images/a/b/json', rawQuery: 'x=%2F' });
    expect(parseTarget('http://api.moby.localhost/v1.50/_ping')).toEqual({ path: '/v1.50/_ping', rawQuery: '' });
    expect(() => parseTarget('_ping')).toThrow();
  });

  it('cleans paths as gorilla/mux does', () => {
    expect(cleanPath('/a//b/./c/../d/')).toBe('/a/b/d/');
    expect(cleanPath('/../x')).toBe('/x');
    expect(cleanPath('/')).toBe('/');
  });

  it('finds the version prefix only where moby\'s matcher does', () => {
    expect(splitVersion('/v1.43/containers/json')).toEqual({ version: '1.43', path: '/containers/json' });
    expect(splitVersion('/v1/x')).toEqual({ version: '1', path: '/x' });
    expect(splitVersion('/vx/x')).toEqual({ version: null, path: '/vx/x' });
    expect(splitVersion('/v1.50')).toEqual({ version: null, path: '/v1.50' });
  });

  it('compares versions part by part and words refusals as moby does', () => {
    expect(compareApiVersions('1.9', '1.24')).toBe(-1);
    expect(compareApiVersions('1.24', '1.24.0')).toBe(0);
    expect(compareApiVersions('2', '1.50')).toBe(1);
    expect(unsupportedVersion('1.24')).toBeNull();
    expect(unsupportedVersion('1.50')).toBeNull();
    expect(unsupportedVersion('1')).toBe('client version 1 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version');
    expect(unsupportedVersion('1.52')).toBe('client version 1.52 is too new. Maximum supported API version is 1.50');
  });
});

describe('Query', () => {
  it('reads booleans as httputils.BoolValue', () => {
    const q = Query.parse('a=1&b=true&c=True&d=0&e=no&f=false&g=none&h=&i=yes&j=+FALSE+');
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'absent'].map((k) => q.bool(k))).toEqual([true, true, true, false, false, false, false, false, true, false, false]);
    expect(q.boolOr('absent', true)).toBe(true);
    expect(q.boolOr('h', true)).toBe(false);
  });

  it('reads integers as Int64ValueOrDefault, with strconv\'s complaint', () => {
    const q = Query.parse('t=10&n=-3&bad=1x&empty=');
    expect([q.intOr('t', 0), q.intOr('n', 0), q.intOr('empty', 7), q.intOr('absent', 7)]).toEqual([10, -3, 7, 7]);
    expect(() => q.intOr('bad', 0)).toThrow('strconv.ParseInt: parsing "1x": invalid syntax');
  });

  it('keeps repeated keys, plus signs and UTF-8, and refuses semicolons as Go does', () => {
    const q = Query.parse('k=a&k=b&s=a+b%2Bc&u=%C3%A9&&flag');
    expect(q.getAll('k')).toEqual(['a', 'b']);
    expect([q.get('s'), q.get('u'), q.has('flag'), q.get('flag')]).toEqual(['a b+c', 'é', true, '']);
    expect(() => Query.parse('a=1;b=2')).toThrow('invalid semicolon separator in query');
    const error = (() => {
      try {
        Query.parse('a=%4');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(errorStatus(error)).toBe(400);
  });

  it('reads filters in both formats of filters.FromJSON', () => {
    expect([...parseFiltersJson('{"label":{"a=b":true,"c":false},"name":{}}')]).toEqual([
      ['label', ['a=b', 'c']],
      ['name', []],
    ]);
    expect([...parseFiltersJson('{"status":["running","running"]}')]).toEqual([['status', ['running']]]);
    expect(parseFiltersJson('').size).toBe(0);
    for (const bad of ['[', '[]', '"x"', '{"a":"b"}', '{"a":{"b":1}}', '{"a":{"b":true},"c":["d"]}']) {
      expect(() => parseFiltersJson(bad), bad).toThrow('invalid filter');
    }
  });
});

describe('Router', () => {
  it('compiles gorilla/mux templates', () => {
    const { pattern, names } = compileTemplate('/exec/{id}/json');
    expect(names).toEqual(['id']);
    expect(pattern.test('/exec/abc/json')).toBe(true);
    expect(pattern.test('/exec/a/b/json')).toBe(false);
    expect(compileTemplate('/x/{n:[0-9]{2}}').pattern.test('/x/42')).toBe(true);
    expect(compileTemplate('/x/{n:[0-9]{2}}').pattern.test('/x/423')).toBe(false);
    expect(() => compileTemplate('/x/{n')).toThrow();
    expect(() => compileTemplate('/x/{n}/{n}')).toThrow();
  });

  it('takes the first route that matches, as moby registers them', () => {
    const router = new Router()
      .get('/images/json', () => empty(200))
      .get('/images/{name:.*}/json', () => empty(201))
      .delete('/images/{name:.*}', () => empty(202));
    expect(router.match('GET', '/images/json')?.template).toBe('/images/json');
    expect(router.match('GET', '/images/a/b:c/json')?.params).toEqual({ name: 'a/b:c' });
    expect(router.match('DELETE', '/images/a/b')?.params).toEqual({ name: 'a/b' });
    expect(router.match('POST', '/images/json')).toBeNull();
    expect(router.match('HEAD', '/images/json')).toBeNull();
  });
});

describe('stdcopy frames', () => {
  it('encodes moby\'s 8-byte header', () => {
    expect([...encodeStdFrame(StdStream.stderr, 'hi')]).toEqual([2, 0, 0, 0, 0, 0, 0, 2, 104, 105]);
    expect([...encodeStdFrame(StdStream.stdout, new Uint8Array(258)).subarray(0, 8)]).toEqual([1, 0, 0, 0, 0, 0, 1, 2]);
  });

  it('decodes what it encodes, cut at every point', () => {
    const frames = [
      encodeStdFrame(StdStream.stdout, 'hello '),
      encodeStdFrame(StdStream.stderr, 'oops\n'),
      encodeStdFrame(StdStream.stdout, new Uint8Array(0)),
      encodeStdFrame(StdStream.systemError, 'daemon error'),
    ];
    const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
    frames.reduce((at, f) => (all.set(f, at), at + f.length), 0);
    const text = new TextDecoder();
    for (let cut = 0; cut <= all.length; cut++) {
      const decoder = new StdFrameDecoder();
      const out = [...decoder.push(all.slice(0, cut)), ...decoder.push(all.slice(cut))];
      expect(out.map((f) => [f.stream, text.decode(f.data)])).toEqual([
        [1, 'hello '],
        [2, 'oops\n'],
        [1, ''],
        [3, 'daemon error'],
      ]);
      expect(decoder.pending).toBe(0);
    }
  });

  it('refuses an unknown stream type and holds back a partial frame', () => {
    expect(() => new StdFrameDecoder().push(new Uint8Array([7, 0, 0, 0, 0, 0, 0, 0]))).toThrow('Unrecognized input header: 7');
    const decoder = new StdFrameDecoder();
    expect(decoder.push(encodeStdFrame(StdStream.stdout, 'abc').subarray(0, 10))).toEqual([]);
    expect(decoder.pending).toBe(10);
  });
});
