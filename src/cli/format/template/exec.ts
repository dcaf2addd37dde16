// Executes a parsed template against JS data with Go's text/template semantics and error texts.
import type { ChainNode, CommandNode, FieldNode, ListNode, Node, NumberNode, PipeNode, RangeNode, VariableNode } from './nodes.ts';
import { str } from './nodes.ts';
import { formatValue } from './gofmt.ts';
import { GoCallError, truth } from './builtins.ts';
import { goFloat, isTrue, kindOf, methodOf, sortedEntries, typeName, type GoFunc, type GoParamType } from './values.ts';

export class TemplateExecError extends Error {
  override name = 'TemplateExecError';
}

/** "No final argument" in a pipeline stage (Go's missingVal). */
const MISSING = Symbol('missing');
type Final = unknown;

/** Go types a literal as float64 when it is written with '.', 'e' or 'p' (and is not hex). */
function idealConstant(n: NumberNode): unknown {
  const float = !/^[+-]?0[xX]/.test(n.text) && !n.text.startsWith("'") && /[.eEpP]/.test(n.text);
  return float ? goFloat(n.value) : n.value;
}

class Break {}
class Continue {}

export interface ExecOptions {
  name: string;
  /** The template text, to turn node byte offsets into line:column. */
  text: Uint8Array;
  funcs: ReadonlyMap<string, GoFunc>;
  /** Receives the output written before an execution error. */
  sink?: string[];
}

export function execute(root: ListNode, data: unknown, opts: ExecOptions): string {
  return new State(opts, data).run(root);
}

class State {
  #out = '';
  #vars: { name: string; value: unknown }[];
  #node: Node | null = null;

  constructor(
    readonly opts: ExecOptions,
    data: unknown,
  ) {
    this.#vars = [{ name: '$', value: data }];
  }

  run(root: ListNode): string {
    try {
      this.#walk(this.#vars[0]!.value, root);
    } catch (e) {
      this.opts.sink?.push(this.#out);
      throw e;
    }
    return this.#out;
  }

  #errorf(msg: string): never {
    const { name } = this.opts;
    if (!this.#node) throw new TemplateExecError(`template: ${name}: ${msg}`);
    const before = this.opts.text.subarray(0, this.#node.pos);
    const nl = before.lastIndexOf(10);
    const line = 1 + before.filter((b) => b === 10).length;
    const col = nl < 0 ? this.#node.pos : this.#node.pos - nl - 1;
    throw new TemplateExecError(`template: ${name}:${line}:${col}: executing ${JSON.stringify(name)} at <${str(this.#node)}>: ${msg}`);
  }

  #walk(dot: unknown, node: Node): void {
    this.#node = node;
    switch (node.kind) {
      case 'action': {
        const v = this.#evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.#print(node, v);
        return;
      }
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
      case 'if':
      case 'with': {
        const mark = this.#vars.length;
        const v = this.#evalPipeline(dot, node.pipe);
        if (isTrue(v)) this.#walk(node.kind === 'with' ? v : dot, node.list);
        else if (node.elseList) this.#walk(dot, node.elseList);
        this.#vars.length = mark;
        return;
      }
      case 'list':
        for (const n of node.nodes) this.#walk(dot, n);
        return;
      case 'range':
        return this.#walkRange(dot, node);
      case 'text':
        this.#out += node.text;
        return;
      case 'template':
        // {{define}} is not supported, so no named template ever exists.
        this.#errorf(`template ${JSON.stringify(node.name)} not defined`);
      default:
        this.#errorf(`unknown node: ${str(node)}`);
    }
  }

  #walkRange(dot: unknown, r: RangeNode) {
    this.#node = r;
    const mark = this.#vars.length;
    const val = this.#evalPipeline(dot, r.pipe);
    const inner = this.#vars.length;
    const one = (index: unknown, elem: unknown): boolean => {
      if (r.pipe.decl.length > 0) this.#vars[this.#vars.length - 1]!.value = elem;
      if (r.pipe.decl.length > 1) this.#vars[this.#vars.length - 2]!.value = index;
      try {
        this.#walk(elem, r.list);
      } catch (e) {
        if (e instanceof Break) return false;
        if (!(e instanceof Continue)) throw e;
      } finally {
        this.#vars.length = inner;
      }
      return true;
    };
    let ran = false;
    switch (kindOf(val)) {
      case 'slice':
        for (const [i, e] of (val as unknown[]).entries()) {
          ran = true;
          if (!one(i, e)) break;
        }
        break;
      case 'map':
        for (const [k, e] of sortedEntries(val as object)) {
          ran = true;
          if (!one(k, e)) break;
        }
        break;
      case 'int': {
        // Go 1.22+: range over an integer counts from 0.
        if (r.pipe.decl.length > 1) this.#errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
        for (let i = 0; i < Number(val); i++) {
          ran = true;
          if (!one(i, i)) break;
        }
        break;
      }
      case 'invalid':
      case 'nil':
      case 'nilmap':
      case 'nilslice':
      case 'nilptr':
        break;
      default:
        this.#errorf(`range can't iterate over ${formatValue(val)}`);
    }
    if (!ran && r.elseList) this.#walk(dot, r.elseList);
    this.#vars.length = mark;
  }

