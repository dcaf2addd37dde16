import { describe, expect, test } from 'vitest';
import { bytesSize, containerStatusText, goTimeString, humanDuration, humanSize, humanSizeWithPrecision } from './units.ts';

// Expected values printed by docker/go-units (as vendored in docker/cli v28.2.2).
const durations: [number, string][] = [
  [0, 'Less than a second'], [0.4, 'Less than a second'], [1, '1 second'], [1.5, '1 second'], [59, '59 seconds'],
  [60, 'About a minute'], [61, 'About a minute'], [119, 'About a minute'], [120, '2 minutes'], [3599, '59 minutes'],
  [3600, 'About an hour'], [5399, 'About an hour'], [5400, '2 hours'], [7200, '2 hours'], [169200, '47 hours'],
  [172800, '2 days'], [1123200, '13 days'], [1209600, '2 weeks'], [5097600, '8 weeks'], [5184000, '2 months'],
  [62985600, '24 months'], [63072000, '2 years'], [94608000, '3 years'],
];

const sizes: [number, string, string, string][] = [
  [0, '0B', '0B', '0B'], [1, '1B', '1B', '1B'], [999, '999B', '999B', '999B'], [1000, '1kB', '1kB', '1000B'],
  [1023, '1.02kB', '1.023kB', '1023B'], [1093, '1.09kB', '1.093kB', '1.067KiB'], [4261550, '4.26MB', '4.262MB', '4.064MiB'],
  [192456789, '192MB', '192.5MB', '183.5MiB'], [999500, '1e+03kB', '999.5kB', '976.1KiB'], [1e9, '1GB', '1GB', '953.7MiB'],
  [1.5e12, '1.5TB', '1.5TB', '1.364TiB'], [123456789012345678, '123PB', '123.5PB', '109.7PiB'],
];

describe('go-units', () => {
  test.each(durations)('HumanDuration(%ss) = %s', (seconds, want) => {
    expect(humanDuration(seconds * 1000)).toBe(want);
  });
  test.each(sizes)('sizes of %d', (n, precision3, human, binary) => {
    expect(humanSizeWithPrecision(n, 3)).toBe(precision3);
    expect(humanSize(n)).toBe(human);
    expect(bytesSize(n)).toBe(binary);
  });
});

describe('container status text (moby State.String)', () => {
  const now = new Date('2026-11-22T13:00:00Z');
  const cases: [string, Parameters<typeof containerStatusText>[0], string][] = [
    ['running', { running: true, exitCode: 0, startedAt: '2026-11-22T12:58:00Z' }, 'Up 2 minutes'],
    ['paused', { running: true, paused: true, exitCode: 0, startedAt: '2026-11-22T12:58:00Z' }, 'Up 2 minutes (Paused)'],
    ['restarting', { running: true, restarting: true, exitCode: 1, finishedAt: '2026-11-22T12:59:58Z' }, 'Restarting (1) 2 seconds ago'],
    ['healthy', { running: true, exitCode: 0, startedAt: '2026-11-22T12:00:00Z', health: 'healthy' }, 'Up About an hour (healthy)'],
    ['starting', { running: true, exitCode: 0, startedAt: '2026-11-22T12:59:59.5Z', health: 'starting' }, 'Up Less than a second (health: starting)'],
    ['exited', { running: false, exitCode: 0, startedAt: '2026-11-22T12:00:00Z', finishedAt: '2026-11-22T12:59:57Z' }, 'Exited (0) 3 seconds ago'],
    ['exited 137', { running: false, exitCode: 137, startedAt: '2026-11-20T12:00:00Z', finishedAt: '2026-11-20T13:00:00Z' }, 'Exited (137) 2 days ago'],
    ['created', { running: false, exitCode: 0, startedAt: '0001-01-01T00:00:00Z' }, 'Created'],
    ['removing', { running: false, removalInProgress: true, exitCode: 0, startedAt: '2026-11-22T12:00:00Z' }, 'Removal In Progress'],
    ['dead', { running: false, dead: true, exitCode: 0, startedAt: '2026-11-22T12:00:00Z' }, 'Dead'],
  ];
  test.each(cases)('%s', (_, state, want) => {
    expect(containerStatusText(state, now)).toBe(want);
  });

  test('Go time.String in UTC', () => {
    expect(goTimeString(1795352400)).toBe('2026-11-22 13:00:00 +0000 UTC');
  });
});
