// `docker inspect`, `docker container inspect`, `docker image inspect`: Docker's JSON (indented
// with four spaces, HTML characters escaped as Go does) or a Go template per object. Without
// --type, `docker inspect` tries containers, images, networks, then volumes (docker/cli
// system/inspect.go).
import { typedInspect } from '../format/moby-types.ts';
import { parseTemplate, TemplateError, type Template } from '../format/template.ts';
import type { CommandContext } from '../context.ts';
import { daemonMessage, errorText } from '../context.ts';
import { CliError } from '../io.ts';

type Kind = 'container' | 'image' | 'network' | 'volume';

/** docker/cli's object types, as its --type errors list them. */
const ALL_TYPES = ['config', 'container', 'image', 'network', 'node', 'plugin', 'secret', 'service', 'task', 'volume'];
const SWARM_TYPES = ['config', 'node', 'secret', 'service', 'task'];
const NOT_A_MANAGER = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
const mustBeOneOf = `must be one of "${ALL_TYPES.join('", "')}"`;

/** Go's json.MarshalIndent(v, "", "    ") for plain data. */
export function goIndentedJson(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * An object of one kind, or undefined when there is none by that name (docker/cli's inspect
 * moves on to the next kind on any error of the daemon's).
 */
async function find(ctx: CommandContext, kind: Kind, ref: string): Promise<unknown> {
  const { api } = ctx;
  try {
    return await (kind === 'container' ? api.containerInspect(ref) : kind === 'image' ? api.imageInspect(ref) : kind === 'network' ? api.networkInspect(ref) : api.volumeInspect(ref));
  } catch {
    return undefined;
  }
}

/** The element for one argument and its kind; throws the line Docker prints when there is none. */
async function lookup(ctx: CommandContext, ref: string, type: string): Promise<{ kind: Kind; element: unknown }> {
  if (type === '') {
    for (const kind of ['container', 'image', 'network', 'volume'] as const) {
      const element = await find(ctx, kind, ref);
      if (element !== undefined) return { kind, element };
    }
    throw new Error(`Error: No such object: ${ref}`);
  }
  if (SWARM_TYPES.includes(type)) throw new Error(`Error response from daemon: ${NOT_A_MANAGER}`);
  if (type === 'volume' || type === 'network') {
    try {
      return { kind: type, element: await (type === 'volume' ? ctx.api.volumeInspect(ref) : ctx.api.networkInspect(ref)) };
    } catch (e) {
      throw new Error(daemonMessage(e)); // the daemon's words: "get NAME: no such volume"
    }
  }
  if (type !== 'container' && type !== 'image') throw new CliError(`docker inspect --type ${type}: not implemented in Slipway yet`, 1);
  const element = await find(ctx, type, ref);
  if (element === undefined) throw new Error(`Error: No such ${type}: ${ref}`);
  return { kind: type, element };
}

/**
 * docker/cli's TemplateInspector: the template runs on the typed Go value; when that fails (a JSON
 * name such as `.Id` that is not a Go field), on the raw JSON as a map; the first error stands.
 */
function executeInspect(template: Template, kind: Kind, element: unknown): string {
  try {
    // Networks have no typed view here: their templates run on the JSON (same field names).
    return template.execute(kind === 'network' ? element : typedInspect(kind, element));
  } catch (typedError) {
    try {
      return template.execute(element);
    } catch {
      throw typedError;
    }
  }
}

export function inspectCommand(fixed?: Kind) {
  return async (ctx: CommandContext): Promise<number> => {
    const type = fixed ?? ctx.flags.string('type');
    if (!fixed && ctx.flags.changed('type') && type === '') throw new CliError(`type is empty: ${mustBeOneOf}`, 1);
    if (!ALL_TYPES.includes(type) && type !== '') throw new CliError(`unknown type: "${type}": ${mustBeOneOf}`, 1);
    const size = !fixed && ctx.flags.bool('size');
    const format = ctx.flags.string('format');
    let template;
    if (format && format !== 'json') {
      try {
        template = parseTemplate(format);
      } catch (e) {
        throw new CliError(`template parsing error: ${(e as TemplateError).message}`, 64);
      }
    }
    const elements: unknown[] = [];
    const errors: string[] = [];
    let out = '';
    for (const ref of ctx.args) {
      try {
        const { kind, element } = await lookup(ctx, ref, type);
        if (size && kind !== 'container') await ctx.io.stderr.write(`WARNING: --size ignored for ${kind}\n`);
        if (template) out += executeInspect(template, kind, element) + '\n';
        else elements.push(element);
      } catch (e) {
        if (e instanceof CliError) throw e;
        errors.push(e instanceof TemplateError ? `template parsing error: ${e.message}` : errorText(e));
      }
    }
    if (template) await ctx.io.stdout.write(out || '\n');
    else await ctx.io.stdout.write(goIndentedJson(elements) + '\n');
    if (errors.length) {
      await ctx.io.stderr.write(errors.join('\n') + '\n');
      return 1;
    }
    return 0;
  };
}
