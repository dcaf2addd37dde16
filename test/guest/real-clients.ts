// Real Docker clients for guest tests: Docker's own CLI 20.10 (API 1.41) and the Docker SDK for
// Python 5.0.3, taken from Debian by test/clients/fetch.sh (never committed; .ci/run fetches
// them). stageRealClients puts them in a booted guest at the paths of REAL_CLIENTS.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/platform/node.ts';
import { GUEST_SHARE_PATH, type TreeEntry } from '../../src/protocol/guest/port.ts';
import type { NodeGuest } from '../../src/runner/guest.ts';
import { sh } from './harness.ts';

const FETCH_SCRIPT = 'test/clients/fetch.sh';
const PINS = 'test/clients/packages.txt';

/** fetch.sh's output directory (the same default and override). */
export const clientsHome = process.env.SLIPWAY_CLIENTS_DIR ?? join(projectRoot, '.slipway/clients');

/**
 * The clients live in a share directory of their own, and /root/.clients is a symlink to it:
 * inside the workspace their 45 MB would be tarred and hashed by every workspace autosave.
 */
const SHARE_DIR = '/test-clients';
const GUEST_LINK = '/root/.clients';

/** Paths in the guest, once staged. */
export const REAL_CLIENTS = {
  /** Docker's CLI from Debian's docker.io 20.10.24 (i386, needs only the guest's libc). */
  dockerCli: `${GUEST_LINK}/docker-20.10`,
  /** The Docker SDK for Python with what python:3.11-slim lacks of its Depends: a PYTHONPATH. */
  pythonPath: `${GUEST_LINK}/python`,
  /** The pinned "name arch version sha256" lines they came from. */
  versions: `${GUEST_LINK}/VERSIONS`,
} as const;

/**
 * `docker run` options that let a python:3.11-slim container `import docker`. The SDK imports
 * distutils; Debian's setuptools would hand it setuptools' copy, whose bytecode the catalogue
 * image leaves out (~35 s of compiling per start in the guest), so the stdlib's is chosen.
 */
export const PYTHON_SDK_RUN_OPTIONS = `-v ${REAL_CLIENTS.pythonPath}:/clients:ro -e PYTHONPATH=/clients -e SETUPTOOLS_USE_DISTUTILS=stdlib`;

/** Where a client finds no daemon (the daemon itself is at the default, /var/run/docker.sock). */
export const NO_DAEMON_HOST = 'unix:///tmp/nothing.sock';

/**
 * The fetched tree on this machine. Throws (a test fails, never skips) when it is missing or
 * was made from other pins than packages.txt's.
 */
export function realClientsOnHost(): string {
  const staged = join(clientsHome, 'staged');
  const stampFile = join(clientsHome, 'stamp');
  const complete = existsSync(join(staged, 'docker-20.10')) && existsSync(join(staged, 'python/docker/__init__.py'));
  if (!complete || !existsSync(stampFile)) {
    throw new Error(`the real Docker clients are not in ${staged}: run 'bash ${FETCH_SCRIPT}' (it downloads them from Debian's archive)`);
  }
  if (readFileSync(stampFile, 'utf8').trim() !== expectedStamp()) {
    throw new Error(`the real Docker clients in ${staged} were fetched for other pins than ${PINS}: run 'bash ${FETCH_SCRIPT}' again`);
  }
  return staged;
}

/** fetch.sh's stamp: the sha256 of packages.txt followed by the script. */
function expectedStamp(): string {
  return createHash('sha256')
    .update(readFileSync(join(projectRoot, PINS)))
    .update(readFileSync(join(projectRoot, FETCH_SCRIPT)))
    .digest('hex');
}

/**
 * Puts the clients in the guest: the tree goes straight into the 9p share from the host (no
 * copy through the guest), and /root/.clients becomes a link to it. Calling it again on the same
 * guest only renews the link; after a reboot call it again (the share starts empty).
 */
export async function stageRealClients(guest: NodeGuest): Promise<typeof REAL_CLIENTS> {
  const staged = realClientsOnHost();
  const files = guest.machine.files;
  if (!files.exists(SHARE_DIR)) await files.writeTree(SHARE_DIR, readHostTree(staged));
  const r = await sh(guest, `ln -sfn ${GUEST_SHARE_PATH}${SHARE_DIR} ${GUEST_LINK} && test -x ${REAL_CLIENTS.dockerCli}`);
  if (r.code !== 0) throw new Error(`staging the real Docker clients failed: ${r.stderr}`);
  return REAL_CLIENTS;
}

/**
 * Runs the CLI once: its first start in a guest reads the 43 MB binary over 9p and leaves v86
 * compiling it (10–50 s); later starts take 2–3 s.
 */
export async function warmUpDockerCli(guest: NodeGuest): Promise<void> {
  const r = await sh(guest, `DOCKER_HOST=${NO_DAEMON_HOST} ${REAL_CLIENTS.dockerCli} --version`);
  if (r.code !== 0) throw new Error(`${REAL_CLIENTS.dockerCli} --version failed (${r.code}): ${r.stderr}`);
}

/** A host directory as writeTree entries (parents first), owned by root. */
function readHostTree(root: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const walk = (relative: string) => {
    const full = join(root, relative);
    const stat = lstatSync(full);
    const base = { path: relative, mode: stat.mode & 0o7777, uid: 0, gid: 0, mtime: Math.floor(stat.mtimeMs / 1000) };
    if (stat.isSymbolicLink()) {
      entries.push({ ...base, type: 'symlink', target: readlinkSync(full) });
    } else if (stat.isDirectory()) {
      entries.push({ ...base, type: 'dir' });
      for (const name of readdirSync(full).sort()) walk(relative ? `${relative}/${name}` : name);
    } else if (stat.isFile()) {
      entries.push({ ...base, type: 'file', data: new Uint8Array(readFileSync(full)) });
    }
  };
  walk('');
  return entries;
}
