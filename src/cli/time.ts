// Docker's timestamps for --since/--until (api/types/time.GetTimestamp): a Go duration relative to
// now ("10m", "1h30m"), RFC 3339 dates and times with or without zone, or Unix seconds[.nanos].
import { CliError } from './io.ts';

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds since the epoch. */
export function parseTimestamp(value: string, now: number): number {
  const duration = /^(\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(value);
  if (duration) {
    let ms = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNITS[m[2]!]!;
    return now - ms;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const withZone = /[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}${value.includes('T') ? '' : 'T00:00:00'}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw new CliError(`invalid value for "since": failed to parse value as time or duration: ${JSON.stringify(value)}`, 1);
  return ms;
}
