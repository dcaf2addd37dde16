#!/usr/bin/env python3
"""Deterministic OCI pieces for the Slipway catalogue (layers, configs, manifests, index).

Byte-identical rebuilds need full control over tar headers and gzip framing, which is
easier here than with GNU tar flags: entries are sorted, owners numeric with empty names,
mtimes clamped to SOURCE_DATE_EPOCH (clamped, not reset, so the .pyc files Debian compiles
still match their sources' mtimes), and gzip carries no name and a zero timestamp.

  ocitool.py layer BLOBS NEW_TREE [BASE_TREE]   -> layer record (JSON) on stdout
  ocitool.py image BLOBS SPEC.json              -> image record (JSON) on stdout
  ocitool.py catalogue OUT_DIR RECORD.json...   -> index.json, catalogue.json, MANIFEST
"""
import gzip
import hashlib
import io
import json
import os
import stat
import sys
import tarfile

MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
REF_NAME = "org.opencontainers.image.ref.name"
GZIP_LEVEL = 9
# Guest runtimes mount their own /dev, /proc, /sys; device nodes made by debootstrap stay out.
SKIPPED_CHILDREN = ("dev", "proc", "sys")


def epoch():
    return int(os.environ["SOURCE_DATE_EPOCH"])


def dump_json(value):
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


def write_blob(blobs, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(blobs, digest)
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as out:
            out.write(data)
        os.replace(path + ".tmp", path)
    return "sha256:" + digest, len(data)


def walk(root):
    """Relative paths of a tree, parents before children, in byte order of the path."""
    paths = []

    def visit(rel):
        full = os.path.join(root, rel) if rel else root
        for name in sorted(os.listdir(full)):
            child = os.path.join(rel, name) if rel else name
            paths.append(child)
            st = os.lstat(os.path.join(root, child))
            if stat.S_ISDIR(st.st_mode) and not (rel == "" and name in SKIPPED_CHILDREN):
                visit(child)

    visit("")
    return paths


def same_entry(new_root, base_root, rel):
    """True when the base tree already holds this exact entry (mtimes ignored)."""
    a, b = os.path.join(new_root, rel), os.path.join(base_root, rel)
    try:
        sb = os.lstat(b)
    except FileNotFoundError:
        return False
    sa = os.lstat(a)
    if (sa.st_mode, sa.st_uid, sa.st_gid) != (sb.st_mode, sb.st_uid, sb.st_gid):
        return False
    if stat.S_ISLNK(sa.st_mode):
        return os.readlink(a) == os.readlink(b)
    if stat.S_ISREG(sa.st_mode):
        if sa.st_size != sb.st_size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            return fa.read() == fb.read()
    if stat.S_ISCHR(sa.st_mode) or stat.S_ISBLK(sa.st_mode):
        return sa.st_rdev == sb.st_rdev
    return True


def layer_entries(new_root, base_root):
    """(path, kind) pairs: kind is 'file' for tree entries, 'whiteout' for deletions."""
    new_paths = walk(new_root)
    if base_root is None:
        return [(p, "file") for p in new_paths]
    new_set = set(new_paths)
    wanted = set()
    for rel in new_paths:
        if not same_entry(new_root, base_root, rel):
            wanted.add(rel)
            parent = os.path.dirname(rel)
            while parent and parent not in wanted:
                wanted.add(parent)
                parent = os.path.dirname(parent)
    entries = [(p, "file") for p in new_paths if p in wanted]
    for rel in walk(base_root):
        parent = os.path.dirname(rel)
        if rel not in new_set and (parent == "" or parent in new_set):
            entries.append((os.path.join(parent, ".wh." + os.path.basename(rel)), "whiteout"))
            while parent and parent not in wanted:
                entries.append((parent, "file"))
                wanted.add(parent)
                parent = os.path.dirname(parent)
    return sorted(entries, key=lambda e: e[0].encode())


def tar_layer(new_root, base_root):
    clamp = epoch()
    buf = io.BytesIO()
    seen_inodes = {}
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel, kind in layer_entries(new_root, base_root):
            if kind == "whiteout":
                info = tarfile.TarInfo(rel)
                info.mode, info.mtime = 0o644, clamp
                tar.addfile(info, io.BytesIO(b""))
                continue
            full = os.path.join(new_root, rel)
            st = os.lstat(full)
            info = tarfile.TarInfo(rel)
            info.mode = stat.S_IMODE(st.st_mode)
            info.uid, info.gid, info.uname, info.gname = st.st_uid, st.st_gid, "", ""
            info.mtime = min(int(st.st_mtime), clamp)
            if stat.S_ISREG(st.st_mode) and st.st_nlink > 1 and st.st_ino in seen_inodes:
                info.type, info.linkname = tarfile.LNKTYPE, seen_inodes[st.st_ino]
                tar.addfile(info)
            elif stat.S_ISREG(st.st_mode):
                seen_inodes.setdefault(st.st_ino, rel)
                info.size = st.st_size
                with open(full, "rb") as data:
                    tar.addfile(info, data)
            elif stat.S_ISDIR(st.st_mode):
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif stat.S_ISLNK(st.st_mode):
                info.type, info.linkname = tarfile.SYMTYPE, os.readlink(full)
                tar.addfile(info)
            elif stat.S_ISFIFO(st.st_mode):
                info.type = tarfile.FIFOTYPE
                tar.addfile(info)
            else:
                sys.exit(f"ocitool: unsupported file type at {rel}")
    return buf.getvalue()


def cmd_layer(blobs, new_root, base_root=None):
    raw = tar_layer(new_root, base_root)
    gz = gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)
    digest, size = write_blob(blobs, gz)
    record = {
        "mediaType": MEDIA_LAYER,
        "digest": digest,
        "size": size,
        "diffId": "sha256:" + hashlib.sha256(raw).hexdigest(),
        "uncompressedSize": len(raw),
    }
    sys.stdout.write(json.dumps(record) + "\n")


