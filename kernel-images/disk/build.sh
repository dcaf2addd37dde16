#!/usr/bin/env bash
# Builds dist/disk-template.gz: the empty ext4 filesystem of the Docker host's disk
# (/var/lib/docker in the guest, v86's first IDE disk), as the engine's disk store starts it.
# The disk is sparse: only the chunks mke2fs wrote are kept, each as a little-endian u32 chunk
# index followed by the chunk's bytes, after a header line
#   "slipway-disk 1 <size in bytes> <chunk size>\n".
# Fixed UUID, hash seed and time (E2FSPROGS_FAKE_TIME) and `gzip -n` make rebuilds byte-identical.
# mke2fs comes from the host's e2fsprogs (recorded in dist/MANIFEST).
set -euo pipefail
cd "$(dirname "$0")"

# Keep in step with src/worker/vm/disk.ts (DISK_BYTES, DISK_CHUNK_BYTES).
SIZE_BYTES=$((16 * 1024 * 1024 * 1024))
CHUNK_BYTES=65536
OUT=../dist/disk-template.gz

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
truncate -s "$SIZE_BYTES" "$work/disk.img"
# -m 0: containers run as root, a root reserve would not protect the daemon.
# quota,project + prjquota: each container's writable layer is a project with its own limit.
# lazy_itable_init/lazy_journal_init: the image is all zeros, nothing needs zeroing (the guest
# mounts with noinit_itable so the kernel does not zero inode tables either).
E2FSPROGS_FAKE_TIME=${SOURCE_DATE_EPOCH:-1700000000} mke2fs -q -F -t ext4 -b 4096 -m 0 -L slipway \
  -U 5f1e0b5c-0000-4000-8000-000000000001 -J size=32 -O quota,project \
  -E quotatype=prjquota,lazy_itable_init=1,lazy_journal_init=1,root_owner=0:0,nodiscard,hash_seed=5f1e0b5c-0000-4000-8000-000000000002 \
  "$work/disk.img"

python3 - "$work/disk.img" "$SIZE_BYTES" "$CHUNK_BYTES" >"$work/disk-template" <<'PY'
import os, sys
path, size, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = sys.stdout.buffer
out.write(f"slipway-disk 1 {size} {chunk}\n".encode())
# Only the allocated extents (SEEK_DATA/SEEK_HOLE) are read: the image is 16 GiB of mostly holes.
fd = os.open(path, os.O_RDONLY)
chunks = set()
offset = 0
while True:
    try:
        start = os.lseek(fd, offset, os.SEEK_DATA)
    except OSError:
        break
    end = os.lseek(fd, start, os.SEEK_HOLE)
    chunks.update(range(start // chunk, (end - 1) // chunk + 1))
    offset = end
for index in sorted(chunks):
    block = os.pread(fd, chunk, index * chunk)
    if block.count(0) != len(block):
        out.write(index.to_bytes(4, "little") + block)
PY
gzip -n -9 <"$work/disk-template" >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "disk/build.sh: $OUT $(stat -c %s "$OUT") bytes ($(mke2fs -V 2>&1 | head -n 1))" >&2
