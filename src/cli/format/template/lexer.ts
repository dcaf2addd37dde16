// Tokens of Go's text/template, scanned the way text/template/parse does so that errors carry
// the same wording. Positions are byte offsets into the UTF-8 text, as Go reports them.

export type ItemType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'comment' | 'assign' | 'declare' | 'eof' | 'field'
  | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString' | 'rightDelim'
  | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  // keywords
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil' | 'range'
  | 'template' | 'with';

export interface Item {
  type: ItemType;
  /** Byte offset of the token in the template text. */
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS = new Set<ItemType>(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);
const SPACE = ' \t\r\n';
const LEFT = '{{';
const RIGHT = '}}';

const isSpace = (c: string) => c !== '' && SPACE.includes(c);
const isAlphaNumeric = (c: string) => c === '_' || /^[\p{L}\p{Nd}]$/u.test(c);
const hasLeftTrim = (s: string) => s.length >= 2 && s[0] === '-' && isSpace(s[1]!);
const hasRightTrim = (s: string) => s.length >= 2 && isSpace(s[0]!) && s[1] === '-';

/** `%#U` of Go's fmt: U+007D '}'. */
export function goRuneLiteral(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return /\p{C}/u.test(c) ? `U+${hex}` : `U+${hex} '${c}'`;
}

/** Scans the whole template up front; an error item ends the stream like Go's lexer does. */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  // Byte offsets for positions: Go indexes the UTF-8 string.
  const byteAt: number[] = [];
  let bytes = 0;
  for (let i = 0; i < input.length; i++) {
    byteAt[i] = bytes;
    const c = input.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 4 : c >= 0xdc00 && c <= 0xdfff ? 0 : 3;
  }
  byteAt[input.length] = bytes;

  let start = 0;
  let pos = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;

