import { describe, expect, it } from 'vitest';
import { humanSize, progressString, renderPullProgress, type PullEvent } from './progress.ts';

describe('humanSize (go-units)', () => {
  it.each([
    [0, '0B'],
    [842, '842B'],
    [1000, '1kB'],
    [32_500, '32.5kB'],
    [1_066_928, '1.067MB'],
    [29_034_732, '29.03MB'],
    [999_950, '1000kB'],
    [1_500_000_000, '1.5GB'],
  ])('%d → %s', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });
});

describe('progressString (jsonmessage.JSONProgress)', () => {
  it.each([
    [{}, 200, ''],
    [{ current: 1_000 }, 200, '     1kB'],
    [{ current: 500_000, total: 1_000_000 }, 200, `[${'='.repeat(25)}>${' '.repeat(25)}]    500kB/1MB`],
    [{ current: 500_000, total: 1_000_000 }, 80, '   500kB/1MB'],
    [{ current: 2_000_000, total: 1_000_000 }, 80, '     2MB'],
  ])('%j at width %d', (detail, width, text) => {
    expect(progressString(detail, width)).toBe(text);
  });
});

describe('renderPullProgress', () => {
  const events: PullEvent[] = [
    { id: 'latest', status: 'Pulling from library/x' },
    { id: 'aaaaaaaaaaaa', status: 'Pulling fs layer', progressDetail: {} },
    { id: 'bbbbbbbbbbbb', status: 'Pulling fs layer', progressDetail: {} },
    { id: 'aaaaaaaaaaaa', status: 'Downloading', progressDetail: { current: 10, total: 20 } },
    { id: 'bbbbbbbbbbbb', status: 'Waiting', progressDetail: {} },
    { id: 'aaaaaaaaaaaa', status: 'Pull complete', progressDetail: {} },
    { status: 'Digest: sha256:00' },
  ];

  it('without a terminal drops progress bars and prints a line per message', () => {
    expect(renderPullProgress(events, { tty: false })).toBe(
      'latest: Pulling from library/x\naaaaaaaaaaaa: Pulling fs layer\nbbbbbbbbbbbb: Pulling fs layer\nbbbbbbbbbbbb: Waiting\naaaaaaaaaaaa: Pull complete\nDigest: sha256:00\n',
    );
  });

  it('on a terminal gives each layer a line and redraws it with cursor movements', () => {
    expect(renderPullProgress(events, { tty: true, width: 80 })).toBe(
      'latest: Pulling from library/x\n' +
        '\n\x1b[1A\x1b[2K\raaaaaaaaaaaa: Pulling fs layer \r\x1b[1B' +
        '\n\x1b[1A\x1b[2K\rbbbbbbbbbbbb: Pulling fs layer \r\x1b[1B' +
        '\x1b[2A\x1b[2K\raaaaaaaaaaaa: Downloading      10B/20B\r\x1b[2B' +
        '\x1b[1A\x1b[2K\rbbbbbbbbbbbb: Waiting \r\x1b[1B' +
        '\x1b[2A\x1b[2K\raaaaaaaaaaaa: Pull complete \r\x1b[2B' +
        'Digest: sha256:00\n',
    );
  });
});
