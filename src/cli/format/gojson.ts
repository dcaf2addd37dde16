// Go's encoding/json output for template values: map keys sorted, struct fields in order,
// numbers as Go prints float64/int, and Go's string escaping (optionally without HTML escaping,
// as Docker's `json` template function uses it).
import { kindOf, sortedEntries, structFields, structMarshaler } from './template/values.ts';

export function goJSONString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20) {
      const short: Record<number, string> = { 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };
      out += short[c] ?? '\\u00' + c.toString(16).padStart(2, '0');
    } else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) out += '\\u00' + c.toString(16);
    else if (c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += ch + s[++i];
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'; // Go encodes invalid UTF-8 as U+FFFD
    else out += ch;
  }
  return out + '"';
}

/** json.Marshal (escapeHTML=true) or an Encoder with SetEscapeHTML(false), without the newline. */
export function goJSON(v: unknown, escapeHTML = true): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
    case 'nilmap':
    case 'nilslice':
    case 'nilptr':
    case 'func':
      return 'null';
    case 'string':
      return goJSONString(v as string, escapeHTML);
    case 'bool':
      return String(v);
    case 'int':
      return String(v);
    case 'float':
      // JS and Go agree here: exponent form below 1e-6 and from 1e21, "e-7" not "e-07".
      return Number.isFinite(Number(v)) ? String(Number(v)) : 'null';
    case 'slice':
      return `[${(v as unknown[]).map((e) => goJSON(e, escapeHTML)).join(',')}]`;
    case 'map':
      return `{${sortedEntries(v as object).map(([k, e]) => `${goJSONString(k, escapeHTML)}:${goJSON(e, escapeHTML)}`).join(',')}}`;
    case 'struct': {
      const custom = structMarshaler(v as object);
      // A Marshaler's bytes are compacted but not re-escaped: HTML escapes it made itself remain.
      if (custom) return custom();
      return `{${structFields(v as object).map(([k, e]) => `${goJSONString(k, escapeHTML)}:${goJSON(e, escapeHTML)}`).join(',')}}`;
    }
  }
}
