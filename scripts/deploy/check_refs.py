#!/usr/bin/env python3
"""Checks the references between rendered Kubernetes/Istio objects that schemas cannot see.

Each must hold, or this fails with every broken reference listed:
- every Service selects the pods of a Deployment, and its named targetPorts exist there;
- every PodDisruptionBudget selects a Deployment's pods; every named probe port exists;
- every ConfigMap and ServiceAccount a pod uses is in the manifests;
- Envoy ConfigMaps (key envoy.yaml): each STRICT_DNS/LOGICAL_DNS cluster address names a
  Service of the same namespace with that port;
- xds-server pools ConfigMaps (key pools.yaml): each `kubernetes: {service, port}` names a
  Service of the same namespace with a port of that name;
- Istio: each VirtualService destination is a Service with that port, its subset exists in a
  DestinationRule of that host, each subset's labels select pods of that Service, and each
  gateway it names exists.

Usage: check_refs.py MANIFEST...     (kustomize build output)
"""

import pathlib
import sys

import yaml

errors = []


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def main(files):
    docs = [d for f in files for d in yaml.safe_load_all(pathlib.Path(f).read_text()) if d]
    ns = lambda d: d["metadata"].get("namespace", "default")
    by_kind = lambda kind: [d for d in docs if d["kind"] == kind]
    names = {(d["kind"], ns(d), d["metadata"]["name"]) for d in docs}
    pods = [(ns(d), d["metadata"]["name"], d["spec"]["template"]) for d in by_kind("Deployment")]
    services = {(ns(s), s["metadata"]["name"]): s for s in by_kind("Service")}

    def pods_of(namespace, selector):
        return [t for n, _, t in pods if n == namespace and selects(selector, t["metadata"].get("labels", {}))]

    def port_names(template):
        return {p.get("name") for c in template["spec"]["containers"] for p in c.get("ports", [])}

    for (n, name), svc in services.items():
        matched = pods_of(n, svc["spec"].get("selector"))
        if not matched:
            errors.append(f"Service {n}/{name}: its selector matches no Deployment's pods")
        for port in svc["spec"]["ports"]:
            target = port.get("targetPort")
            if isinstance(target, str) and any(target not in port_names(t) for t in matched):
                errors.append(f"Service {n}/{name}: targetPort '{target}' is not a container port of its pods")
    for pdb in by_kind("PodDisruptionBudget"):
        if not pods_of(ns(pdb), pdb["spec"]["selector"].get("matchLabels")):
            errors.append(f"PodDisruptionBudget {ns(pdb)}/{pdb['metadata']['name']}: selects no Deployment's pods")
    for n, name, t in pods:
        spec = t["spec"]
        for c in spec["containers"]:
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                for action in ("httpGet", "tcpSocket"):
                    port = c.get(probe, {}).get(action, {}).get("port")
                    if isinstance(port, str) and port not in port_names(t):
                        errors.append(f"Deployment {n}/{name}: {probe} port '{port}' is not a container port")
        for v in spec.get("volumes", []):
            if "configMap" in v and ("ConfigMap", n, v["configMap"]["name"]) not in names:
                errors.append(f"Deployment {n}/{name}: ConfigMap {v['configMap']['name']} is not in the manifests")
        sa = spec.get("serviceAccountName")
        if sa and ("ServiceAccount", n, sa) not in names:
            errors.append(f"Deployment {n}/{name}: ServiceAccount {sa} is not in the manifests")

    def service_port(n, host, port, by_name=False):
        svc = services.get((n, host))
        ports = svc and {(p.get("name") if by_name else p["port"]) for p in svc["spec"]["ports"]}
        return bool(ports) and port in ports

    for cm in by_kind("ConfigMap"):
        data, n, where = cm.get("data", {}), ns(cm), f"ConfigMap {ns(cm)}/{cm['metadata']['name']}"
        if "envoy.yaml" in data:
            for cluster in yaml.safe_load(data["envoy.yaml"]).get("static_resources", {}).get("clusters", []):
                if cluster.get("type") not in ("STRICT_DNS", "LOGICAL_DNS"):
                    continue
                for group in cluster["load_assignment"]["endpoints"]:
                    for ep in group["lb_endpoints"]:
                        sock = ep["endpoint"]["address"]["socket_address"]
                        if not service_port(n, sock["address"], sock["port_value"]):
                            errors.append(
                                f"{where}: cluster {cluster['name']}: no Service {sock['address']} "
                                f"with port {sock['port_value']} in {n}"
                            )
        if "pools.yaml" in data:
            for pool in yaml.safe_load(data["pools.yaml"]).get("pools", []):
                refs = pool.get("kubernetes", [])
                for ref in refs if isinstance(refs, list) else [refs]:
                    ref = ref if isinstance(ref, dict) else {"service": ref}
                    if ref.get("port") and not service_port(n, ref["service"], ref["port"], by_name=True):
                        errors.append(
                            f"{where}: pool {pool['name']}: no Service {ref['service']} with a port "
                            f"named {ref['port']} in {n}"
                        )

    subsets = {}
    for dr in by_kind("DestinationRule"):
        for s in dr["spec"].get("subsets", []):
            subsets[(dr["spec"]["host"], s["name"])] = s.get("labels", {})
    for vs in by_kind("VirtualService"):
        where = f"VirtualService {ns(vs)}/{vs['metadata']['name']}"
        for gw in vs["spec"].get("gateways", []):
            gn, _, gname = gw.rpartition("/")
            if gw != "mesh" and ("Gateway", gn or ns(vs), gname) not in names:
                errors.append(f"{where}: gateway {gw} is not in the manifests")
        for route in vs["spec"].get("http", []):
            for dest in (r["destination"] for r in route.get("route", [])):
                host = dest["host"]
                parts = host.split(".")
                if len(parts) < 2 or not service_port(parts[1], parts[0], dest.get("port", {}).get("number")):
                    errors.append(f"{where}: route {route.get('name')}: no Service port for {host}:{dest.get('port')}")
                    continue
                labels = subsets.get((host, dest.get("subset")))
                if dest.get("subset") and labels is None:
                    errors.append(f"{where}: route {route.get('name')}: no subset {dest['subset']} for {host}")
                elif labels is not None:
                    svc = services[(parts[1], parts[0])]
                    if not pods_of(parts[1], {**svc["spec"]["selector"], **labels}):
                        errors.append(f"{where}: subset {dest['subset']} (labels {labels}) selects no pods of {host}")

    if errors:
        print("\n".join(f"check_refs: {e}" for e in errors), file=sys.stderr)
        sys.exit(1)
    print(f"check_refs: {len(docs)} objects, every reference resolves")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
