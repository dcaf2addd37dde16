// npm run bench:workspace
// What storing the workspace costs, since every page edit now waits for it and guest changes are
// stored within a second: the whole tree is tarred, hashed and (when it changed) written as one
// blob. Median of several runs per figure, for a workspace of ~50 files / 5 MB and one ten times
// that, on a fresh store of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../src/lib/digest.ts';
import { readText } from '../../src/lib/streams.ts';
import { treeToTar } from '../../src/engine/share/tree-tar.ts';
import { WORKSPACE_SHARE_ROOT } from '../../src/engine/workspace/workspace.ts';
import { startGuest, type NodeGuest } from '../../src/runner/guest.ts';
import { loginShell } from '../../src/worker/vm/shell.ts';

const RUNS = 5;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function sh(guest: NodeGuest, command: string): Promise<string> {
  const proc = await guest.machine.port.spawn(loginShell(command));
  proc.stdin.end();
  const [out] = await Promise.all([readText(proc.stdout), readText(proc.stderr), proc.exited]);
  return out;
}

async function figures(guest: NodeGuest, label: string): Promise<void> {
  const ws = guest.daemon.engine.workspace;
  const saved = guest.daemon.engine.saved;
  const tree = guest.machine.port.files.readTree(WORKSPACE_SHARE_ROOT) ?? [];
  const bytes = tree.reduce((n, e) => n + (e.data?.length ?? 0), 0);
  const sync: number[] = [];
  const tarHash: number[] = [];
  const unchanged: number[] = [];
  const oneEdit: number[] = [];
  const pageWrite: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    sync.push(await timed(() => saved.flush()));
    tarHash.push(await timed(async () => sha256Hex(treeToTar(guest.machine.port.files.readTree(WORKSPACE_SHARE_ROOT) ?? []))));
    unchanged.push(await timed(() => ws.save()));
    await sh(guest, `echo ${i} >> /root/bench/f0`);
    oneEdit.push(await timed(() => ws.save()));
    pageWrite.push(await timed(() => ws.write('bench/edited.txt', new TextEncoder().encode(`edit ${i}\n`))));
  }
  const row = (name: string, values: number[]) => console.log(`  ${name.padEnd(44)} ${median(values).toFixed(0).padStart(6)} ms`);
  console.log(`${label}: ${tree.filter((e) => e.type === 'file').length} files, ${(bytes / 1e6).toFixed(1)} MB`);
  row('guest sync -f /mnt/host', sync);
  row('host: read tree + tar + sha256', tarHash);
  row('save, nothing changed (sync+tar+hash)', unchanged);
  row('save after a guest edit (+ blob write, commit)', oneEdit);
  row('page write() of a small file, end to end', pageWrite);
}

const home = process.env.SLIPWAY_HOME;
const store = mkdtempSync(join(tmpdir(), 'slipway-bench-ws-'));
const guest = await startGuest({ home, storeDir: store, warmUp: false });
try {
  // Distinct bytes per file (the blob is hashed whole; zeros would hash no faster).
  await sh(guest, 'mkdir -p /root/bench && for i in $(seq 0 49); do head -c 102400 /dev/urandom > /root/bench/f$i; done');
  await guest.daemon.engine.workspace.save();
  await figures(guest, '~50 files / 5 MB');
  await sh(guest, 'for i in $(seq 50 499); do head -c 102400 /dev/urandom > /root/bench/f$i; done');
  await guest.daemon.engine.workspace.save();
  await figures(guest, '~500 files / 50 MB');
} finally {
  await guest.stop();
  rmSync(store, { recursive: true, force: true });
}
