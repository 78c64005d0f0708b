"""Native routes (rules Envoy's route table decides itself) against the ext_proc-only path, in one
stack, A B B A.

One stack, one ext-proc-service and one set of workers, four Envoys on the shipped bootstrap:
  baseline            no semlb filters; the client names the pool (x-semantic-pool)
  ext_proc_only       semlb, its xds-server without the routing file: every request opens an
                      ext_proc stream (as before native routes)
  envoy_routes        semlb, its own xds-server with config/routing.yaml: header rules that no
                      body rule precedes are native routes (ext_proc off)
  native_first        semlb, its own xds-server with the same rules reordered so that every rule
                      testing only method, path and headers comes first (a routing decision the
                      shipped file does not make; see native_first_routing), to show how far
                      ordering alone goes
For each row, after a warm-up of each Envoy, the four are saturated in turn, then again in the
reverse order (A B C D D C B A), ROUNDS times; each figure is the sum of a variant's achieved
rates over the baseline's in the same rounds, so slow drift (other processes on the shared
machine) hits every variant alike. Rows:
  bodiless_header_rule  GET /healthz (rule health-probes)
  body_rule             POST /rpc with a body a JSON rule matches (health-check-actions)
  mixed_workload        every request of scripts/workload.jsonl (baseline: its expected pool)
Also measured: the share of each row's requests that opened no ext_proc stream (Envoy's own
counters), and whether every workload request reached its expected pool through each Envoy.
"""

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

import loadbench as lb
import stack as st

VARIANTS = ("baseline", "ext_proc_only", "envoy_routes", "native_first")
ENVOY = {
    "baseline": "baseline",
    "ext_proc_only": "semlb",
    "envoy_routes": "semlb-native",
    "native_first": "semlb-native-first",
}
ROUNDS = {"full": 3, "quick": 2, "smoke": 1}
HEADER_ONLY = {"methods", "path", "headers"}


def native_first_routing(workdir):
    """config/routing.yaml with every rule that tests only method, path and headers moved before
    the rest (each group in its own order), written into workdir. Moving a rule changes only
    requests that match it and an earlier body rule: for those, the header rule now wins."""
    config = st.yaml.safe_load(open(os.path.join(st.ROOT, "config", "routing.yaml")))
    rules = config["rules"]
    header = [r for r in rules if set(r.get("match", {})) <= HEADER_ONLY]
    config["rules"] = header + [r for r in rules if r not in header]
    model = config.get("head", {}).get("model")
    if model:  # relative to the file it is named in
        config["head"]["model"] = os.path.join(st.ROOT, "config", model)
    path = os.path.join(workdir, "routing-native-first.yaml")
    open(path, "w").write(st.yaml.safe_dump(config, sort_keys=False))
    return path, [r["name"] for r in header]


def _workload():
    rows = [json.loads(line) for line in open(os.path.join(st.ROOT, "scripts", "workload.jsonl"))]
    for r in rows:
        if isinstance(r.get("body"), (dict, list)):
            r["body"] = json.dumps(r["body"])
    return rows


def _targets(url, with_pool, row, workload):
    if row == "bodiless_header_rule":
        return [lb.target(url + "/healthz", "GET", None, {"x-semantic-pool": "fast-path"} if with_pool else {})]
    if row == "body_rule":
        return [
            lb.target(url + "/rpc", body=lb.RULE_BODY, headers={"x-semantic-pool": "fast-path"} if with_pool else {})
        ]
    out = []
    for r in workload:
        headers = {"x-semantic-pool": r["expected"]} if with_pool else {}
        if r.get("contentType"):
            headers["Content-Type"] = r["contentType"]
        out.append(lb.target(url + r["path"], r["method"], r.get("body"), headers))
    return out


def _pools_served(url, workload):
    """How many workload requests, sent once each, reached their expected pool.

    This checks routing, not availability (the saturation runs count errors): a request that
    Envoy answers 503 right after a flood (once seen in CI, cause not captured) is sent again,
    at most twice, and each such answer is printed with Envoy's own reason (the start of its
    body), so a repeat shows what it was.
    """
    ok = 0
    for r in workload:
        req = urllib.request.Request(
            url + r["path"],
            data=r["body"].encode() if r.get("body") else None,
            method=r["method"],
            headers={"Content-Type": r["contentType"]} if r.get("contentType") else {},
        )
        for attempt in range(3):
            try:
                with urllib.request.urlopen(req, timeout=10) as response:
                    ok += response.headers.get("x-served-by-pool") == r["expected"]
                break
            except urllib.error.HTTPError as e:
                reason = e.read(300).decode("utf-8", "replace")
                print(f"  envoy-routes check: {r['method']} {r['path']} -> {e.code} {reason!r}", flush=True)
                if e.code != 503 or attempt == 2:
                    raise
                time.sleep(0.2)
    return ok


