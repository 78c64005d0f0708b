#!/usr/bin/env python3
"""Proves a Jib image tarball works without a container engine: unpacks its layers into a
root filesystem, starts the image's own entrypoint there (chroot, as the image's user, with
/proc and /dev mounted, sharing the host network), then runs the image's /app/healthcheck
inside it until it reports healthy. Checks too that the image runs as a non-root user.
Needs root (chroot, mount).

  check_image.py IMAGE.tar --health grpc|http [--timeout 120] -- ARGS...   ({port} = a free port)
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unpack(image_tar, rootfs):
    with tarfile.open(image_tar) as image:
        manifest = json.load(image.extractfile("manifest.json"))[0]
        config = json.load(image.extractfile(manifest["Config"]))
        for layer in manifest["Layers"]:
            with tarfile.open(fileobj=image.extractfile(layer)) as tar:
                for member in tar.getmembers():
                    name = os.path.normpath(member.name).lstrip("/")
                    base = os.path.basename(name)
                    if base.startswith(".wh."):  # whiteout: a file deleted by this layer
                        shutil.rmtree(os.path.join(rootfs, os.path.dirname(name), base[4:]), ignore_errors=True)
                        continue
                    target = os.path.join(rootfs, name)
                    if os.path.lexists(target) and not os.path.isdir(target):
                        os.remove(target)
                    tar.extract(member, rootfs, set_attrs=True, numeric_owner=True)
    return config["config"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("image")
    parser.add_argument("--health", choices=["grpc", "http"], required=True)
    parser.add_argument("--timeout", type=float, default=120)
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    opts = parser.parse_args(argv[:split])
    opts.args = argv[split + 1:]
    if os.geteuid() != 0:
        sys.exit("check_image: needs root (chroot and mount)")
    port = free_port()
    args = [a.replace("{port}", str(port)) for a in opts.args]
    work = tempfile.mkdtemp(prefix="semlb-image-")
    rootfs = os.path.join(work, "rootfs")
    os.makedirs(rootfs)
    mounts = []
    process = None
    try:
        cfg = unpack(opts.image, rootfs)
        user = cfg.get("User", "")
        if user in ("", "0", "root", "0:0"):
            sys.exit(f"check_image: {opts.image} runs as root (User={user!r})")
        for fs, kind in (("proc", ["-t", "proc", "proc"]), ("dev", ["--bind", "/dev"])):
            os.makedirs(os.path.join(rootfs, fs), exist_ok=True)
            subprocess.run(["mount", *kind, os.path.join(rootfs, fs)], check=True)
            mounts.append(os.path.join(rootfs, fs))
        env = dict(e.split("=", 1) for e in cfg.get("Env") or [])
        command = (cfg.get("Entrypoint") or []) + (cfg.get("Cmd") or []) + args
        workdir = cfg.get("WorkingDir") or "/"
        log = open(os.path.join(work, "app.log"), "w+")
        process = subprocess.Popen(
            ["chroot", f"--userspec={user}", rootfs, "/bin/sh", "-c", 'cd "$0" && exec "$@"', workdir, *command],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        target = f"127.0.0.1:{port}" if opts.health == "grpc" else f"http://127.0.0.1:{port}/healthz"
        deadline = time.time() + opts.timeout
        while time.time() < deadline:
            if process.poll() is not None:
                break
            check = subprocess.run(["chroot", f"--userspec={user}", rootfs, "/app/healthcheck", target],
                                   env=env, capture_output=True, text=True)
            if check.returncode == 0:
                print(f"check_image: {opts.image}: healthy as user {user} "
                      f"({command[0]} ... {' '.join(args)}): {(check.stdout + check.stderr).strip() or 'HTTP 2xx'}")
                return
            time.sleep(1)
        log.seek(0)
        sys.exit(f"check_image: {opts.image}: not healthy within {opts.timeout:.0f}s; output:\n{log.read()[-3000:]}")
    finally:
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        for m in reversed(mounts):
            subprocess.run(["umount", "-l", m])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
