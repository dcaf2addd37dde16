// Table output pinned by golden files: each was produced by docker/cli v28.2.2's own formatter
// code (cli/command/formatter and the per-command formatters) run on test/golden/format/inputs.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatContainers, type ContainerSummary } from './container.ts';
import { FormatError } from './formatter.ts';
import { formatHistory, type HistoryItem } from './history.ts';
import { formatImages, type ImageSummary } from './image.ts';
import { formatNetworks, formatVolumes, type NetworkSummary, type VolumeSummary } from './resources.ts';
import { formatStats, type StatsEntry } from './stats.ts';

const dir = join(import.meta.dirname, '../../../test/golden/format');
const inputs = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8')) as {
  now: number;
  ps: ContainerSummary[];
  images: ImageSummary[];
  history: HistoryItem[];
  volumes: VolumeSummary[];
  networks: NetworkSummary[];
  stats: StatsEntry[];
};
type Options = { format?: string; quiet?: boolean; size?: boolean; digests?: boolean; noTrunc?: boolean; human?: boolean };
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as [string, string, Options][];
const now = new Date(inputs.now * 1000);

function render(kind: string, o: Options): string {
  const format = o.format ?? '';
  const quiet = o.quiet ?? false;
  const noTrunc = o.noTrunc ?? false;
  switch (kind) {
    case 'ps':
      return formatContainers(inputs.ps, { format, quiet, size: o.size ?? false, noTrunc, now });
    case 'images':
      return formatImages(inputs.images, { format, quiet, digests: o.digests ?? false, noTrunc, now });
    case 'history':
      return formatHistory(inputs.history, { format, quiet, human: o.human ?? true, noTrunc, now });
    case 'volumes':
      return formatVolumes(inputs.volumes, { format, quiet });
    case 'networks':
      return formatNetworks(inputs.networks, { format, quiet, noTrunc });
    case 'stats':
      return formatStats(inputs.stats, { format, noTrunc });
  }
  throw new Error(`unknown kind ${kind}`);
}

describe('docker table output matches docker/cli v28', () => {
  test.each(cases)('%s', (name, kind, options) => {
    const errFile = join(dir, `${name}.err.golden`);
    if (existsSync(errFile)) {
      expect(() => render(kind, options)).toThrow(FormatError);
      expect(() => render(kind, options)).toThrow(readFileSync(errFile, 'utf8').trimEnd());
      return;
    }
    expect(render(kind, options)).toBe(readFileSync(join(dir, `${name}.golden`), 'utf8'));
  });
});
