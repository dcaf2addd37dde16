// The bytes of an HTTP/1.x response: status lines, header blocks, chunked framing.

const STATUS_TEXT: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  411: 'Length Required',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
};

/** Go's http.StatusText ('' for codes it does not name). */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? '';
}

/** Whether a response with this status to this method carries a body (Go's bodyAllowedForStatus). */
export function bodyAllowed(method: string, status: number): boolean {
  if (method === 'HEAD') return false;
  return !((status >= 100 && status <= 199) || status === 204 || status === 304);
}

/** A status line and header block, ending with the blank line. */
export function responseHead(minor: 0 | 1, status: number, fields: readonly (readonly [string, string])[], reason = statusText(status)): string {
  let head = `HTTP/1.${minor} ${status} ${reason}\r\n`;
  for (const [name, value] of fields) head += `${name}: ${value.replace(/[\r\n]+/g, ' ')}\r\n`;
  return head + '\r\n';
}

/** Go's http.TimeFormat: `Mon, 02 Jan 2006 15:04:05 GMT`. */
export function httpDate(date: Date): string {
  return date.toUTCString();
}

const encoder = new TextEncoder();

/** One chunk of a chunked body; never call it with nothing (an empty chunk ends the body). */
export function encodeChunk(data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const size = encoder.encode(`${bytes.length.toString(16)}\r\n`);
  const out = new Uint8Array(size.length + bytes.length + 2);
  out.set(size);
  out.set(bytes, size.length);
  out[out.length - 2] = 0x0d;
  out[out.length - 1] = 0x0a;
  return out;
}

/** The last chunk, with no trailers. */
export const LAST_CHUNK = '0\r\n\r\n';
