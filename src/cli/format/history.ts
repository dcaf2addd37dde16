// `docker history` rows from Engine API HistoryResponseItem objects.
import { DEFAULT_QUIET_FORMAT, TABLE_FORMAT_KEY, ellipsis, headerContext, renderFormat, rowContext, truncateID } from './formatter.ts';
import { humanAgo, humanSizeWithPrecision } from '../../lib/units.ts';

export interface HistoryItem {
  /** Image ID or "<missing>" for layers built elsewhere. */
  Id: string;
  /** Unix seconds. */
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

const HEADER = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

export function historyFormat(source: string, quiet: boolean, human: boolean): string {
  if (source !== TABLE_FORMAT_KEY) return source;
  if (quiet) return DEFAULT_QUIET_FORMAT;
  return human
    ? 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}'
    : 'table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
}

/** 2000-01-01: older "created" times are placeholders (e.g. reproducible builds at epoch 0). */
const EPOCH_2000 = 946684800;

const rfc3339 = (unix: number) => new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function historyContext(h: HistoryItem, trunc: boolean, human: boolean, now: Date): object {
  const createdAt = () => rfc3339(h.Created);
  return rowContext('*image.historyContext', {
    Comment: () => h.Comment,
    CreatedAt: createdAt,
    CreatedBy: () => {
      const by = h.CreatedBy.replace(/\t/g, ' ');
      return trunc ? ellipsis(by, 45) : by;
    },
    CreatedSince: () => (!human ? createdAt() : h.Created <= EPOCH_2000 ? 'N/A' : humanAgo(h.Created, now)),
    ID: () => (trunc ? truncateID(h.Id) : h.Id),
    Size: () => (human ? humanSizeWithPrecision(h.Size, 3) : String(h.Size)),
  });
}

export interface HistoryOptions {
  format: string;
  quiet: boolean;
  /** -H / --human (default true). */
  human: boolean;
  noTrunc: boolean;
  now: Date;
}

/** stdout of `docker history`. Throws FormatError for a bad --format. */
export function formatHistory(items: readonly HistoryItem[], o: HistoryOptions): string {
  const format = historyFormat(o.format || TABLE_FORMAT_KEY, o.quiet, o.human);
  const rows = items.map((h) => historyContext(h, !o.noTrunc, o.human, o.now));
  return renderFormat(format, headerContext(HEADER), rows);
}
