// A guest command run by the host's own shell, for unit tests of engine code that works on guest
// paths (volumes on /var/lib/docker, the share on /mnt/host): every argument's guest paths are
// moved under `root`, a temporary directory standing in for the guest's filesystem. The host's
// GNU tools accept what the guest's busybox does for the commands the engine uses.
import { execFile } from 'node:child_process';

const GUEST_ROOTS = ['/var/lib/docker', '/mnt/host'];

export function hostGuestRun(root: string, log?: string[][]) {
  const inRoot = (arg: string) => GUEST_ROOTS.reduce((a, prefix) => a.replaceAll(prefix, `${root}${prefix}`), arg);
  return (argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    log?.push(argv);
    const [file, ...args] = argv.map(inRoot);
    return new Promise((resolve) => {
      execFile(file!, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
        // Paths as the guest would print them.
        const back = (s: string) => s.replaceAll(root, '');
        resolve({ code, stdout: back(stdout), stderr: back(stderr) });
      });
    });
  };
}
