#!/usr/bin/env python3
"""Checks Compose files the way `docker compose config` would, without Docker.

1. Each file: YAML (anchors and << merge keys resolved), then variables interpolated as
   compose does (${VAR:-default}, ${VAR-default}, ${VAR}, $VAR, $$ for a literal $), with no
   variable set, so the defaults are what is checked; a variable without a default is an
   error here (the files must work with no environment). Then validated against the
   compose-spec JSON schema (the one docker compose itself uses, from compose-go).
2. The files merged in order (maps merge, lists append), with the given profiles active:
   every depends_on target exists and is active, service_healthy targets have a
   healthcheck, named volumes and configs are declared, bind-mount sources exist, and no two
   services publish the same host port (a profile's services run beside the default ones).

Usage: check_compose.py SCHEMA_JSON [--profile NAME]... FILE [FILE...]
"""

import json
import pathlib
import re
import sys

import jsonschema
import yaml

VAR = re.compile(r"\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")
errors = []


def interpolate(value, where):
    if isinstance(value, dict):
        return {k: interpolate(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def sub(m):
        if m.group(1):
            return "$"
        name = m.group(2) or m.group(5)
        if m.group(3) in (":-", "-"):
            return m.group(4)
        errors.append(f"{where}: ${{{name}}} has no default (every variable needs one here)")
        return ""

    return VAR.sub(sub, value)


def merge(into, other):
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = into[key] + value
        else:
            into[key] = value


def host_ports(port):
    """(host ip, host port) of a published port: "8080:80", "127.0.0.1:9090:9090", long syntax."""
    if isinstance(port, dict):
        return (port.get("host_ip", ""), str(port["published"])) if port.get("published") else None
    parts = str(port).split("/")[0].rsplit(":", 2)
    if len(parts) == 1:
        return None  # container port only: Docker picks a free host port
    ip = parts[0] if len(parts) == 3 else ""
    return ("" if ip == "0.0.0.0" else ip, parts[-2])


def check_model(model, profiles, base_dir):
    services = model.get("services", {})
    active = {n for n, s in services.items() if not s.get("profiles") or set(s["profiles"]) & profiles}
    published = {}
    for name in sorted(active):
        for port in services[name].get("ports", []):
            host = host_ports(port)
            if host is None:
                continue
            ip, number = host
            for (other_ip, other_number), other in published.items():
                if number == other_number and (ip == other_ip or "" in (ip, other_ip)):
                    errors.append(f"services.{name}.ports: host port {number} is also published by {other}")
            published[host] = name
    for name in sorted(active):
        svc = services[name]
        deps = svc.get("depends_on", {})
        for dep, cond in deps.items() if isinstance(deps, dict) else ((d, {}) for d in deps):
            if dep not in services:
                errors.append(f"services.{name}.depends_on: '{dep}' (expected: a service of this project)")
            elif dep not in active:
                errors.append(f"services.{name}.depends_on: '{dep}' is not active with profiles {sorted(profiles)}")
            elif cond.get("condition") == "service_healthy" and not services[dep].get("healthcheck", {}).get("test"):
                errors.append(f"services.{name}.depends_on.{dep}: service_healthy, but {dep} has no healthcheck")
        for vol in svc.get("volumes", []):
            source = vol.split(":")[0] if isinstance(vol, str) else vol.get("source", "")
            if source.startswith((".", "/")):
                if not (base_dir / source).exists():
                    errors.append(f"services.{name}.volumes: bind source '{source}' does not exist")
            elif source and source not in model.get("volumes", {}):
                errors.append(f"services.{name}.volumes: '{source}' (expected: a volume declared at the top level)")
        for cfg in svc.get("configs", []):
            source = cfg if isinstance(cfg, str) else cfg["source"]
            if source not in model.get("configs", {}):
                errors.append(f"services.{name}.configs: '{source}' (expected: a config declared at the top level)")
    return active


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    schema = json.loads(pathlib.Path(argv[1]).read_text())
    validator = jsonschema.Draft202012Validator(schema)
    profiles, files, args = set(), [], argv[2:]
    while args:
        if args[0] == "--profile":
            profiles.add(args[1])
            args = args[2:]
        else:
            files.append(pathlib.Path(args.pop(0)))
    model = {}
    for f in files:
        doc = interpolate(yaml.safe_load(f.read_text()), f.name)
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            errors.append(f"{f.name}: {'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}")
        merge(model, doc)
    active = check_model(model, profiles, files[0].parent)
    if errors:
        print("\n".join(f"check_compose: {e}" for e in errors), file=sys.stderr)
        sys.exit(1)
    print(
        f"check_compose: {' + '.join(f.name for f in files)}: valid; "
        f"{len(active)} services with profiles {sorted(profiles) or 'none'}"
    )


if __name__ == "__main__":
    main(sys.argv)
