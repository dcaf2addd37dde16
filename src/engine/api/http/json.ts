// JSON in and out the way moby's httputils does it: WriteJSON (an Encoder without HTML escaping,
// one value and a newline) and ReadJSON (Content-Type check, empty body allowed, one value only).
import type { ByteSource } from '../../../protocol/guest/port.ts';
import { readText } from '../../../lib/streams.ts';
import { invalidParameter } from '../errors.ts';

/** json.Encoder with SetEscapeHTML(false): Go still escapes U+2028 and U+2029. */
export function encodeJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`) + '\n';
}

/** What ReadJSON needs to know of a request. `contentLength` is -1 for a chunked body. */
export interface JsonRequestBody {
  readonly contentType: string | undefined;
  readonly contentLength: number;
  readonly body: ByteSource;
}

/** httputils.ReadJSON: undefined for an absent body, else exactly one JSON value. */
export async function readJsonBody(request: JsonRequestBody): Promise<unknown> {
  const contentType = request.contentType ?? '';
  if (contentType !== '' || request.contentLength !== 0) checkJsonContentType(contentType);
  if (request.contentLength === 0) return undefined;
  const text = await readText(request.body);
  const start = skipSpace(text, 0);
  if (start === text.length) throw invalidParameter('invalid JSON: got EOF while reading request body');
  const end = valueEnd(text, start);
  if (end === null) throw invalidParameter('invalid JSON: unexpected EOF');
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end));
  } catch (e) {
    throw invalidParameter(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Decoder.More: anything after the value but a closing bracket is more content.
  const next = text[skipSpace(text, end)];
  if (next !== undefined && next !== ']' && next !== '}') throw invalidParameter('unexpected content after JSON');
  return value;
}

/** httputils.CheckForJSON's media type test, with mime.ParseMediaType's complaints. */
function checkJsonContentType(contentType: string): void {
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  let problem: string | null = null;
  if (type === '') problem = 'mime: no media type';
  else if (!type.includes('/')) problem = 'mime: expected slash after first token';
  else if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+\/[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(type)) problem = 'mime: expected token after slash';
  if (problem) throw invalidParameter(`malformed Content-Type header (${contentType}): ${problem}`);
  if (type !== 'application/json') {
    throw invalidParameter(`unsupported Content-Type header (${contentType}): must be 'application/json'`);
  }
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
  return at;
}

/** Where the JSON value starting at `at` ends (exclusive); null when the text ends inside it. */
function valueEnd(text: string, at: number): number | null {
  const open = text[at];
  if (open === '{' || open === '[') {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        const close = stringEnd(text, i);
        if (close === null) return null;
        i = close - 1;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return null;
  }
  if (open === '"') return stringEnd(text, at);
  let i = at;
  while (i < text.length && !' \t\r\n,:[]{}"'.includes(text[i]!)) i++;
  return i === at ? at + 1 : i;
}

function stringEnd(text: string, at: number): number | null {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return null;
}