def iso_time(seconds):
    import datetime

    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def cmd_image(blobs, spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    created = iso_time(epoch())
    layers = [json.load(open(p)) for p in spec["layers"]]
    config = {
        "created": created,
        "architecture": "386",
        "os": "linux",
        "config": spec["config"],
        "rootfs": {"type": "layers", "diff_ids": [l["diffId"] for l in layers]},
        "history": [dict(created=created, **h) for h in spec["history"]],
    }
    config_digest, config_size = write_blob(blobs, dump_json(config))
    manifest = {
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": {"mediaType": MEDIA_CONFIG, "digest": config_digest, "size": config_size},
        "layers": [{"mediaType": l["mediaType"], "digest": l["digest"], "size": l["size"]} for l in layers],
    }
    manifest_digest, manifest_size = write_blob(blobs, dump_json(manifest))
    record = {
        "repository": spec["repository"],
        "tags": spec["tags"],
        "manifest": {"digest": manifest_digest, "size": manifest_size},
        "config": {"digest": config_digest, "size": config_size},
        "layers": layers,
        "compressedSize": config_size + sum(l["size"] for l in layers),
        "uncompressedSize": sum(l["uncompressedSize"] for l in layers),
        "inputs": spec["inputs"],
    }
    sys.stdout.write(json.dumps(record) + "\n")


def cmd_catalogue(out_dir, record_paths):
    records = [json.load(open(p)) for p in record_paths]
    blobs = os.path.join(out_dir, "blobs", "sha256")
    manifests = []
    for r in records:
        manifests.append({
            "mediaType": MEDIA_MANIFEST,
            "digest": r["manifest"]["digest"],
            "size": r["manifest"]["size"],
            "annotations": {REF_NAME: f"docker.io/library/{r['repository']}:{r['tags'][0]}"},
            "platform": {"architecture": "386", "os": "linux"},
        })
    index = {"schemaVersion": 2, "mediaType": MEDIA_INDEX, "manifests": manifests}
    with open(os.path.join(out_dir, "index.json"), "wb") as f:
        f.write(dump_json(index))
    with open(os.path.join(out_dir, "oci-layout"), "wb") as f:
        f.write(dump_json({"imageLayoutVersion": "1.0.0"}))
    catalogue = {
        "schemaVersion": 1,
        "created": iso_time(epoch()),
        "platform": {"architecture": "386", "os": "linux"},
        "images": [{
            "repository": r["repository"],
            "tags": r["tags"],
            "manifestDigest": r["manifest"]["digest"],
            "configDigest": r["config"]["digest"],
            "compressedSize": r["compressedSize"],
            "uncompressedSize": r["uncompressedSize"],
            "layers": [{"digest": l["digest"], "size": l["size"], "uncompressedSize": l["uncompressedSize"]}
                       for l in r["layers"]],
            "inputs": r["inputs"],
        } for r in records],
    }
    with open(os.path.join(out_dir, "catalogue.json"), "wb") as f:
        f.write(dump_json(catalogue))
    write_manifest_text(out_dir, records, blobs)


def write_manifest_text(out_dir, records, blobs):
    """One record per line, sorted: what each blob is, and which Debian inputs made it."""
    referenced = {}
    inputs = set()
    for r in records:
        ref = f"{r['repository']}:{r['tags'][0]}"
        referenced.setdefault(r["manifest"]["digest"], []).append(f"manifest {ref}")
        referenced.setdefault(r["config"]["digest"], []).append(f"config {ref}")
        for n, l in enumerate(r["layers"]):
            referenced.setdefault(l["digest"], []).append(f"layer{n} {ref}")
        for i in r["inputs"]:
            inputs.add(f"input {i['kind']} {i['name']} {i['version']} {ref}")
    lines = []
    for digest, uses in referenced.items():
        hexdigest = digest.split(":", 1)[1]
        path = os.path.join(blobs, hexdigest)
        size = os.path.getsize(path)
        lines.append(f"blob blobs/sha256/{hexdigest} sha256={hexdigest} size={size} {' '.join(sorted(uses))}")
    for name in sorted(os.listdir(blobs)):
        if "sha256:" + name not in referenced:
            os.remove(os.path.join(blobs, name))
    with open(os.path.join(out_dir, "MANIFEST"), "w") as f:
        f.write("# Slipway i386 image catalogue: blobs (sha256, size, use) and Debian inputs, sorted.\n")
        f.write("".join(line + "\n" for line in sorted(lines) + sorted(inputs)))


def main(argv):
    if len(argv) >= 3 and argv[0] == "layer":
        cmd_layer(argv[1], argv[2], argv[3] if len(argv) > 3 else None)
    elif len(argv) == 3 and argv[0] == "image":
        cmd_image(argv[1], argv[2])
    elif len(argv) >= 2 and argv[0] == "catalogue":
        cmd_catalogue(argv[1], argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
