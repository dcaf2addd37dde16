// moby daemon/top_unix.go's rules for ps output and options, on procps output taken in the guest.
import { describe, expect, it } from 'vitest';
import { parsePsOutput, validatePsArgs } from './top.ts';

const AUX = [
  'USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
  'root         1 12.5  0.6   2324  1524 ?        S    04:13   0:02 /bin/sh /init stage2',
  'root       311  0.0  0.0   1200   800 ?        Ss   04:14   0:00 sleep 100',
  '',
].join('\n');

describe('parsePsOutput', () => {
  it('keeps the rows of the given pids; the last column takes the rest of the line', () => {
    expect(parsePsOutput(AUX, new Set([311]))).toEqual({
      Titles: ['USER', 'PID', '%CPU', '%MEM', 'VSZ', 'RSS', 'TTY', 'STAT', 'START', 'TIME', 'COMMAND'],
      Processes: [['root', '311', '0.0', '0.0', '1200', '800', '?', 'Ss', '04:14', '0:00', 'sleep 100']],
    });
  });

  it('finds PID in any column (-axZ puts LABEL first)', () => {
    const out = 'LABEL                             PID TTY      STAT   TIME COMMAND\n-                                   7 ?        S      0:00 top -b\n';
    expect(parsePsOutput(out, new Set([7])).Processes).toEqual([['-', '7', '?', 'S', '0:00', 'top -b']]);
  });

  it('keeps thread rows ("-" as PID) only under a kept process', () => {
    const out = ['USER PID TID CMD', 'root 1 - init', 'root - 1 -', 'root 9 - app', 'root - 9 -', 'root - 10 -'].join('\n');
    expect(parsePsOutput(out, new Set([9])).Processes).toEqual([
      ['root', '9', '-', 'app'],
      ['root', '-', '9', '-'],
      ['root', '-', '10', '-'],
    ]);
  });

  it("fails with moby's words without a PID column or with a bad pid", () => {
    expect(() => parsePsOutput('USER COMMAND\nroot sh\n', new Set([1]))).toThrow("Couldn't find PID field in ps output");
    expect(() => parsePsOutput('PID CMD\nx sh\n', new Set([1]))).toThrow("Unexpected pid 'x'");
  });
});

describe('validatePsArgs', () => {
  it('refuses renaming another column to PID', () => {
    expect(validatePsArgs('-o pid=PID,user')).toBeNull();
    expect(validatePsArgs('-o user=PID')?.message).toBe('specifying "user=PID" is not allowed');
    expect(validatePsArgs('aux')).toBeNull();
  });
});