def _counters(s, envoy):
    """Envoy's requests and ext_proc streams so far."""
    names = "^http[.]semlb[.](downstream_rq_total|ext_proc[.]streams_started)$"
    stats = st.get_json(s.ports[envoy + "-admin"], "/stats?format=json&filter=" + urllib.parse.quote(names))
    values = {x["name"]: x.get("value", 0) for x in stats["stats"] if "name" in x}
    return values.get("http.semlb.downstream_rq_total", 0), values.get("http.semlb.ext_proc.streams_started", 0)


def envoy_routes(vegeta, envoy_bin, mode, workdir):
    rates, _, _, sat_seconds, _, warm_seconds = lb.MODES[mode]
    workdir = os.path.join(workdir, "envoy-routes")
    os.makedirs(workdir, exist_ok=True)
    load_before = os.getloadavg()[0]  # the machine is shared: say how busy it was
    native_first, moved = native_first_routing(workdir)
    workload = _workload()
    routing = os.path.join(st.ROOT, "config", "routing.yaml")
    results = {v: {} for v in VARIANTS[1:]}
    with st.Stack(
        workdir,
        envoy_bin,
        st.ONE_PER_POOL,
        st.ONE_PER_POOL_POOLS,
        envoys=tuple(ENVOY.values()),
        envoy_xds_routing={"semlb-native": routing, "semlb-native-first": native_first},
    ) as s:
        for row in ("bodiless_header_rule", "body_rule", "mixed_workload"):
            targets = {v: _targets(s.url(ENVOY[v]), v == "baseline", row, workload) for v in VARIANTS}
            for v in VARIANTS:
                lb.warm_up(vegeta, f"er-{row}-{v}", targets[v], None, rates, warm_seconds, workdir)
            runs = {v: [] for v in VARIANTS}
            requests = {v: [0, 0] for v in VARIANTS}  # requests, ext_proc streams
            order = list(VARIANTS) + list(reversed(VARIANTS))
            for i, v in enumerate(order * ROUNDS[mode]):
                before = _counters(s, ENVOY[v])
                f = lb.attack(vegeta, targets[v], 0, sat_seconds, os.path.join(workdir, f"er-{row}-{i}-{v}.bin"))
                after = _counters(s, ENVOY[v])
                requests[v] = [requests[v][k] + after[k] - before[k] for k in (0, 1)]
                runs[v].append(lb.stats(vegeta, [f], sat_seconds))
            base = [r["achieved_rps"] for r in runs["baseline"]]
            for v in VARIANTS[1:]:
                rps = [r["achieved_rps"] for r in runs[v]]
                total, streams = requests[v]
                results[v][row] = {
                    "baseline": _mean(runs["baseline"]),
                    "semlb": _mean(runs[v]),
                    "ratio": _ratio(rps, base),
                    # each round saturates every variant twice (A B C D D C B A)
                    "ratio_by_round": [_ratio(rps[i : i + 2], base[i : i + 2]) for i in range(0, len(rps), 2)],
                    "without_ext_proc": round(1 - streams / total, 3) if total else None,
                }
                print(
                    f"  envoy-routes {v:13s} {row:20s} -> {results[v][row]['ratio']:.1%} of baseline "
                    f"(rounds {results[v][row]['ratio_by_round']}), "
                    f"{results[v][row]['without_ext_proc']:.0%} without ext_proc",
                    flush=True,
                )
        # after the warm-ups: a cold ext-proc-service may fail open on the first requests
        served = {v: _pools_served(s.url(ENVOY[v]), workload) for v in VARIANTS[1:]}
    results["load_average_1m"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    results["rounds"] = ROUNDS[mode]
    results["order"] = "A B C D D C B A per round: " + ", ".join(VARIANTS)
    results["native_first_rules"] = moved
    results["workload_expected_pool"] = {v: f"{n}/{len(workload)}" for v, n in served.items()}
    return results


def _ratio(rps, base):
    return round(sum(rps) / max(sum(base), 1e-9), 3)


def _mean(runs):
    """The runs' figures averaged (each run is one saturation of the same targets)."""
    return {k: round(sum(r[k] for r in runs) / len(runs), 3) for k in runs[0] if isinstance(runs[0][k], (int, float))}
