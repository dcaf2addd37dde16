// `docker inspect`, `docker container inspect`, `docker image inspect`: Docker's JSON (indented
// with four spaces, HTML characters escaped as Go does) or a Go template per object.
import { containerInspect } from '../../container/views.ts';
import { networkId } from '../../network/bridge.ts';
import { parseTemplate, TemplateError } from '../format/template.ts';
import type { CommandContext } from '../context.ts';
import { errorText } from '../context.ts';
import { CliError } from '../io.ts';

type Kind = 'container' | 'image';

/** Go's json.MarshalIndent(v, "", "    ") for plain data. */
export function goIndentedJson(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function lookup(ctx: CommandContext, ref: string, kinds: readonly Kind[]): Promise<unknown> {
  for (const kind of kinds) {
    if (kind === 'container') {
      const record = ctx.engine.containers.registry.find(ref);
      if (record) return containerInspect(record, { now: ctx.engine.now(), networkId });
    } else {
      const image = await ctx.engine.images.resolve(ref).catch(() => undefined);
      if (image) return ctx.engine.images.inspect(image.id);
    }
  }
  if (kinds.length === 1) throw new Error(`No such ${kinds[0]}: ${ref}`);
  throw new Error(`No such object: ${ref}`);
}

export function inspectCommand(fixed?: Kind) {
  return async (ctx: CommandContext): Promise<number> => {
    const type = fixed ?? (ctx.flags.string('type') || '');
    if (type && type !== 'container' && type !== 'image') {
      throw new CliError(`"${type}" is not a valid value for --type`, 1);
    }
    const kinds: Kind[] = type ? [type as Kind] : ['container', 'image'];
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
        const element = await lookup(ctx, ref, kinds);
        if (template) out += template.execute(element) + '\n';
        else elements.push(element);
      } catch (e) {
        errors.push(e instanceof TemplateError ? `template parsing error: ${e.message}` : errorText(e));
      }
    }
    if (template) await ctx.io.stdout.write(out || '\n');
    else await ctx.io.stdout.write(goIndentedJson(elements) + '\n');
    if (errors.length) {
      await ctx.io.stderr.write(`Error: ${errors.join('\n')}\n`.replace(/^Error: template parsing/, 'template parsing'));
      return 1;
    }
    return 0;
  };
}
