#!/usr/bin/env python3
"""Makes Istio EnvoyFilter patches checkable by a real Envoy, and checks what Envoy can't.

For every EnvoyFilter in the given rendered manifests (kustomize build output), builds a
minimal Envoy bootstrap: one listener whose HTTP connection manager receives the
NETWORK_FILTER MERGE patches (proto merge: maps merge, lists append) and whose filter chain is
the HTTP_FILTER INSERT_BEFORE envoy.filters.http.router patches in order, then the router;
plus a static HTTP/2 cluster for each envoy_grpc cluster the filters name. Writes it to
OUT_DIR/<namespace>.<name>.yaml for `envoy --mode validate`. Any other kind of patch is an
error, so a new patch cannot go unvalidated.

It also checks, and fails on:
- the filters, in order, and their settings match envoy/envoy.yaml (the early header
  mutation, the access loggers except their grpc_service, the buffer filter, and the ext_proc
  filters (routing and semlb.llm_usage) except grpc_service and route_cache_action);
- each Istio cluster name outbound|PORT||SVC.NS.svc.cluster.local names a Service in the
  manifests with that port, and the port's name starts with grpc (Istio then speaks HTTP/2);
  for the access loggers too (`envoy --mode validate` does not check their cluster exists).

Usage: envoyfilter_bootstrap.py ENVOY_YAML OUT_DIR MANIFEST...
"""

import copy
import pathlib
import re
import sys

import yaml

HCM = "envoy.filters.network.http_connection_manager"
ROUTER = "envoy.filters.http.router"
HCM_TYPE = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
ISTIO_CLUSTER = re.compile(r"outbound\|(\d+)\|[^|]*\|([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local")
UNSYNCED_EXT_PROC_KEYS = {"grpc_service", "route_cache_action"}  # may differ from envoy.yaml


def fail(msg):
    sys.exit(f"envoyfilter_bootstrap: {msg}")


def proto_merge(into, patch):
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            proto_merge(into[key], value)
        elif isinstance(value, list) and isinstance(into.get(key), list):
            into[key] = into[key] + copy.deepcopy(value)
        else:
            into[key] = copy.deepcopy(value)


def reference_hcm(envoy_yaml):
    """The HTTP connection manager of envoy/envoy.yaml's listener."""
    bootstrap = yaml.safe_load(pathlib.Path(envoy_yaml).read_text())
    for listener in bootstrap["static_resources"]["listeners"]:
        for chain in listener["filter_chains"]:
            for f in chain["filters"]:
                if f["name"] == HCM:
                    return f["typed_config"]
    fail(f"{envoy_yaml}: no {HCM}")


def collect(ef):
    """(HCM merge patch, [inserted http filters]) of one EnvoyFilter."""
    where = f"EnvoyFilter {ef['metadata'].get('namespace', '')}/{ef['metadata']['name']}"
    merge, filters = {}, []
    for i, p in enumerate(ef["spec"]["configPatches"]):
        listener_filter = p.get("match", {}).get("listener", {}).get("filterChain", {}).get("filter", {})
        op, value = p["patch"]["operation"], p["patch"]["value"]
        if p["applyTo"] == "NETWORK_FILTER" and op == "MERGE" and listener_filter.get("name") == HCM:
            if value["typed_config"].get("@type") != HCM_TYPE:
                fail(f'{where}: configPatches[{i}]: a MERGE onto {HCM} needs "@type": {HCM_TYPE}')
            proto_merge(merge, value["typed_config"])
        elif (
            p["applyTo"] == "HTTP_FILTER"
            and op == "INSERT_BEFORE"
            and listener_filter.get("subFilter", {}).get("name") == ROUTER
        ):
            filters.append(value)
        else:
            fail(
                f"{where}: configPatches[{i}]: {p['applyTo']}/{op} is not a kind of patch this "
                f"check knows how to validate; extend {pathlib.Path(__file__).name}"
            )
    return where, merge, filters


def check_sync(where, merge, filters, ref):
    ref_filters = [f for f in ref["http_filters"] if f["name"] != ROUTER]
    if [f["name"] for f in filters] != [f["name"] for f in ref_filters]:
        fail(
            f"{where}: filters {[f['name'] for f in filters]} (expected as in envoy/envoy.yaml: "
            f"{[f['name'] for f in ref_filters]})"
        )
    if merge.get("early_header_mutation_extensions") != ref["early_header_mutation_extensions"]:
        fail(f"{where}: early_header_mutation_extensions differ from envoy/envoy.yaml")
    if [without_grpc_service(a) for a in merge.get("access_log", [])] != [
        without_grpc_service(a) for a in ref.get("access_log", [])
    ]:
        fail(f"{where}: access_log differs from envoy/envoy.yaml (grpc_service aside)")
    for mine, theirs in zip(filters, ref_filters):
        a, b = dict(mine["typed_config"]), dict(theirs["typed_config"])
        if a.get("@type", "").endswith(".ExternalProcessor"):  # ext_proc and semlb.llm_usage
            for key in UNSYNCED_EXT_PROC_KEYS:
                a.pop(key, None), b.pop(key, None)
        if a != b:
            diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            fail(f"{where}: {mine['name']} settings {diff} differ from envoy/envoy.yaml")