  const countNl = (s: string) => s.split('\n').length - 1;
  const emit = (type: ItemType) => {
    items.push({ type, pos: byteAt[start]!, val: input.slice(start, pos), line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = () => {
    line += countNl(input.slice(start, pos));
    start = pos;
    startLine = line;
  };
  const next = (): string => {
    if (pos >= input.length) return '';
    const cp = input.codePointAt(pos)!;
    const c = String.fromCodePoint(cp);
    pos += c.length;
    if (c === '\n') line++;
    return c;
  };
  const backup = (c: string) => {
    if (c === '') return;
    pos -= c.length;
    if (c === '\n') line--;
  };
  const peek = () => {
    const c = next();
    backup(c);
    return c;
  };
  const accept = (valid: string) => {
    const c = next();
    if (c !== '' && valid.includes(c)) return true;
    backup(c);
    return false;
  };
  const acceptRun = (valid: string) => {
    for (;;) {
      const c = next();
      if (c === '' || !valid.includes(c)) return backup(c);
    }
  };
  const error = (msg: string) => {
    items.push({ type: 'error', pos: byteAt[start]!, val: msg, line: startLine });
  };
  const atRightDelim = (): [boolean, boolean] => {
    const rest = input.slice(pos);
    if (hasRightTrim(rest) && rest.startsWith(RIGHT, 2)) return [true, true];
    return [rest.startsWith(RIGHT), false];
  };
  const atTerminator = () => {
    const c = peek();
    if (isSpace(c) || c === '' || '.,|:)('.includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  };
  const trimLeftLen = (s: string) => s.length - s.replace(/^[ \t\r\n]+/, '').length;

  // Each state returns false once the stream has ended (EOF or error).
  const text = (): boolean => {
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) {
        line += countNl(input.slice(start, pos));
        emit('text');
      }
      emit('eof');
      return false;
    }
    pos = x;
    let trim = 0;
    if (hasLeftTrim(input.slice(x + LEFT.length))) {
      const before = input.slice(start, pos);
      trim = before.length - before.replace(/[ \t\r\n]+$/, '').length;
    }
    pos -= trim;
    if (pos > start) {
      line += countNl(input.slice(start, pos));
      emit('text');
    }
    pos += trim;
    ignore();
    return leftDelim();
  };

  const leftDelim = (): boolean => {
    pos += LEFT.length;
    const trim = hasLeftTrim(input.slice(pos));
    const after = trim ? 2 : 0;
    if (input.startsWith('/*', pos + after)) {
      pos += after;
      ignore();
      return comment();
    }
    emit('leftDelim');
    pos += after;
    ignore();
    parenDepth = 0;
    return insideAction();
  };

  const comment = (): boolean => {
    pos += 2;
    const x = input.indexOf('*/', pos);
    if (x < 0) return (error('unclosed comment'), false);
    pos = x + 2;
    const [delim, trim] = atRightDelim();
    if (!delim) return (error('comment ends before closing delimiter'), false);
    if (trim) pos += 2;
    pos += RIGHT.length;
    if (trim) pos += trimLeftLen(input.slice(pos));
    ignore();
    return true;
  };

  const rightDelim = (trim: boolean): boolean => {
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length;
    emit('rightDelim');
    if (trim) {
      pos += trimLeftLen(input.slice(pos));
      ignore();
    }
    return true;
  };

  const insideAction = (): boolean => {
    for (;;) {
      const [delim, trim] = atRightDelim();
      if (delim) {
        if (parenDepth === 0) return rightDelim(trim);
        return (error('unclosed left paren'), false);
      }
      const c = next();
      if (c === '') return (error('unclosed action'), false);
      if (isSpace(c)) {
        backup(c);
        let n = 0;
        while (isSpace(peek())) {
          next();
          n++;
        }
        if (hasRightTrim(input.slice(pos - 1)) && input.startsWith(RIGHT, pos + 1)) {
          backup(input[pos - 1]!);
          if (n === 1) {
            rightDelim(true);
            return true;
          }
        }
        emit('space');
        continue;
      }
      let ok = true;
      switch (true) {
        case c === '=':
          emit('assign');
          break;
        case c === ':':
          if (next() !== '=') return (error('expected :='), false);
          emit('declare');
          break;
        case c === '|':
          emit('pipe');
          break;
        case c === '"':
          ok = quote('"', 'unterminated quoted string', 'string');
          break;
        case c === '`':
          ok = rawQuote();
          break;
        case c === '$':
          ok = fieldOrVariable('variable');
          break;
        case c === "'":
          ok = quote("'", 'unterminated character constant', 'charConstant');
          break;
        case c === '.' && pos < input.length && !/[0-9]/.test(input[pos]!):
          ok = fieldOrVariable('field');
          break;
        case c === '.' || c === '+' || c === '-' || /[0-9]/.test(c):
          backup(c);
          ok = number();
          break;
        case isAlphaNumeric(c):
          backup(c);
          ok = identifier();
          break;
        case c === '(':
          parenDepth++;
          emit('leftParen');
          break;
        case c === ')':
          parenDepth--;
          if (parenDepth < 0) return (error('unexpected right paren'), false);
          emit('rightParen');
          break;
        case c.codePointAt(0)! < 0x7f && c.codePointAt(0)! >= 0x20:
          emit('char');
          break;
        default:
          return (error(`unrecognized character in action: ${goRuneLiteral(c)}`), false);
      }
      if (!ok) return false;
      if (items[items.length - 1]!.type === 'rightDelim') return true;
    }
  };

  const identifier = (): boolean => {
    let c: string;
    while (isAlphaNumeric((c = next())));
    backup(c);
    if (!atTerminator()) return (error(`bad character ${goRuneLiteral(c)}`), false);
    const word = input.slice(start, pos);
    if (KEYWORDS.has(word as ItemType)) emit(word as ItemType);
    else if (word === 'true' || word === 'false') emit('bool');
    else emit('identifier');
    return true;
  };

  const fieldOrVariable = (type: 'field' | 'variable'): boolean => {
    if (atTerminator()) {
      emit(type === 'variable' ? 'variable' : 'dot');
      return true;
    }
    let c: string;
    while (isAlphaNumeric((c = next())));
    backup(c);
    if (!atTerminator()) return (error(`bad character ${goRuneLiteral(c)}`), false);
    emit(type);
    return true;
  };

  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  const number = (): boolean => {
    if (!scanNumber()) return (error(`bad number syntax: ${goQuoteSimple(input.slice(start, pos))}`), false);
    const sign = peek();
    if (sign === '+' || sign === '-') {
      // Complex constants (1+2i): accepted by the scanner, rejected later as unsupported.
      if (!scanNumber() || input[pos - 1] !== 'i') {
        return (error(`bad number syntax: ${goQuoteSimple(input.slice(start, pos))}`), false);
      }
    }
    emit('number');
    return true;
  };

  const quote = (q: string, msg: string, type: ItemType): boolean => {
    for (;;) {
      let c = next();
      if (c === '\\') {
        c = next();
        if (c !== '' && c !== '\n') continue;
      }
      if (c === '' || c === '\n') return (error(msg), false);
      if (c === q) break;
    }
    emit(type);
    return true;
  };

  const rawQuote = (): boolean => {
    const x = input.indexOf('`', pos);
    if (x < 0) {
      pos = input.length;
      return (error('unterminated raw quoted string'), false);
    }
    line += countNl(input.slice(pos, x + 1));
    pos = x + 1;
    emit('rawString');
    return true;
  };

  while (text());
  return items;
}

/** Go's %q for the plain ASCII strings that appear in lexer messages. */
function goQuoteSimple(s: string): string {
  return JSON.stringify(s);
}
