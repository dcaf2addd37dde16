// `docker commit [-a -c -m -p] CONTAINER [REPOSITORY[:TAG]]`: POST /commit; prints the new image's ID.
import { parseDockerRef } from '../../../lib/reference.ts';
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

export async function commit(ctx: CommandContext): Promise<number> {
  const { flags, io, api } = ctx;
  const [container = '', name] = ctx.args;
  let repo: string | undefined;
  let tag: string | undefined;
  if (name) {
    try {
      const ref = parseDockerRef(name);
      if (ref.digest !== undefined) throw new Error('refusing to create a tag with a digest reference');
      tag = ref.tag;
      repo = tag === undefined ? name : name.slice(0, name.length - tag.length - 1);
    } catch (e) {
      throw new CliError(daemonMessage(e), 1);
    }
  }
  try {
    const { Id } = await api.containerCommit(container, {
      ...(repo ? { repo } : {}),
      ...(tag ? { tag } : {}),
      ...(flags.string('message') ? { comment: flags.string('message') } : {}),
      ...(flags.string('author') ? { author: flags.string('author') } : {}),
      pause: flags.changed('pause') ? flags.bool('pause') : true,
      changes: flags.list('change'),
    });
    await io.stdout.write(`${Id}\n`);
    return 0;
  } catch (e) {
    throw new CliError(daemonMessage(e), 1);
  }
}
