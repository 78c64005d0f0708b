#!/usr/bin/env python3
"""Wraps a root-filesystem tarball into a one-layer image in `docker save` format
(manifest.json + image config + layer), which Jib accepts as a base image (`tar://...`).
No Docker daemon needed. Usage:
  docker_tar.py ROOTFS.tar OUT.tar --tag NAME:TAG [--env K=V ...] [--user UID:GID]
"""
import argparse
import hashlib
import io
import json
import tarfile


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rootfs")
    parser.add_argument("out")
    parser.add_argument("--tag", required=True)
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--user", default="")
    args = parser.parse_args()

    diff_id = "sha256:" + sha256_file(args.rootfs)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {"Env": args.env, "User": args.user},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "1970-01-01T00:00:00Z",
                     "created_by": "mmdebstrap bookworm minbase + openjdk-17-jre-headless (images/base)"}],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    layer_name = diff_id.split(":")[1] + "/layer.tar"
    manifest = json.dumps([{"Config": config_name, "RepoTags": [args.tag], "Layers": [layer_name]}]).encode()

    with tarfile.open(args.out, "w") as out:
        for name, data in ((config_name, config_bytes), ("manifest.json", manifest)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        out.add(args.rootfs, arcname=layer_name)


if __name__ == "__main__":
    main()
