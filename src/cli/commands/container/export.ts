// `docker export [-o FILE] CONTAINER`: the container's filesystem as a tar, from the API's export
// route to stdout or to a file on the client's machine (docker/cli's runExport).
import { daemonMessage, type CommandContext } from '../../context.ts';
import { CliError } from '../../io.ts';

export async function exportCommand(ctx: CommandContext): Promise<number> {
  const [container = ''] = ctx.args;
  const { api, io } = ctx;
  const output = ctx.flags.string('output');
  if (!output && io.terminal?.stdout) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
  try {
    if (!output) {
      await api.containerExport(container, { write: (b) => io.stdout.write(b), end: () => undefined });
      return 0;
    }
    if (!io.files) throw new CliError('docker export: this client has no files to write to', 1);
    const path = output.startsWith('/') ? output : `${io.cwd}/${output}`;
    // docker/cli checks the path before asking the daemon.
    const problem = await io.files.checkOutputPath(path);
    if (problem) throw new CliError(`failed to export container: invalid output path: ${problem}`, 1);
    await api.containerInspect(container);
    await io.files.writeFile(path, (sink) => api.containerExport(container, sink));
    return 0;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(daemonMessage(e), 1);
  }
}
