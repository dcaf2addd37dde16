// Go's path package where Docker's answers depend on it (the daemon's checks, the CLI's flags and
// .dockerignore handling all clean paths as Go does).

/** path.Clean: `./a` → `a`, `a//b` → `a/b`, `a/../b` → `b`, `` → `.`; a rooted path stays rooted. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') out.push(part);
    else if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (!rooted) out.push('..');
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** path.Dir: everything before the last `/`, cleaned (`a` → `.`, `/a` → `/`, `a/` → `a`). */
export function dirPath(path: string): string {
  return cleanPath(path.slice(0, path.lastIndexOf('/') + 1));
}
