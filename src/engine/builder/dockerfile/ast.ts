// The Dockerfile syntax tree, shaped like BuildKit's parser.Node: an instruction node carries its
// arguments as a `next` chain; only ONBUILD nests a whole instruction (as `children`).
import { goQuote, goQuoteList } from './go-quote.ts';
import { goTrimSpace } from './go-strings.ts';

export interface Heredoc {
  name: string;
  /** The n of `n<<EOF`; 0 when absent. */
  fileDescriptor: number;
  /** False when any part of the heredoc word was quoted: the content is then taken literally. */
  expand: boolean;
  /** `<<-`: leading tabs are stripped from the content later (see chompHeredocContent). */
  chomp: boolean;
  /** The lines as written, newlines included, before any chomping. */
  content: string;
}

export interface Node {
  /** The instruction as written (e.g. `run`, `FROM`) on instruction nodes, else the argument. */
  value: string;
  next: Node | null;
  children: Node[];
  heredocs: Heredoc[];
  /** `json` is set when the arguments were given in exec (JSON array) form. */
  attributes: { json?: boolean };
  /** The instruction line after continuation joining, as the parser saw it. */
  original: string;
  /** `--name=value` builder flags, only on instruction nodes. */
  flags: string[];
  /** 1-based, inclusive; 0 for nodes that are not top-level instructions. */
  startLine: number;
  endLine: number;
  /** The comment lines right above the instruction, without their '#'. */
  prevComment: string[];
}

export function newNode(value = '', next: Node | null = null): Node {
  return {
    value,
    next,
    children: [],
    heredocs: [],
    attributes: {},
    original: '',
    flags: [],
    startLine: 0,
    endLine: 0,
    prevComment: [],
  };
}

/** The values of a node's `next` chain, in order. */
export function argumentValues(node: Node): string[] {
  const values: string[] = [];
  for (let n = node.next; n !== null; n = n.next) values.push(n.value);
  return values;
}

/** Node.Dump: one s-expression per child, values quoted the way Go's %q does. */
export function dumpNode(node: Node): string {
  let out = node.value.toLowerCase();
  if (node.flags.length > 0) out += ` ${goQuoteList(node.flags)}`;
  for (const child of node.children) out += `(${dumpNode(child)})\n`;
  for (let n = node.next; n !== null; n = n.next) {
    out += ' ' + (n.children.length > 0 ? dumpNode(n) : goQuote(n.value));
  }
  return goTrimSpace(out);
}

/** A source line range (1-based, inclusive), as BuildKit attaches to errors and warnings. */
export interface LineRange {
  start: number;
  end: number;
}

/** A parse failure and the lines it concerns. The message is BuildKit's, without the location. */
export class DockerfileParseError extends Error {
  readonly location: LineRange;

  constructor(message: string, start: number, end = start) {
    super(message);
    this.name = 'DockerfileParseError';
    this.location = { start, end: end <= start ? start : end };
  }
}
