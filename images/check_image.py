#!/usr/bin/env python3
"""Proves a Jib image tarball works under a real container runtime: loads it into Podman
(runc, with images/podman/containers.conf), checks that its configured user is not root,
starts its own entrypoint the way docker-compose.yml runs it (read-only root, /tmp a tmpfs,
no capabilities, no-new-privileges; no network but the container's own loopback), then runs
the image's /app/healthcheck inside the container until it reports healthy, and checks that
the healthcheck (and so the app) runs as that non-root uid. The container is removed at the
end; the loaded image stays in Podman's storage (scripts/compose-test.sh uses it).

  check_image.py IMAGE.tar --health grpc|http [--port 8080] [--timeout 180] -- ARGS...
      ({port} in ARGS = --port: the port the app listens on inside the container)

Needs podman and runc (apt-get install podman runc); rootful or rootless, whichever works.
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tarfile
import time
import uuid

ROOT = pathlib.Path(__file__).resolve().parents[1]


def podman(*args, check=True):
    return subprocess.run(["podman", *args], capture_output=True, text=True, check=check)


def image_id(name):
    return podman("image", "inspect", "--format", "{{.Id}}", name, check=False).stdout.strip()


def load(image_tar):
    """podman load; returns the name it was loaded under (Jib's tag, e.g. localhost/semlb/worker:0.1.0)."""
    out = podman("load", "-i", image_tar).stdout
    names = re.findall(r"^Loaded image(?:\(s\))?: (.+)$", out, re.M)
    if not names:
        sys.exit(f"check_image: podman load -i {image_tar} named no image:\n{out}")
    return names[-1].split(",")[0].strip()


def load_replacing(image_tar):
    """load(), then removes the image the tag named before (if nothing uses it): rebuilds leave
    no dangling images behind in Podman's storage."""
    with tarfile.open(image_tar) as t:
        tag = json.load(t.extractfile("manifest.json"))[0]["RepoTags"][0]
    before = image_id(tag) or image_id("localhost/" + tag)
    name = load(image_tar)
    if before and before != image_id(name):
        podman("rmi", before, check=False)
    return name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("image")
    parser.add_argument("--health", choices=["grpc", "http"], required=True)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--timeout", type=float, default=180)
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    opts = parser.parse_args(argv[:split])
    opts.args = argv[split + 1 :]
    os.environ.setdefault("CONTAINERS_CONF", str(ROOT / "images/podman/containers.conf"))
    try:
        podman("--version")
    except (OSError, subprocess.CalledProcessError):
        sys.exit("check_image: podman is needed (apt-get install podman runc)")

    image = load_replacing(opts.image)
    user = podman("image", "inspect", "--format", "{{.Config.User}}", image).stdout.strip()
    if user.split(":")[0] in ("", "0", "root"):
        sys.exit(f"check_image: {opts.image} runs as root (User={user!r})")
    args = [a.replace("{port}", str(opts.port)) for a in opts.args]
    name = f"semlb-check-{uuid.uuid4().hex[:8]}"
    podman(
        "run",
        "-d",
        "--name",
        name,
        "--network",
        "none",
        "--read-only",
        "--tmpfs",
        "/tmp:exec,mode=1777",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        image,
        *args,
    )
    try:
        target = f"localhost:{opts.port}" if opts.health == "grpc" else f"http://localhost:{opts.port}/healthz"
        deadline = time.time() + opts.timeout
        while time.time() < deadline:
            if podman("inspect", "--format", "{{.State.Running}}", name).stdout.strip() != "true":
                break
            check = podman("exec", name, "/app/healthcheck", target, check=False)
            if check.returncode == 0:
                uid = podman("exec", name, "id", "-u").stdout.strip()
                if uid in ("", "0") or uid != user.split(":")[0]:
                    sys.exit(f"check_image: {opts.image}: processes run as uid {uid!r} (expected: {user})")
                print(
                    f"check_image: {opts.image} ({image}): healthy under podman as uid {uid} "
                    f"({' '.join(args)}): {(check.stdout + check.stderr).strip() or 'HTTP 2xx'}"
                )
                return
            time.sleep(1)
        logs = podman("logs", name, check=False)
        sys.exit(
            f"check_image: {opts.image}: not healthy within {opts.timeout:.0f}s; output:\n"
            f"{(logs.stdout + logs.stderr)[-3000:]}"
        )
    finally:
        podman("rm", "-f", "-t", "10", name, check=False)


if __name__ == "__main__":
    main()
