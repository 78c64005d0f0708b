#!/usr/bin/env python3
"""Writes the deployment copies of envoy/envoy.yaml and config/routing.yaml, or checks them.

The copies must not drift from the originals, so they are generated: each copy is the
original with a header and a fixed list of substitutions (addresses only). Every
substitution must match exactly as often as expected; if envoy/envoy.yaml changes shape,
this fails and names the pattern, instead of silently producing a stale copy.

Usage: scripts/deploy/gen_configs.py           # (re)write the copies
       scripts/deploy/gen_configs.py --check   # exit 1, with a diff, if a copy is stale
"""

import difflib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

ADMIN = "socket_address: { address: 127.0.0.1, port_value: 9901 }"
EXT_PROC = "socket_address: { address: 127.0.0.1, port_value: 50051 }"
XDS = "socket_address: { address: 127.0.0.1, port_value: 18000 }"
STATIC = "type: STATIC"  # both static clusters; host names need DNS resolution instead

# target -> (source, header, [(old, new, expected count)])
TARGETS = {
    "deploy/compose/envoy.yaml": (
        "envoy/envoy.yaml",
        """\
# GENERATED from envoy/envoy.yaml by scripts/deploy/gen_configs.py: do not edit; edit the
# original and run the script. Used by docker-compose.yml. Only addresses differ: the two
# static clusters resolve compose service names (STRICT_DNS), and the admin listens on the
# container's interfaces so Prometheus can scrape it (docker-compose.yml publishes it on the
# host's loopback only).
#
""",
        [
            (ADMIN, "socket_address: { address: 0.0.0.0, port_value: 9901 }", 1),
            (STATIC, "type: STRICT_DNS", 2),
            (EXT_PROC, "socket_address: { address: ext-proc-service, port_value: 50051 }", 1),
            (XDS, "socket_address: { address: xds-server, port_value: 18000 }", 1),
        ],
    ),
    "deploy/compose/envoy-llm.yaml": (
        "envoy/envoy.yaml",
        """\
# GENERATED from envoy/envoy.yaml by scripts/deploy/gen_configs.py: do not edit; edit the
# original and run the script. Used by envoy-llm, the LLM gateway of docker-compose.yml's
# `llm` profile (docs/llm-gateway.md). As deploy/compose/envoy.yaml, but the two static
# clusters resolve that profile's services, ext-proc-service-llm and xds-server-llm, whose
# routes lead to the Ollama model pools (deploy/compose/llm-pools.yaml).
#
""",
        [
            (ADMIN, "socket_address: { address: 0.0.0.0, port_value: 9901 }", 1),
            (STATIC, "type: STRICT_DNS", 2),
            (EXT_PROC, "socket_address: { address: ext-proc-service-llm, port_value: 50051 }", 1),
            (XDS, "socket_address: { address: xds-server-llm, port_value: 18000 }", 1),
        ],
    ),
    "k8s/envoy/envoy.yaml": (
        "envoy/envoy.yaml",
        """\
# GENERATED from envoy/envoy.yaml by scripts/deploy/gen_configs.py: do not edit; edit the
# original and run the script. Used by k8s/envoy (ConfigMap). Only addresses differ: the
# two static clusters resolve Service names (STRICT_DNS, short names through the pod's DNS
# search path, so any namespace works). ext-proc-service is reached through its headless
# Service so that Envoy sees every pod and balances per request (a ClusterIP would pin each
# long-lived HTTP/2 connection to one pod). The admin stays on the pod's loopback.
#
""",
        [
            (STATIC, "type: STRICT_DNS", 2),
            (EXT_PROC, "socket_address: { address: ext-proc-service-headless, port_value: 50051 }", 1),
            (XDS, "socket_address: { address: xds-server, port_value: 18000 }", 1),
        ],
    ),
    "k8s/ext-proc-service/routing.yaml": (
        "config/routing.yaml",
        """\
# GENERATED copy of config/routing.yaml by scripts/deploy/gen_configs.py: do not edit; edit
# the original and run the script. (kustomize only reads files inside k8s/.)
#
""",
        [],
    ),
    # The decision head the routing config names (head.model), beside it in the same ConfigMap.
    "k8s/ext-proc-service/routing-head.json": ("config/routing-head.json", "", []),
}


def render(target):
    source, header, substitutions = TARGETS[target]
    text = (ROOT / source).read_text()
    for old, new, expected in substitutions:
        found = text.count(old)
        if found != expected:
            sys.exit(
                f"gen_configs: {source}: '{old}' found {found} time(s) (expected: {expected}); "
                f"update the substitutions in {pathlib.Path(__file__).relative_to(ROOT)}"
            )
        text = text.replace(old, new)
    return header + text


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] and not check:
        sys.exit(__doc__)
    stale = 0
    for target in TARGETS:
        path = ROOT / target
        wanted = render(target)
        current = path.read_text() if path.exists() else ""
        if current == wanted:
            continue
        if check:
            stale += 1
            sys.stdout.writelines(
                difflib.unified_diff(
                    current.splitlines(True), wanted.splitlines(True), f"{target} (committed)", f"{target} (generated)"
                )
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(wanted)
            print(f"gen_configs: wrote {target}")
    if stale:
        sys.exit(f"gen_configs: {stale} stale copy(ies); run scripts/deploy/gen_configs.py")


if __name__ == "__main__":
    main(sys.argv)