  #print(node: Node, v: unknown) {
    this.#node = node;
    if (v === undefined) this.#out += '<no value>';
    else if (kindOf(v) === 'func') this.#errorf(`can't print ${str(node)} of type ${typeName(v)}`);
    else this.#out += formatValue(v);
  }

  #evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.#node = pipe;
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.#evalCommand(dot, cmd, value);
      // Go unwraps interface values between stages: a nil interface becomes "no value".
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      const name = v.ident[0]!;
      if (pipe.isAssign) {
        const slot = [...this.#vars].reverse().find((x) => x.name === name);
        if (!slot) this.#errorf(`undefined variable: ${name}`);
        slot.value = value;
      } else this.#vars.push({ name, value });
    }
    return value;
  }

  #notAFunction(args: Node[], final: Final) {
    if (args.length > 1 || final !== MISSING) this.#errorf(`can't give argument to non-function ${str(args[0]!)}`);
  }

  #evalCommand(dot: unknown, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0]!;
    switch (first.kind) {
      case 'field':
        return this.#evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.#evalChain(dot, first, cmd.args, final);
      case 'identifier':
        this.#node = first;
        return this.#evalCall(dot, this.#func(first.ident), true, cmd, first.ident, cmd.args, final);
      case 'pipe':
        this.#notAFunction(cmd.args, final);
        return this.#evalPipeline(dot, first);
      case 'variable':
        return this.#evalVariable(dot, first, cmd.args, final);
    }
    this.#node = first;
    this.#notAFunction(cmd.args, final);
    switch (first.kind) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.#errorf('nil is not a command');
      // falls through (never)
      case 'number':
        return idealConstant(first);
      case 'string':
        return first.text;
    }
    this.#errorf(`can't evaluate command ${JSON.stringify(str(first))}`);
  }

  #func(name: string): GoFunc {
    const f = this.opts.funcs.get(name);
    if (!f) this.#errorf(`${JSON.stringify(name)} is not a defined function`);
    return f;
  }

  #evalFieldNode(dot: unknown, field: FieldNode, args: Node[], final: Final): unknown {
    this.#node = field;
    return this.#evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  #evalChain(dot: unknown, chain: ChainNode, args: Node[], final: Final): unknown {
    this.#node = chain;
    if (chain.node.kind === 'nil') this.#errorf(`indirection through explicit nil in ${str(chain)}`);
    const receiver = this.#evalArg(dot, 'any', chain.node);
    return this.#evalFieldChain(dot, receiver, chain, chain.fields, args, final);
  }

  #evalVariable(dot: unknown, v: VariableNode, args: Node[], final: Final): unknown {
    this.#node = v;
    const slot = [...this.#vars].reverse().find((x) => x.name === v.ident[0]);
    if (!slot) this.#errorf(`undefined variable: ${v.ident[0]}`);
    if (v.ident.length === 1) {
      this.#notAFunction(args, final);
      return slot.value;
    }
    return this.#evalFieldChain(dot, slot.value, v, v.ident.slice(1), args, final);
  }

  #evalFieldChain(dot: unknown, receiver: unknown, node: Node, ident: string[], args: Node[], final: Final): unknown {
    // A value fetched from a map[string]interface {} has static type interface {} in Go's messages.
    let viaMap = false;
    for (let i = 0; i < ident.length - 1; i++) {
      const isPlainMap = kindOf(receiver) === 'map' && typeName(receiver) === 'map[string]interface {}';
      receiver = this.#evalField(dot, ident[i]!, node, [], MISSING, receiver, viaMap);
      viaMap = isPlainMap;
    }
    return this.#evalField(dot, ident[ident.length - 1]!, node, args, final, receiver, viaMap);
  }

  #evalField(dot: unknown, name: string, node: Node, args: Node[], final: Final, receiver: unknown, viaMap = false): unknown {
    const kind = kindOf(receiver);
    if (kind === 'invalid') return undefined;
    if (kind === 'nil') this.#errorf(`nil pointer evaluating interface {}.${name}`);
    const method = methodOf(receiver, name);
    if (method) return this.#evalCall(dot, method, false, node, name, args, final);
    const hasArgs = args.length > 1 || final !== MISSING;
    const own = (o: unknown) => Object.prototype.hasOwnProperty.call(o, name);
    switch (kind) {
      case 'struct':
        if (own(receiver)) {
          if (!/^\p{Lu}/u.test(name)) this.#errorf(`${name} is an unexported field of struct type ${typeName(receiver)}`);
          if (hasArgs) this.#errorf(`${name} has arguments but cannot be invoked as function`);
          return (receiver as Record<string, unknown>)[name];
        }
        break;
      case 'map':
      case 'nilmap':
        if (hasArgs) this.#errorf(`${name} is not a method but has arguments`);
        return own(receiver) ? (receiver as Record<string, unknown>)[name] : undefined;
      case 'nilptr':
        this.#errorf(`nil pointer evaluating ${typeName(receiver)}.${name}`);
    }
    this.#errorf(`can't evaluate field ${name} in type ${viaMap ? 'interface {}' : typeName(receiver)}`);
  }

  #evalCall(dot: unknown, fn: GoFunc, builtin: boolean, node: Node, name: string, cmdArgs: Node[], final: Final): unknown {
    const args = cmdArgs.slice(1);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.variadic ? fn.params.length : args.length;
    if (fn.variadic) {
      if (numIn < numFixed) this.#errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.#errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    if (builtin && (name === 'and' || name === 'or')) {
      // Short-circuit: arguments are evaluated only as far as needed.
      let v: unknown;
      for (const a of args) {
        v = this.#evalArg(dot, 'any', a);
        if (truth(v) === (name === 'or')) return v;
      }
      return final !== MISSING ? final : v;
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.#evalArg(dot, fn.params[i]!, args[i]!));
    for (; i < args.length; i++) argv.push(this.#evalArg(dot, fn.variadic!, args[i]!));
    if (final !== MISSING) {
      let t: GoParamType = fn.params[fn.params.length - 1] ?? fn.variadic!;
      if (fn.variadic) t = numIn - 1 < numFixed ? fn.params[numIn - 1]! : fn.variadic;
      argv.push(this.#validateType(final, t));
    }
    try {
      return fn.fn(...argv);
    } catch (e) {
      if (!(e instanceof GoCallError)) throw e;
      this.#node = node;
      this.#errorf(`error calling ${name}: ${e.message}`);
    }
  }

  #validateType(v: unknown, t: GoParamType): unknown {
    if (v === undefined) {
      if (t === 'any') return null;
      if (t === '[]string') return [];
      this.#errorf(`invalid value; expected ${t}`);
    }
    const k = kindOf(v);
    const ok =
      t === 'any' ||
      (t === 'string' && k === 'string') ||
      (t === 'int' && k === 'int') ||
      (t === 'float64' && (k === 'float' || k === 'int')) ||
      (t === 'bool' && k === 'bool') ||
      (t === '[]string' && (k === 'nilslice' || (k === 'slice' && (v as unknown[]).every((e) => typeof e === 'string'))));
    if (!ok) this.#errorf(`wrong type for value; expected ${t}; got ${typeName(v)}`);
    return v;
  }

  #evalArg(dot: unknown, t: GoParamType, n: Node): unknown {
    this.#node = n;
    switch (n.kind) {
      case 'dot':
        return this.#validateType(dot, t);
      case 'nil':
        if (t === 'any' || t === '[]string') return null;
        this.#errorf(`cannot assign nil to ${t}`);
      // falls through (never)
      case 'field':
        return this.#validateType(this.#evalFieldNode(dot, n, [n], MISSING), t);
      case 'variable':
        return this.#validateType(this.#evalVariable(dot, n, [], MISSING), t);
      case 'pipe':
        return this.#validateType(this.#evalPipeline(dot, n), t);
      case 'identifier':
        return this.#validateType(this.#evalCall(dot, this.#func(n.ident), true, n, n.ident, [], MISSING), t);
      case 'chain':
        return this.#validateType(this.#evalChain(dot, n, [], MISSING), t);
    }
    switch (t) {
      case 'bool':
        if (n.kind === 'bool') return n.value;
        this.#errorf(`expected bool; found ${str(n)}`);
      // falls through (never)
      case 'int':
        if (n.kind === 'number' && n.isInt) return n.value;
        this.#errorf(`expected integer; found ${str(n)}`);
      // falls through (never)
      case 'float64':
        if (n.kind === 'number' && n.isFloat) return goFloat(n.value);
        this.#errorf(`expected float; found ${str(n)}`);
      // falls through (never)
      case 'string':
        if (n.kind === 'string') return n.text;
        this.#errorf(`expected string; found ${str(n)}`);
      // falls through (never)
      case 'any':
        if (n.kind === 'bool') return n.value;
        if (n.kind === 'number') return idealConstant(n);
        if (n.kind === 'string') return n.text;
    }
    this.#errorf(`can't handle ${str(n)} for arg of type ${t}`);
  }
}
