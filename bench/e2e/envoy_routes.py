"""Native routes (rules Envoy's route table decides itself) against the ext_proc-only path.

Two stacks, one after the other: xds-server without the routing file (every request opens an
ext_proc stream, as before native routes), then with it (header rules that no body rule
precedes become routes with ext_proc off). In each, Vegeta saturates the Envoy-only baseline
(the client names the pool; no semlb filters) and semlb for three rows, alternating:
  bodiless_header_rule  GET /healthz (rule health-probes)
  body_rule             POST /rpc with a body a JSON rule matches (health-check-actions)
  mixed_workload        every request of scripts/workload.jsonl (baseline: its expected pool)
Each figure is the ratio of semlb's saturation to the baseline's in the same stack.
"""

import json
import os

import loadbench as lb
import stack as st


def _rows(base, semlb):
    workload = [json.loads(line) for line in open(os.path.join(st.ROOT, "scripts", "workload.jsonl"))]

    def mixed(url, with_pool):
        out = []
        for r in workload:
            body = r.get("body")
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
            headers = {"x-semantic-pool": r["expected"]} if with_pool else {}
            if r.get("contentType"):
                headers["Content-Type"] = r["contentType"]
            out.append(lb.target(url + r["path"], r["method"], body, headers))
        return out

    return {
        "bodiless_header_rule": (
            [lb.target(base + "/healthz", "GET", None, {"x-semantic-pool": "fast-path"})],
            [lb.target(semlb + "/healthz", "GET")],
        ),
        "body_rule": (
            [lb.target(base + "/rpc", body=lb.RULE_BODY, headers={"x-semantic-pool": "fast-path"})],
            [lb.target(semlb + "/rpc", body=lb.RULE_BODY)],
        ),
        "mixed_workload": (mixed(base, True), mixed(semlb, False)),
    }


def envoy_routes(vegeta, envoy_bin, mode, workdir):
    rates, _, _, sat_seconds, _, warm_seconds = lb.MODES[mode]
    results = {}
    for variant, xds_routing in (("ext_proc_only", False), ("envoy_routes", True)):
        out = {}
        with st.Stack(
            os.path.join(workdir, f"envoy-routes-{variant}"),
            envoy_bin,
            st.ONE_PER_POOL,
            st.ONE_PER_POOL_POOLS,
            xds_routing=xds_routing,
        ) as s:
            for row, (baseline, semlb) in _rows(s.url("baseline"), s.url("semlb")).items():
                figures = {}
                for name, targets in (("baseline", baseline), ("semlb", semlb)):
                    tag = f"er-{variant}-{row}-{name}"
                    lb.warm_up(vegeta, tag, targets, None, rates, warm_seconds, workdir)
                    f = lb.attack(vegeta, targets, 0, sat_seconds, os.path.join(workdir, f"{tag}.bin"))
                    figures[name] = lb.stats(vegeta, [f], sat_seconds)
                ratio = figures["semlb"]["achieved_rps"] / max(figures["baseline"]["achieved_rps"], 1e-9)
                out[row] = {**figures, "ratio": round(ratio, 3)}
                print(f"  envoy-routes {variant:13s} {row:20s} -> {out[row]['ratio']:.1%} of baseline", flush=True)
        results[variant] = out
    return results
