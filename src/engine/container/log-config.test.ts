// Logging drivers as moby v28 checks them: names and option keys at create, option values at start.
import { describe, expect, it } from 'vitest';
import { logRetention, mergeAndVerifyLogConfig, readableLogOrThrow } from './log-config.ts';

const CHUNK = 256 * 1024;
const outcome = (fn: () => unknown) => {
  try {
    return fn();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

describe('mergeAndVerifyLogConfig (create)', () => {
  it('gives the default driver and keeps the options given', () => {
    expect(mergeAndVerifyLogConfig({ Type: '', Config: {} })).toEqual({ Type: 'json-file', Config: {} });
    expect(mergeAndVerifyLogConfig(undefined)).toEqual({ Type: 'json-file', Config: {} });
    expect(mergeAndVerifyLogConfig({ Type: 'local', Config: { 'max-size': '1m' } })).toEqual({ Type: 'local', Config: { 'max-size': '1m' } });
    expect(mergeAndVerifyLogConfig({ Type: 'none', Config: {} })).toEqual({ Type: 'none', Config: {} });
  });

  it.each([
    ['nosuch', {}, "error: logger: no log driver named 'nosuch' is registered"],
    ['syslog', {}, "error: logger: no log driver named 'syslog' is registered"],
    ['', { x: '1' }, "error: unknown log opt 'x' for json-file log driver"],
    ['json-file', { 'max-size': '10m', labels: 'a', tag: '{{.Name}}', mode: 'blocking', 'cache-disabled': 'true' }, 'ok'],
    ['local', { tag: 'x' }, "error: unknown log opt 'tag' for log driver local"],
    ['local', { 'max-file': '3', compress: 'false' }, 'ok'],
    // Values are the driver's to read at start: a bad one passes create.
    ['json-file', { 'max-size': 'abc' }, 'ok'],
    ['json-file', { mode: 'fast' }, 'error: logger: logging mode not supported: fast'],
    ['json-file', { 'max-buffer-size': '4m' }, "error: logger: max-buffer-size option is only supported with 'mode=non-blocking'"],
    ['json-file', { mode: 'non-blocking', 'max-buffer-size': 'x' }, "error: error parsing option max-buffer-size: invalid size: 'x'"],
    ['json-file', { 'cache-disabled': 'maybe' }, 'error: invalid value for option cache-disabled: maybe'],
    // moby checks nothing for none; docker/cli refuses options with it.
    ['none', { whatever: '1' }, 'ok'],
  ])('%s %j → %s', (Type, Config, want) => {
    const got = outcome(() => mergeAndVerifyLogConfig({ Type, Config }));
    expect(typeof got === 'string' ? got : 'ok').toBe(want);
  });
});

describe('logRetention (start)', () => {
  const start = (Type: string, Config: Record<string, string>) => outcome(() => logRetention({ Type, Config }, CHUNK));
  const failed = (why: string) => `error: failed to create task for container: failed to initialize logging driver: ${why}`;

  it('keeps everything with json-file unless max-size is set; sizes are decimal (go-units FromHumanSize)', () => {
    expect(start('json-file', {})).toBeNull();
    expect(start('json-file', { 'max-file': '3' })).toBeNull();
    expect(start('json-file', { 'max-size': '10k' })).toEqual({ maxBytes: 10_000, chunkBytes: 10_000 });
    expect(start('json-file', { 'max-size': '10m', 'max-file': '3' })).toEqual({ maxBytes: 30_000_000, chunkBytes: CHUNK });
    expect(start('json-file', { 'max-size': '1m', 'max-file': '2', compress: 'true' })).toEqual({ maxBytes: 2_000_000, chunkBytes: CHUNK });
  });

  it('keeps 5 × 20 MiB with local by default', () => {
    expect(start('local', {})).toEqual({ maxBytes: 5 * 20 * 1024 * 1024, chunkBytes: CHUNK });
    expect(start('local', { 'max-size': '1k', 'max-file': '1', compress: 'false' })).toEqual({ maxBytes: 1000, chunkBytes: 1000 });
  });

  it.each([
    ['json-file', { 'max-size': 'abc' }, "invalid size: 'abc'"],
    ['json-file', { 'max-size': '10q' }, "invalid suffix: 'q'"],
    ['json-file', { 'max-size': '0' }, 'max-size must be a positive number'],
    ['json-file', { 'max-size': '1m', 'max-file': 'x' }, 'strconv.Atoi: parsing "x": invalid syntax'],
    ['json-file', { 'max-size': '1m', 'max-file': '0' }, 'max-file cannot be less than 1'],
    ['json-file', { 'max-size': '1m', compress: 'yes' }, 'strconv.ParseBool: parsing "yes": invalid syntax'],
    ['json-file', { 'max-size': '1m', compress: 'true' }, 'compress cannot be true when max-file is less than 2 or max-size is not set'],
    ['json-file', { 'max-file': '3', compress: 'true' }, 'compress cannot be true when max-file is less than 2 or max-size is not set'],
    ['local', { 'max-size': 'abc' }, "invalid value for max-size: abc: invalid size: 'abc'"],
    ['local', { 'max-file': 'x' }, 'invalid value for max-file: x: strconv.Atoi: parsing "x": invalid syntax'],
    ['local', { compress: 'x' }, 'error reading compress log option: strconv.ParseBool: parsing "x": invalid syntax'],
    ['local', { 'max-file': '-1' }, 'max file count cannot be less than 0'],
    ['local', { 'max-file': '1' }, 'compression cannot be enabled when max file count is 1'],
  ])('%s %j fails the start: %s', (type, config, why) => expect(start(type, config)).toBe(failed(why)));
});

describe('readableLogOrThrow', () => {
  it('refuses only the none driver, in moby\'s words', () => {
    expect(() => readableLogOrThrow({ Type: 'none', Config: {} })).toThrow('configured logging driver does not support reading');
    expect(() => readableLogOrThrow({ Type: 'local', Config: {} })).not.toThrow();
    expect(() => readableLogOrThrow(undefined)).not.toThrow();
  });
});
