// docker/cli's formatter.Context: "table ..." formats get a header row and go through the
// tabwriter, "json" is {{json .}} per line, anything else is a plain template per row.
import { goJSON } from './gojson.ts';
import { runeWidth } from './runewidth.ts';
import { tabwrite } from './tabwriter.ts';
import { parseTemplate, TemplateError, type Template } from './template.ts';
import { headerFunctions } from './template/builtins.ts';
import { goFunc, goMap, goStruct, type GoFunc } from './template/values.ts';

export const TABLE_FORMAT_KEY = 'table';
export const RAW_FORMAT_KEY = 'raw';
export const JSON_FORMAT_KEY = 'json';
export const DEFAULT_QUIET_FORMAT = '{{.ID}}';

/** docker/cli returns template errors as plain errors: the CLI prints them and exits 1. */
export const TEMPLATE_ERROR_EXIT_CODE = 1;

/** A --format problem, worded as Docker prints it ("template parsing error: template: :1: ..."). */
export class FormatError extends Error {
  override name = 'FormatError';
  readonly exitCode = TEMPLATE_ERROR_EXIT_CODE;
}

export const isTableFormat = (format: string) => format.startsWith(TABLE_FORMAT_KEY);
export const isJSONFormat = (format: string) => format === JSON_FORMAT_KEY;

/** The template text Docker actually runs for `format` (prefix stripped, \t and \n unescaped). */
export function finalFormat(format: string): string {
  let f = format;
  if (isTableFormat(f)) f = f.slice(TABLE_FORMAT_KEY.length);
  else if (isJSONFormat(f)) f = '{{json .}}';
  f = f.replace(/^ +| +$/g, '');
  return f.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}

function parseOrFail(text: string, prefix: string): Template {
  try {
    return parseTemplate(text);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatError(`${prefix}: ${e.message}`);
    throw e;
  }
}

/** Docker's SubHeaderContext: column names by field, plus `.Label "a.b-c"` → "b c". */
export function headerContext(columns: Record<string, string>): object {
  return goMap({ ...columns }, 'formatter.SubHeaderContext', {
    Label: goFunc(['string'], (name: string) => (name.split('.').pop() ?? '').replace(/[-_]/g, ' ')),
  });
}

/**
 * Renders rows as `docker <cmd> --format <format>` prints them. Each row is a context built with
 * `rowContext`. Returns stdout text; throws FormatError on a bad template.
 */
export function renderFormat(format: string, header: object, rows: readonly unknown[]): string {
  const tmpl = parseOrFail(finalFormat(format), 'template parsing error');
  let body = '';
  for (const row of rows) {
    try {
      body += tmpl.execute(row) + '\n';
    } catch (e) {
      if (e instanceof TemplateError) throw new FormatError(`template parsing error: ${e.message}`);
      throw e;
    }
  }
  if (!isTableFormat(format)) return body;
  // Header errors are ignored by Docker: whatever was written before the error stays.
  const head = tmpl.executePartial(header, { funcs: headerFunctions }).output;
  return tabwrite(head + '\n' + body);
}

/** `docker ps` validates --format up front, before asking the daemon (with these wordings). */
export function checkFormatFor(format: string, emptyContext: unknown): void {
  const tmpl = parseOrFail(format, 'failed to parse template');
  try {
    tmpl.execute(emptyContext);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatError(`failed to execute template: ${e.message}`);
    throw e;
  }
}

/**
 * A row context like docker/cli's: `fields` are its zero-argument methods (what `{{json .}}`
 * marshals, keys sorted, HTML-escaped as json.Marshal does), `methods` take arguments.
 */
export function rowContext(typeName: string, fields: Record<string, () => unknown>, methods: Record<string, GoFunc> = {}): object {
  const marshal = () => {
    const m: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(fields)) m[k] = f();
    return goJSON(m, true);
  };
  return goStruct({ ...fields, ...methods }, typeName, marshal);
}

/** stringid.TruncateID: drop an "algo:" prefix, keep 12 characters. */
export function truncateID(id: string): string {
  const i = id.indexOf(':');
  const bare = i >= 0 ? id.slice(i + 1) : id;
  return bare.length > 12 ? bare.slice(0, 12) : bare;
}

/** formatter.Ellipsis: cut to a display width (East Asian wide = 2), ending with "…". */
export function ellipsis(s: string, maxWidth: number): string {
  if (maxWidth <= 0) return '';
  const runes = [...s];
  if (maxWidth === 1) return runes[0] ?? '';
  if (/^[\x00-\x7f]*$/.test(s)) return s.length <= maxWidth ? s : s.slice(0, maxWidth - 1) + '…';
  const display: number[] = [];
  let total = 0;
  for (const r of runes) {
    total += runeWidth(r.codePointAt(0)!) === 2 ? 2 : 1;
    display.push(total);
  }
  if (total <= maxWidth) return s;
  for (let i = 0; i + 1 < display.length; i++) {
    if (display[i]! <= maxWidth - 1 && display[i + 1]! > maxWidth - 1) return runes.slice(0, i + 1).join('') + '…';
  }
  return s;
}
