// Boots kernel-images/dist/ in v86 under Node with the debug shell on ttyS0, runs a few checks in
// the guest and prints their output. Usage: node kernel-images/boot-check.mjs [command ...]
// (without arguments it runs the default checks below). Exits non-zero if the guest never gets
// to the agent or a check times out. Environment: INITRD=path (another initramfs),
// CMDLINE_EXTRA='...' (more kernel parameters, e.g. initcall_debug).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { V86 } from 'v86';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);
const wasmPath = join(dirname(require.resolve('v86')), 'v86.wasm');

const defaultChecks = [
  'ls /dev/vport*',
  'crun --version | head -n 1',
  'cat /sys/fs/cgroup/cgroup.subtree_control; cat /proc/self/cgroup',
  'mount | grep -E "9p|cgroup2|devpts|overlay| / "',
  'echo "PS1=$PS1 HOME=$HOME TERM=$TERM"; hostname; id',
  'date; time sleep 1',
  'curl --version; ls -l /usr/bin/docker /usr/bin/bash',
  'mkdir -p /tmp/b/rootfs/bin /tmp/b/rootfs/proc /tmp/b/rootfs/dev /tmp/b/rootfs/sys && cp /usr/bin/busybox /tmp/b/rootfs/bin/ && for a in sh echo id hostname cat; do ln -sf busybox /tmp/b/rootfs/bin/$a; done && cd /tmp/b && crun spec && sed -i \'s/"terminal": true/"terminal": false/; s/"sh"$/"sh", "-c", "echo hello-from-crun; id; hostname; cat \\/proc\\/self\\/cgroup"/\' config.json && time crun run test1; cd /',
  'time crun run -b /tmp/b test2',
  'dmesg | tail -n 25; cat /proc/uptime',
];

const started = performance.now();
const elapsed = () => ((performance.now() - started) / 1000).toFixed(2);

const emulator = new V86({
  wasm_path: wasmPath,
  bios: { buffer: readFileSync(join(dist, 'bios.bin')).buffer },
  vga_bios: { buffer: readFileSync(join(dist, 'vgabios-stdvga.bin')).buffer },
  bzimage: { buffer: readFileSync(join(dist, 'bzImage')).buffer },
  initrd: { buffer: readFileSync(process.env.INITRD ?? join(dist, 'initrd.cpio')).buffer },
  cmdline: [
    'console=ttyS0 quiet tsc=reliable mitigations=off random.trust_cpu=on slipway.verbose slipway.debugshell',
    process.env.CMDLINE_EXTRA ?? '',
  ].join(' ').trim(),
  memory_size: 256 * 1024 * 1024,
  virtio_console: true,
  filesystem: {},
  autostart: true,
  disable_speaker: true,
});

// v86 flags every virtio console port as a console; ports >= 1 must be plain serial ports
// (/dev/vport1pN). The devices exist at emulator-ready, before the guest runs.
emulator.add_listener('emulator-ready', () => {
  const console = emulator.v86.cpu.devices.virtio_console;
  const sendEvent = console.SendEvent;
  console.SendEvent = function (port, event, value) {
    if (port >= 1 && event === 4) return;
    return sendEvent.call(this, port, event, value);
  };
});

let serial = '';
let waiter = null;
emulator.add_listener('serial0-output-byte', (byte) => {
  serial += String.fromCharCode(byte);
  if (waiter && waiter.pattern.test(serial)) {
    const done = waiter;
    waiter = null;
    done.resolve(serial);
  }
});

function waitFor(pattern, seconds) {
  if (pattern.test(serial)) return Promise.resolve(serial);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiter = null;
      reject(new Error(`timeout after ${seconds}s waiting for ${pattern}; serial tail:\n${serial.slice(-2000)}`));
    }, seconds * 1000);
    waiter = {
      pattern,
      resolve: (text) => {
        clearTimeout(timer);
        resolve(text);
      },
    };
  });
}

// The UART drops input that is not paced: send small chunks.
async function type(text) {
  for (let i = 0; i < text.length; i += 16) {
    emulator.serial0_send(text.slice(i, i + 16));
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

let counter = 0;
async function run(command, seconds = 60) {
  counter += 1;
  serial = '';
  // The marker is split in the typed text so only the shell's output matches it.
  await type(`${command}; echo "__DO""NE${counter}__ $?"\n`);
  const text = await waitFor(new RegExp(`__DONE${counter}__ (\\d+)\\r?\\n`), seconds);
  const status = text.match(new RegExp(`__DONE${counter}__ (\\d+)\\r?\\n`))[1];
  const body = text.slice(0, text.indexOf(`__DONE${counter}__`));
  const output = body
    .split('\n')
    .slice(1)
    .join('\n')
    .replace(/\r|\x1b\[\?2004[hl]/g, '')
    .trimEnd();
  return { status, output };
}

try {
  await waitFor(/slipway-init: starting agent \(uptime ([\d.]+)s\)/, 60);
  const uptime = serial.match(/starting agent \(uptime ([\d.]+)s\)/)[1];
  console.log(`agent start: ${elapsed()} s after new V86 (guest uptime ${uptime} s)`);
  for (const line of serial.match(/slipway-init: .*/g) ?? []) console.log(`  ${line.trim()}`);
  await waitFor(/root@slipway:[^\n]*# $/, 30);
  console.log(`debug shell prompt: ${elapsed()} s`);
  const checks = process.argv.length > 2 ? process.argv.slice(2) : defaultChecks;
  for (const command of checks) {
    const { status, output } = await run(command);
    console.log(`\n$ ${command}\n${output}\n[exit ${status}]`);
  }
  emulator.destroy();
  process.exit(0);
} catch (error) {
  console.error(String(error.message ?? error));
  emulator.destroy();
  process.exit(1);
}
