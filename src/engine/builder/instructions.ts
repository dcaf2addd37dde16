// A parsed Dockerfile as the classic builder runs it: meta ARGs, then stages (FROM and the
// instructions under it), each instruction with its flags and its words still unexpanded (they
// are expanded when the step runs, against the ARGs and ENVs in scope then).
import { argumentValues, DockerfileParseError, type Heredoc, type Node } from './dockerfile/ast.ts';
import { parse } from './dockerfile/parser.ts';

export class BuildError extends Error {
  override name = 'BuildError';
  /** A RUN's exit code (the stream's errorDetail.code). */
  readonly code?: number;
  constructor(message: string, code?: number) {
    super(message);
    if (code !== undefined) this.code = code;
  }
}

export interface Instruction {
  /** Lower case: `run`, `copy`, … */
  name: string;
  /** The line as written (continuations joined), for `Step n/m : …`. */
  original: string;
  /** The arguments: words, or one shell-form string, or key/value pairs for ENV and LABEL. */
  args: string[];
  /** Exec (JSON) form. */
  json: boolean;
  /** `--name=value` flags. */
  flags: Map<string, string>;
  heredocs: Heredoc[];
  /** ENV/LABEL: [key, value] pairs. */
  pairs: [string, string][];
  /** ONBUILD: the instruction it holds, as written. */
  trigger?: string;
  line: number;
}

export interface Stage {
  /** FROM's image word (unexpanded). */
  base: string;
  /** `AS name`, lower-cased; '' when unnamed. */
  name: string;
  from: Instruction;
  commands: Instruction[];
}

export interface ParsedDockerfile {
  /** ARGs before the first FROM: only FROM lines see them. */
  metaArgs: Instruction[];
  stages: Stage[];
  escapeToken: string;
}

const KNOWN = new Set(['from', 'run', 'cmd', 'entrypoint', 'copy', 'add', 'env', 'arg', 'label', 'expose', 'volume', 'workdir', 'user', 'shell', 'stopsignal', 'maintainer', 'onbuild', 'healthcheck']);

/** Flags each instruction accepts, as BuildKit's instructions package declares them. */
const FLAGS: Record<string, string[]> = {
  from: ['platform'],
  copy: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  add: ['chown', 'chmod', 'link', 'checksum', 'keep-git-dir', 'exclude'],
  run: ['mount', 'network', 'security'],
  healthcheck: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

export function toInstruction(node: Node): Instruction {
  const name = node.value.toLowerCase();
  if (!KNOWN.has(name)) throw new BuildError(`dockerfile parse error on line ${node.startLine}: unknown instruction: ${node.value.toUpperCase()}`);
  const flags = new Map<string, string>();
  for (const flag of node.flags) {
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(flag);
    if (!m || !(FLAGS[name] ?? []).includes(m[1]!)) throw new BuildError(`dockerfile parse error on line ${node.startLine}: unknown flag: ${m?.[1] ?? flag}`);
    flags.set(m[1]!, m[2] ?? 'true');
  }
  const args = argumentValues(node);
  const pairs: [string, string][] = [];
  if (name === 'env' || name === 'label') for (let i = 0; i + 1 < args.length; i += 3) pairs.push([args[i]!, args[i + 1]!]);
  const instruction: Instruction = { name, original: node.original, args, json: node.attributes.json === true, flags, heredocs: node.heredocs, pairs, line: node.startLine };
  if (name === 'onbuild') {
    const inner = node.next?.children[0];
    if (!inner) throw new BuildError(`dockerfile parse error on line ${node.startLine}: ONBUILD requires at least one argument`);
    const innerName = inner.value.toLowerCase();
    if (innerName === 'onbuild') throw new BuildError('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
    if (innerName === 'from' || innerName === 'maintainer') throw new BuildError(`${innerName.toUpperCase()} isn't allowed as an ONBUILD trigger`);
    instruction.trigger = inner.original;
  }
  return instruction;
}

/** Parses and splits into stages; Docker's errors for an empty file or no FROM. */
export function parseDockerfile(text: string): ParsedDockerfile {
  let result;
  try {
    result = parse(text);
  } catch (e) {
    if (e instanceof DockerfileParseError) throw new BuildError(`dockerfile parse error on line ${e.location.start}: ${e.message}`);
    throw e;
  }
  const nodes = result.ast.children;
  if (nodes.length === 0) throw new BuildError('the Dockerfile (Dockerfile) cannot be empty');
  const metaArgs: Instruction[] = [];
  const stages: Stage[] = [];
  for (const node of nodes) {
    const instruction = toInstruction(node);
    if (instruction.name === 'from') {
      const [base = '', as, stageName] = instruction.args;
      if (!base || (as !== undefined && (as.toLowerCase() !== 'as' || !stageName)) || instruction.args.length > 3) {
        throw new BuildError(`dockerfile parse error on line ${instruction.line}: FROM requires either one or three arguments`);
      }
      stages.push({ base, name: (stageName ?? '').toLowerCase(), from: instruction, commands: [] });
    } else if (!stages.length) {
      if (instruction.name !== 'arg') throw new BuildError('no build stage in current context');
      metaArgs.push(instruction);
    } else stages[stages.length - 1]!.commands.push(instruction);
  }
  if (!stages.length) throw new BuildError('no build stage in current context');
  return { metaArgs, stages, escapeToken: result.escapeToken };
}