def without_grpc_service(access_log):
    a = copy.deepcopy(access_log)
    a.get("typed_config", {}).get("common_config", {}).pop("grpc_service", None)
    return a


def grpc_clusters(where, merge, filters, services):
    names = []
    services_used = [f["typed_config"].get("grpc_service", {}) for f in filters] + [
        a.get("typed_config", {}).get("common_config", {}).get("grpc_service", {}) for a in merge.get("access_log", [])
    ]
    for grpc_service in services_used:
        cluster = grpc_service.get("envoy_grpc", {}).get("cluster_name")
        if not cluster:
            continue
        m = ISTIO_CLUSTER.fullmatch(cluster)
        if not m:
            fail(f"{where}: cluster '{cluster}' (expected: outbound|PORT||SERVICE.NAMESPACE.svc.cluster.local)")
        port, svc, ns = int(m.group(1)), m.group(2), m.group(3)
        ports = services.get((ns, svc))
        if ports is None:
            fail(f"{where}: cluster '{cluster}': no Service {ns}/{svc} in the manifests")
        name = ports.get(port)
        if name is None or not name.startswith("grpc"):
            fail(f"{where}: cluster '{cluster}': Service {ns}/{svc} needs port {port} named grpc-* (found: {ports})")
        names.append(cluster)
    if not names:
        fail(f"{where}: no ext_proc envoy_grpc cluster")
    return names


def bootstrap(merge, filters, clusters):
    hcm = {
        "@type": HCM_TYPE,
        "stat_prefix": "envoyfilter_check",
        "route_config": {
            "name": "check",
            "virtual_hosts": [
                {
                    "name": "all",
                    "domains": ["*"],
                    "routes": [{"match": {"prefix": "/"}, "direct_response": {"status": 200}}],
                }
            ],
        },
        "http_filters": copy.deepcopy(filters)
        + [
            {
                "name": ROUTER,
                "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"},
            }
        ],
    }
    proto_merge(hcm, merge)
    h2 = {
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            "explicit_http_config": {"http2_protocol_options": {}},
        }
    }
    return {
        "static_resources": {
            "listeners": [
                {
                    "name": "check",
                    "address": {"socket_address": {"address": "127.0.0.1", "port_value": 10000}},
                    "filter_chains": [{"filters": [{"name": HCM, "typed_config": hcm}]}],
                }
            ],
            "clusters": [
                {
                    "name": c,
                    "type": "STATIC",
                    "connect_timeout": "1s",
                    "typed_extension_protocol_options": h2,
                    "load_assignment": {
                        "cluster_name": c,
                        "endpoints": [
                            {
                                "lb_endpoints": [
                                    {
                                        "endpoint": {
                                            "address": {"socket_address": {"address": "127.0.0.1", "port_value": 50051}}
                                        }
                                    }
                                ]
                            }
                        ],
                    },
                }
                for c in dict.fromkeys(clusters)
            ],
        }
    }


def main(envoy_yaml, out_dir, manifests):
    docs = [d for m in manifests for d in yaml.safe_load_all(pathlib.Path(m).read_text()) if d]
    services = {
        (d["metadata"].get("namespace", ""), d["metadata"]["name"]): {
            p["port"]: p.get("name", "") for p in d["spec"].get("ports", [])
        }
        for d in docs
        if d["kind"] == "Service"
    }
    ref = reference_hcm(envoy_yaml)
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seen = set()
    for ef in (d for d in docs if d["kind"] == "EnvoyFilter"):
        where, merge, filters = collect(ef)
        check_sync(where, merge, filters, ref)
        clusters = grpc_clusters(where, merge, filters, services)
        path = out / f"{ef['metadata'].get('namespace', 'default')}.{ef['metadata']['name']}.yaml"
        if path in seen:
            continue
        seen.add(path)
        path.write_text(yaml.safe_dump(bootstrap(merge, filters, clusters), sort_keys=False))
        print(path)
    if not seen:
        fail(f"no EnvoyFilter in {manifests}")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
