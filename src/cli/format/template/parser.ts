// Go text/template parser: tokens → tree, failing with Go's messages ("template: :1: ...").
import { lex, type Item, type ItemType } from './lexer.ts';
import type { BranchNode, CommandNode, ListNode, Node, NumberNode, PipeNode, VariableNode } from './nodes.ts';
import { str } from './nodes.ts';

export class TemplateParseError extends Error {
  override name = 'TemplateParseError';
}

const KEYWORD_ITEMS = new Set<ItemType>(['block', 'break', 'continue', 'dot', 'define', 'else', 'end', 'if', 'nil', 'range', 'template', 'with']);

function itemString(i: Item): string {
  if (i.type === 'eof') return 'EOF';
  if (i.type === 'error') return i.val;
  if (KEYWORD_ITEMS.has(i.type)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return `${goQuote(runes.slice(0, 10).join(''))}...`;
  return goQuote(i.val);
}

const goQuote = (s: string) => JSON.stringify(s);

/** Parses `text` with the given function names defined. `name` is the template name (Docker: ""). */
export function parse(text: string, funcs: ReadonlySet<string>, name = ''): ListNode {
  return new Parser(text, funcs, name).parse();
}

type End = { kind: 'end'; pos: number } | { kind: 'else'; pos: number; line: number };

class Parser {
  readonly #items: Item[];
  #i = 0;
  #vars: string[] = ['$'];
  #rangeDepth = 0;
  #actionLine = 0;
  #line = 1;
  #furthest = 0;

  constructor(
    text: string,
    readonly funcs: ReadonlySet<string>,
    readonly name: string,
  ) {
    this.#items = lex(text);
  }

  parse(): ListNode {
    const root: ListNode = { kind: 'list', pos: this.#peek().pos, nodes: [] };
    while (this.#peek().type !== 'eof') {
      const n = this.#textOrAction();
      if (n.kind === 'end' || n.kind === 'else') this.#errorf(`unexpected {{${n.kind}}}`);
      root.nodes.push(n as Node);
    }
    return root;
  }

  #errorf(msg: string): never {
    throw new TemplateParseError(`template: ${this.name}:${this.#line}: ${msg}`);
  }

  #next(): Item {
    const item = this.#fetch();
    this.#i++;
    return item;
  }
  /** Go reports the line of the furthest token read from the lexer. */
  #fetch(): Item {
    const item = this.#items[this.#i] ?? this.#items[this.#items.length - 1]!;
    if (this.#i >= this.#furthest) {
      this.#furthest = this.#i;
      this.#line = item.line;
    }
    return item;
  }
  #backup(n = 1) {
    this.#i -= n;
  }
  #peek(): Item {
    return this.#fetch();
  }
  #nextNonSpace(): Item {
    let t: Item;
    do t = this.#next();
    while (t.type === 'space');
    return t;
  }
  #peekNonSpace(): Item {
    const t = this.#nextNonSpace();
    this.#backup();
    return t;
  }

  #unexpected(t: Item, context: string): never {
    if (t.type === 'error') {
      let extra = '';
      if (this.#actionLine !== 0 && this.#actionLine !== t.line) {
        extra = ` in action started at ${this.name}:${this.#actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.#errorf(`${t.val}${extra}`);
    }
    this.#errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  #expect(type: ItemType, context: string): Item {
    const t = this.#nextNonSpace();
    if (t.type !== type) this.#unexpected(t, context);
    return t;
  }

  #itemList(): [ListNode, End] {
    const list: ListNode = { kind: 'list', pos: this.#peekNonSpace().pos, nodes: [] };
    while (this.#peekNonSpace().type !== 'eof') {
      const n = this.#textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return [list, n as End];
      list.nodes.push(n as Node);
    }
    this.#errorf('unexpected EOF');
  }

  #textOrAction(): Node | End {
    const t = this.#nextNonSpace();
    switch (t.type) {
      case 'text':
        return { kind: 'text', pos: t.pos, text: t.val };
      case 'leftDelim': {
        this.#actionLine = t.line;
        try {
          return this.#action();
        } finally {
          this.#actionLine = 0;
        }
      }
      default:
        this.#unexpected(t, 'input');
    }
  }

  #action(): Node | End {
    const t = this.#nextNonSpace();
    switch (t.type) {
      case 'template': {
        const nameTok = this.#nextNonSpace();
        if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.#unexpected(nameTok, 'template clause');
        const name = unquote(nameTok.val, (m) => this.#errorf(m));
        let pipe: PipeNode | null = null;
        if (this.#nextNonSpace().type !== 'rightDelim') {
          this.#backup();
          pipe = this.#pipeline('template clause', 'rightDelim');
        }
        return { kind: 'template', pos: nameTok.pos, name, pipe };
      }
      case 'block':
      case 'define':
        this.#errorf(`{{${t.type}}} is not supported by this template engine`);
      // falls through (never)
      case 'break':
      case 'continue': {
        const after = this.#nextNonSpace();
        if (after.type !== 'rightDelim') this.#unexpected(after, `{{${t.type}}}`);
        if (this.#rangeDepth === 0) this.#errorf(`{{${t.type}}} outside {{range}}`);
        return { kind: t.type, pos: t.pos };
      }
      case 'else': {
        const peek = this.#peekNonSpace();
        if (peek.type === 'if' || peek.type === 'with') return { kind: 'else', pos: peek.pos, line: peek.line };
        const tok = this.#expect('rightDelim', 'else');
        return { kind: 'else', pos: tok.pos, line: tok.line };
      }
      case 'end':
        return { kind: 'end', pos: this.#expect('rightDelim', 'end').pos };
      case 'if':
        return { kind: 'if', ...this.#control(true, 'if') };
      case 'range':
        return { kind: 'range', ...this.#control(false, 'range') };
      case 'with':
        return { kind: 'with', ...this.#control(true, 'with') };
    }
    this.#backup();
    const tok = this.#peek();
    return { kind: 'action', pos: tok.pos, line: tok.line, pipe: this.#pipeline('command', 'rightDelim') };
  }

  #control(allowElseChain: boolean, context: 'if' | 'range' | 'with'): Omit<BranchNode, 'kind'> {
    const mark = this.#vars.length;
    try {
      const pipe = this.#pipeline(context, 'rightDelim');
      if (context === 'range') this.#rangeDepth++;
      const [list, next] = this.#itemList();
      if (context === 'range') this.#rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.kind === 'else') {
        // {{else if ...}} / {{else with ...}} nest as a one-node else list, as Go does.
        const chained = this.#peek().type;
        if (allowElseChain && chained === context) {
          this.#next();
          const inner = { kind: context as 'if' | 'with', ...this.#control(true, context) } as Node;
          elseList = { kind: 'list', pos: next.pos, nodes: [inner] };
        } else {
          const [alt, end] = this.#itemList();
          if (end.kind !== 'end') this.#errorf(`expected end; found {{else}}`);
          elseList = alt;
        }
      }
      return { pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.#vars.length = mark;
    }
  }

  #pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.#peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const save = this.#i;
      const v = this.#peekNonSpace();
      if (v.type !== 'variable') break;
      this.#nextNonSpace();
      const next = this.#peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.#nextNonSpace();
        pipe.decl.push(this.#newVariable(v.pos, v.val));
        this.#vars.push(v.val);
      } else if (next.type === 'char' && next.val === ',') {
        this.#nextNonSpace();
        pipe.decl.push(this.#newVariable(v.pos, v.val));
        this.#vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.#peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue decls;
          this.#errorf('range can only initialize variables');
        }
        this.#errorf(`too many declarations in ${context}`);
      } else {
        // A variable used as a value: put it back for the command loop.
        this.#i = save;
      }
      break;
    }
    for (;;) {
      const t = this.#nextNonSpace();
      if (t.type === end) {
        this.#checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type) {
        case 'bool': case 'charConstant': case 'dot': case 'field': case 'identifier': case 'number':
        case 'nil': case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.#backup();
          pipe.cmds.push(this.#command());
          break;
        default:
          this.#unexpected(t, context);
      }
    }
  }

  #checkPipeline(pipe: PipeNode, context: string) {
    if (pipe.cmds.length === 0) this.#errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0]!.kind;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.#errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  #command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.#peekNonSpace().pos, args: [] };
    for (;;) {
      this.#peekNonSpace();
      const operand = this.#operand();
      if (operand) cmd.args.push(operand);
      const t = this.#next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.#backup();
      else if (t.type !== 'pipe') this.#unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.#errorf('empty command');
    return cmd;
  }

  #operand(): Node | null {
    const node = this.#term();
    if (!node || this.#peek().type !== 'field') return node;
    const fields: string[] = [];
    const pos = this.#peek().pos;
    while (this.#peek().type === 'field') fields.push(this.#next().val.slice(1));
    switch (node.kind) {
      case 'field':
        return { kind: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { kind: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        this.#errorf(`unexpected . after term ${goQuote(str(node))}`);
      // falls through (never)
      default:
        return { kind: 'chain', pos, node, fields };
    }
  }

  #term(): Node | null {
    const t = this.#nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!this.funcs.has(t.val)) this.#errorf(`function ${goQuote(t.val)} not defined`);
        return { kind: 'identifier', pos: t.pos, ident: t.val };
      case 'dot':
        return { kind: 'dot', pos: t.pos };
      case 'nil':
        return { kind: 'nil', pos: t.pos };
      case 'variable':
        return this.#useVar(t.pos, t.val);
      case 'field':
        return { kind: 'field', pos: t.pos, ident: t.val.slice(1).split('.') };
      case 'bool':
        return { kind: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant':
      case 'number':
        return this.#number(t);
      case 'leftParen':
        return this.#pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { kind: 'string', pos: t.pos, quoted: t.val, text: unquote(t.val, (m) => this.#errorf(m)) };
    }
    this.#backup();
    return null;
  }

  #newVariable(pos: number, name: string): VariableNode {
    return { kind: 'variable', pos, ident: name.split('.') };
  }

  #useVar(pos: number, name: string): VariableNode {
    const v = this.#newVariable(pos, name);
    if (!this.#vars.includes(v.ident[0]!)) this.#errorf(`undefined variable ${goQuote(v.ident[0]!)}`);
    return v;
  }

  #number(t: Item): NumberNode {
    const text = t.val;
    if (t.type === 'charConstant') {
      const ch = unquote(text, (m) => this.#errorf(m));
      if ([...ch].length !== 1) this.#errorf(`malformed character constant: ${text}`);
      const v = ch.codePointAt(0)!;
      return { kind: 'number', pos: t.pos, text, isInt: true, isFloat: true, value: v };
    }
    if (text.endsWith('i')) this.#errorf(`complex constants are not supported: ${text}`);
    const clean = text.replace(/_/g, '');
    const signless = clean.replace(/^[+-]/, '');
    const neg = clean.startsWith('-');
    let value = NaN;
    let isInt = false;
    if (/^0[xX][0-9a-fA-F]+$/.test(signless) || /^0[bB][01]+$/.test(signless) || /^0[oO][0-7]+$/.test(signless)) {
      value = Number(signless.slice(0, 2).toLowerCase() + signless.slice(2));
      isInt = true;
    } else if (/^0[0-7]*$/.test(signless)) {
      value = signless.length > 1 ? parseInt(signless, 8) : 0;
      isInt = true;
    } else if (/^[0-9]+$/.test(signless)) {
      value = Number(signless);
      isInt = true;
    } else if (/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(signless)) {
      value = Number(signless);
      isInt = Number.isInteger(value);
    } else {
      this.#errorf(`illegal number syntax: ${goQuote(text)}`);
    }
    if (neg) value = -value;
    return { kind: 'number', pos: t.pos, text, isInt, isFloat: true, value };
  }
}

/** strconv.Unquote for "..." and `...` literals. */
export function unquote(s: string, fail: (msg: string) => never): string {
  if (s.startsWith('`')) return s.slice(1, -1).replace(/\r/g, '');
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
    if (e !== undefined && e in simple) {
      if ((e === "'" && s[0] === '"') || (e === '"' && s[0] === "'")) fail('invalid syntax');
      out += simple[e];
      continue;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLen) {
      const hex = body.slice(i + 1, i + 1 + hexLen);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLen) fail('invalid syntax');
      out += String.fromCodePoint(parseInt(hex, 16));
      i += hexLen;
      continue;
    }
    if (e !== undefined && /[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) fail('invalid syntax');
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
      continue;
    }
    fail('invalid syntax');
  }
  return out;
}
