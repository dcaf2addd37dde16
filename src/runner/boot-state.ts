// tsx src/runner/boot-state.ts OUT_DIR
// Writes the guest's boot snapshot for the static site: OUT_DIR/boot-state.gz (the v86 state,
// gzipped) and OUT_DIR/boot-state.json ({ key, hello }). A first visit restores it instead of
// booting the kernel (about 0.3 s against 2.5 s). The snapshot is the one the Node runner takes
// at the agent's HELLO, from the same artifacts, v86 build and VM settings as the page (the key
// says so; the page ignores a state whose key is not its own). Cached in $SLIPWAY_HOME/snapshots.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { nodePlatform, slipwayHome } from '../platform/node.ts';
import { Machine } from '../worker/vm/machine.ts';

async function main(outDir: string): Promise<void> {
  const home = slipwayHome();
  const platform = nodePlatform(home);
  const key = await platform.snapshotKey();
  let [state, hello] = await Promise.all([platform.snapshots.get(key), platform.snapshots.getHello(key)]);
  if (!state || !hello) {
    // A cold boot stores the snapshot on the way (Machine.boot), then the guest can go.
    const { machine } = await Machine.boot({ platform, coldBoot: true });
    await machine.stop();
    [state, hello] = await Promise.all([platform.snapshots.get(key), platform.snapshots.getHello(key)]);
    if (!state || !hello) throw new Error('the cold boot stored no snapshot');
  }
  const packed = join(home, 'snapshots', `${key}.state.gz`);
  if (!existsSync(packed)) {
    await writeFile(`${packed}.tmp`, await promisify(gzip)(new Uint8Array(state), { level: 6 }));
    await rename(`${packed}.tmp`, packed);
  }
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'boot-state.gz'), await readFile(packed));
  await writeFile(join(outDir, 'boot-state.json'), JSON.stringify({ key, hello }));
}

const outDir = process.argv[2];
if (!outDir) {
  process.stderr.write('usage: tsx src/runner/boot-state.ts OUT_DIR\n');
  process.exit(2);
}
main(outDir).then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`boot-state: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
