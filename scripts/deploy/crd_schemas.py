#!/usr/bin/env python3
"""Turns CustomResourceDefinitions into JSON schemas for kubeconform.

For every CRD version that has an openAPIV3Schema, writes
DEST/<group>/<kind lowercased>_<version>.json, the layout of kubeconform's
-schema-location 'DEST/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json'.

The conversion is the usual openapi2jsonschema one, written for this repository:
- strict: an object with declared properties and no additionalProperties rule gets
  additionalProperties: false, unless it keeps unknown fields
  (x-kubernetes-preserve-unknown-fields, e.g. EnvoyFilter's patch.value);
- x-kubernetes-int-or-string becomes "integer or string"; nullable adds "null";
- the root gets apiVersion and kind (pinned to this group/version and kind) and metadata.
CEL rules (x-kubernetes-validations) are not evaluated: only the API server can.

Usage: crd_schemas.py DEST_DIR CRD_FILE...
"""
import json
import pathlib
import sys

import yaml


SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs")  # name -> schema
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def convert(schema):
    """Converts one schema node; keywords are rewritten, property names and values kept."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key.startswith("x-kubernetes-") or key == "nullable":
            continue
        if key in SCHEMA_MAPS:
            out[key] = {name: convert(sub) for name, sub in value.items()}
        elif key in SCHEMA_LISTS:
            out[key] = [convert(sub) for sub in value]
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = convert(value)
        else:
            out[key] = value  # type, enum, required, description, default, ...
    if schema.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}] + out.get("anyOf", [])
    if schema.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if ("properties" in schema and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


def root_schema(crd, version):
    group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
    schema = convert(version["schema"]["openAPIV3Schema"])
    props = schema.setdefault("properties", {})
    props.setdefault("apiVersion", {"type": "string", "enum": [f"{group}/{version['name']}"]})
    props.setdefault("kind", {"type": "string", "enum": [kind]})
    props.setdefault("metadata", {"type": "object"})
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return schema


def main(dest, files):
    dest = pathlib.Path(dest)
    written = 0
    for f in files:
        for crd in yaml.safe_load_all(pathlib.Path(f).read_text()):
            if not crd or crd.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"].lower()
            for version in crd["spec"]["versions"]:
                if "schema" not in version:
                    continue
                out = dest / group / f"{kind}_{version['name']}.json"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(json.dumps(root_schema(crd, version), indent=1))
                written += 1
    if not written:
        sys.exit(f"crd_schemas: no CRD with a schema in {files}")
    print(f"crd_schemas: {written} schemas in {dest}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
