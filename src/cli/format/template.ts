// Go text/template as docker/cli uses it for every --format: Go's builtins plus Docker's
// json/split/join/title/lower/upper/pad/truncate, template name "" (errors read "template: :1: ...").
import { dockerFunctions, goBuiltins } from './template/builtins.ts';
import { execute, TemplateExecError } from './template/exec.ts';
import type { ListNode } from './template/nodes.ts';
import { parse, TemplateParseError } from './template/parser.ts';
import type { GoFunc } from './template/values.ts';

/** A template failed to parse (`parse: true`) or to execute; `message` is Go's error text. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    message: string,
    readonly phase: 'parse' | 'exec',
  ) {
    super(message);
  }
}

const defaultFuncs = new Map<string, GoFunc>([...goBuiltins, ...dockerFunctions]);
const funcNames: ReadonlySet<string> = new Set(defaultFuncs.keys());

export interface ExecuteOptions {
  /** Functions replacing same-named ones for this run (Docker's header functions). */
  funcs?: ReadonlyMap<string, GoFunc>;
}

export class Template {
  readonly #root: ListNode;
  readonly #bytes: Uint8Array;

  constructor(
    readonly text: string,
    root: ListNode,
  ) {
    this.#root = root;
    this.#bytes = new TextEncoder().encode(text);
  }

  /** Runs the template; throws TemplateError (phase "exec") with Go's message on failure. */
  execute(data: unknown, options: ExecuteOptions = {}): string {
    const funcs = options.funcs ? new Map([...defaultFuncs, ...options.funcs]) : defaultFuncs;
    try {
      return execute(this.#root, data, { name: '', text: this.#bytes, funcs });
    } catch (e) {
      if (e instanceof TemplateExecError) throw new TemplateError(e.message, 'exec');
      throw e;
    }
  }

  /** Like execute, but keeps what was written before an error (Go writes as it goes). */
  executePartial(data: unknown, options: ExecuteOptions = {}): { output: string; error?: TemplateError } {
    const funcs = options.funcs ? new Map([...defaultFuncs, ...options.funcs]) : defaultFuncs;
    const sink: string[] = [];
    try {
      return { output: execute(this.#root, data, { name: '', text: this.#bytes, funcs, sink }) };
    } catch (e) {
      if (e instanceof TemplateExecError) return { output: sink.join(''), error: new TemplateError(e.message, 'exec') };
      throw e;
    }
  }
}

/** Parses a Go template; throws TemplateError (phase "parse") with Go's message. */
export function parseTemplate(text: string): Template {
  try {
    return new Template(text, parse(text, funcNames));
  } catch (e) {
    if (e instanceof TemplateParseError) throw new TemplateError(e.message, 'parse');
    throw e;
  }
}
