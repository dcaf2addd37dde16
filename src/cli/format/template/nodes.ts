// Parse tree of a Go template. `str` renders a node as Go's Node.String() does, for error context.

export interface Pos {
  /** Byte offset in the template text. */
  pos: number;
}

export type Node =
  | TextNode | ActionNode | IfNode | RangeNode | WithNode | ListNode | BreakNode | ContinueNode
  | PipeNode | CommandNode | IdentifierNode | VariableNode | DotNode | NilNode | FieldNode | ChainNode
  | BoolNode | NumberNode | StringNode | TemplateNode;

export interface TextNode extends Pos { kind: 'text'; text: string }
export interface TemplateNode extends Pos { kind: 'template'; name: string; pipe: PipeNode | null }
export interface ActionNode extends Pos { kind: 'action'; line: number; pipe: PipeNode }
export interface BranchNode extends Pos { line: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null }
export interface IfNode extends BranchNode { kind: 'if' }
export interface RangeNode extends BranchNode { kind: 'range' }
export interface WithNode extends BranchNode { kind: 'with' }
export interface ListNode extends Pos { kind: 'list'; nodes: Node[] }
export interface BreakNode extends Pos { kind: 'break' }
export interface ContinueNode extends Pos { kind: 'continue' }
export interface PipeNode extends Pos { kind: 'pipe'; line: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode extends Pos { kind: 'command'; args: Node[] }
export interface IdentifierNode extends Pos { kind: 'identifier'; ident: string }
export interface VariableNode extends Pos { kind: 'variable'; ident: string[] }
export interface DotNode extends Pos { kind: 'dot' }
export interface NilNode extends Pos { kind: 'nil' }
export interface FieldNode extends Pos { kind: 'field'; ident: string[] }
export interface ChainNode extends Pos { kind: 'chain'; node: Node; fields: string[] }
export interface BoolNode extends Pos { kind: 'bool'; value: boolean }
export interface NumberNode extends Pos {
  kind: 'number';
  text: string;
  isInt: boolean;
  isFloat: boolean;
  /** The constant's value; integers within ±2^53 are exact. */
  value: number;
}
export interface StringNode extends Pos { kind: 'string'; quoted: string; text: string }

export function str(n: Node): string {
  switch (n.kind) {
    case 'text': {
      // Go prints text nodes with %q, cut to 20 bytes.
      const q = JSON.stringify(n.text);
      return n.text.length > 20 ? `${JSON.stringify(n.text.slice(0, 20))}...` : q;
    }
    case 'action':
      return `{{${str(n.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with': {
      const body = str(n.list);
      const alt = n.elseList ? `{{else}}${str(n.elseList)}` : '';
      return `{{${n.kind} ${str(n.pipe)}}}${body}${alt}{{end}}`;
    }
    case 'list':
      return n.nodes.map(str).join('');
    case 'template':
      return `{{template ${JSON.stringify(n.name)}${n.pipe ? ' ' + str(n.pipe) : ''}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'pipe': {
      const decl = n.decl.length ? `${n.decl.map(str).join(', ')} := ` : ''; // Go prints := for both forms
      return decl + n.cmds.map(str).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.kind === 'pipe' ? `(${str(a)})` : str(a))).join(' ');
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'field':
      return n.ident.map((i) => '.' + i).join('');
    case 'chain':
      return (n.node.kind === 'pipe' ? `(${str(n.node)})` : str(n.node)) + n.fields.map((f) => '.' + f).join('');
    case 'bool':
      return String(n.value);
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
  }
}
