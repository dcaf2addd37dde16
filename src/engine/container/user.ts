// `--user` / USER resolution against the image's /etc/passwd and /etc/group, as runc does it:
// names must exist, numbers need not; the primary group comes from passwd unless given.
import { DaemonError } from './state.ts';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

function parseColonFile(text: string | null): string[][] {
  if (!text) return [];
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

export function resolveUser(spec: string, readFile: (path: string) => string | null): ResolvedUser {
  const [userPart = '', groupPart] = spec.split(':', 2);
  const passwd: PasswdEntry[] = parseColonFile(readFile('/etc/passwd')).map((f) => ({ name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]) }));
  const groups = parseColonFile(readFile('/etc/group')).map((f) => ({ name: f[0] ?? '', gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
  const fail = (what: string) => new DaemonError(`unable to find ${what}`, 'invalid-parameter');

  let entry: PasswdEntry | undefined;
  let uid: number;
  if (userPart === '') {
    uid = 0;
    entry = passwd.find((p) => p.uid === 0);
  } else if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    entry = passwd.find((p) => p.uid === uid);
  } else {
    entry = passwd.find((p) => p.name === userPart);
    if (!entry) throw fail(`user ${userPart}: no matching entries in passwd file`);
    uid = entry.uid;
  }
  let gid = entry?.gid ?? 0;
  if (groupPart !== undefined && groupPart !== '') {
    if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g) throw fail(`group ${groupPart}: no matching entries in group file`);
      gid = g.gid;
    }
  }
  const additionalGids = entry ? groups.filter((g) => g.members.includes(entry.name) && g.gid !== gid).map((g) => g.gid) : [];
  return { uid, gid, additionalGids };
}
