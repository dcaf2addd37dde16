// `docker stats --no-stream` rows (Linux columns) from numbers the engine measured.
import { TABLE_FORMAT_KEY, headerContext, renderFormat, rowContext, truncateID } from './formatter.ts';
import { bytesSize, humanSizeWithPrecision } from '../../lib/units.ts';

export interface StatsEntry {
  /** What the user asked for (name or ID), shown by {{.Container}}. */
  Container: string;
  /** Container name with its leading "/". */
  Name: string;
  ID: string;
  CPUPercentage: number;
  Memory: number;
  MemoryLimit: number;
  MemoryPercentage: number;
  NetworkRx: number;
  NetworkTx: number;
  BlockRead: number;
  BlockWrite: number;
  PidsCurrent: number;
  IsInvalid?: boolean;
}

export const DEFAULT_STATS_TABLE_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

const HEADER = {
  Container: 'CONTAINER', Name: 'NAME', ID: 'CONTAINER ID', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %',
  NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS',
};

const NO_VALUE = '--';
const percent = (v: number) => `${v.toFixed(2)}%`;

function statsContext(s: StatsEntry, trunc: boolean): object {
  const bad = !!s.IsInvalid;
  return rowContext('*container.statsContext', {
    BlockIO: () => (bad ? NO_VALUE : `${humanSizeWithPrecision(s.BlockRead, 3)} / ${humanSizeWithPrecision(s.BlockWrite, 3)}`),
    CPUPerc: () => (bad ? NO_VALUE : percent(s.CPUPercentage)),
    Container: () => s.Container,
    ID: () => (trunc ? truncateID(s.ID) : s.ID),
    MemPerc: () => (bad ? NO_VALUE : percent(s.MemoryPercentage)),
    MemUsage: () => (bad ? '-- / --' : `${bytesSize(s.Memory)} / ${bytesSize(s.MemoryLimit)}`),
    Name: () => (s.Name.length > 1 ? s.Name.slice(1) : NO_VALUE),
    NetIO: () => (bad ? NO_VALUE : `${humanSizeWithPrecision(s.NetworkRx, 3)} / ${humanSizeWithPrecision(s.NetworkTx, 3)}`),
    PIDs: () => (bad ? NO_VALUE : String(s.PidsCurrent)),
  });
}

export interface StatsOptions {
  format: string;
  noTrunc: boolean;
}

/** stdout of one `docker stats --no-stream` round. Throws FormatError for a bad --format. */
export function formatStats(entries: readonly StatsEntry[], o: StatsOptions): string {
  const format = !o.format || o.format === TABLE_FORMAT_KEY ? DEFAULT_STATS_TABLE_FORMAT : o.format;
  return renderFormat(format, headerContext(HEADER), entries.map((s) => statsContext(s, !o.noTrunc)));
}
