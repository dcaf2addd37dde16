import { describe, expect, it } from 'vitest';
import { parseGoBool, parseGoDuration, parseGoInteger, parseHumanSize, parseNanoCpus, parseRamInBytes } from './go-values.ts';

const outcome = (fn: () => unknown) => {
  try {
    return fn();
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
};

describe('value parsers (Go semantics and texts)', () => {
  it.each([
    ['true', true], ['T', true], ['1', true], ['False', false], ['0', false],
    ['yes', 'error: strconv.ParseBool: parsing "yes": invalid syntax'],
  ])('bool %s', (input, want) => expect(outcome(() => parseGoBool(input))).toBe(want));

  it.each([
    ['10', true, 64, 10], ['-5', true, 64, -5], ['0x1f', true, 64, 31], ['010', true, 64, 8], ['0b11', true, 64, 3],
    ['abc', true, 64, 'error: strconv.ParseInt: parsing "abc": invalid syntax'],
    ['-1', false, 16, 'error: strconv.ParseUint: parsing "-1": invalid syntax'],
    ['70000', false, 16, 'error: strconv.ParseUint: parsing "70000": value out of range'],
  ] as const)('integer %s', (input, signed, bits, want) => expect(outcome(() => parseGoInteger(input, signed, bits))).toBe(want));

  it.each([
    ['10s', 10e9], ['1m30s', 90e9], ['1.5h', 5400e9], ['250ms', 250e6], ['0', 0], ['-2s', -2e9],
    ['abc', 'error: time: invalid duration "abc"'],
    ['10', 'error: time: missing unit in duration "10"'],
    ['10x', 'error: time: unknown unit "x" in duration "10x"'],
  ])('duration %s', (input, want) => expect(outcome(() => parseGoDuration(input))).toBe(want));

  it.each([
    ['512m', 512 * 1024 ** 2], ['1g', 1024 ** 3], ['1.5g', 1.5 * 1024 ** 3], ['100', 100], ['64MiB', 64 * 1024 ** 2],
    ['10 k', 10240], ['2b', 2],
    ['abc', "error: invalid size: 'abc'"], ['1x', "error: invalid suffix: 'x'"], ['-1', "error: invalid size: '-1'"],
    ['1gb2', 'error: strconv.ParseFloat: parsing "1gb2": invalid syntax'],
  ])('RAMInBytes %s', (input, want) => expect(outcome(() => parseRamInBytes(input))).toBe(want));

  it.each([
    ['10m', 10_000_000], ['1k', 1000], ['1KiB', 1000], ['1.5g', 1.5e9], ['100', 100],
    ['abc', "error: invalid size: 'abc'"], ['3q', "error: invalid suffix: 'q'"],
  ])('FromHumanSize %s', (input, want) => expect(outcome(() => parseHumanSize(input))).toBe(want));

  it.each([
    ['1.5', 1_500_000_000], ['2', 2_000_000_000], ['0.001', 1_000_000], ['3/2', 1_500_000_000], ['1e-1', 100_000_000],
    ['abc', 'error: failed to parse abc as a rational number'],
    ['0.0000000001', 'error: value is too precise'],
  ])('NanoCPUs %s', (input, want) => expect(outcome(() => parseNanoCpus(input))).toBe(want));
});
