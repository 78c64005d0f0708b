"""The flood experiment of loadbench.py (`--only flood`): does an Envoy stay slower after a flood?

Two identical Envoys (the shipped bootstrap, `semlb` and `semlb-twin`) share one ext-proc-service,
xds-server and workers. Both are measured at rules-path saturation, A B B A: requests per second,
Envoy's own CPU per request and its heap (`/memory`). Then only `semlb` is flooded: unique bodies
at FLOOD_RATE while ext-proc-service is stopped (SIGSTOP) for STALL_SECONDS, so ext_proc streams
pile up until the message timeout or the ext_proc cluster's circuit breaker fails them open; the
classifier is resumed and the flood ends. After a pause both are measured again, A B B A. The twin
is the A/A control: what changed on it is the machine, not the flood.
"""

import os
import signal
import threading
import time

import loadbench as lb
import stack as st

FLOOD_RATE = {"full": 5000, "quick": 5000, "smoke": 200}
FLOOD_SECONDS = {"full": 8, "quick": 6, "smoke": 1}
STALL_SECONDS = {"full": 4, "quick": 3, "smoke": 1}


def envoy_memory_mb(admin_port):
    m = st.get_json(admin_port, "/memory")
    return {k: round(int(m[k]) / 2**20, 1) for k in ("allocated", "heap_size", "pageheap_free") if k in m}


def connections(admin_port):
    """Open upstream connections per cluster (Envoy's upstream_cx_active gauges)."""
    stats = st.get_json(admin_port, "/stats?format=json&filter=upstream_cx_active$")["stats"]
    return {x["name"].split(".")[1]: x["value"] for x in stats if "value" in x and x["value"]}


def saturate(vegeta, s, name, seconds, out_file):
    """Rules-path saturation through Envoy `name`: its stats and Envoy's CPU per request."""
    t = [lb.target(s.url(name) + "/rpc", body=lb.RULE_BODY)]
    before = s.cpu_seconds()
    f = lb.attack(vegeta, t, 0, seconds, out_file)
    after = s.cpu_seconds()
    r = lb.stats(vegeta, [f], seconds, "fast-path")
    proc = f"envoy-{name}"
    r["envoy_cpu_us_per_request"] = round((after[proc] - before[proc]) / max(1, r["requests"]) * 1e6, 1)
    r["envoy_memory_mb"] = envoy_memory_mb(s.ports[name + "-admin"])
    r["upstream_connections"] = connections(s.ports[name + "-admin"])
    return r


def abba(vegeta, s, seconds, fdir, phase):
    runs = {"semlb": [], "semlb-twin": []}
    for i, name in enumerate(("semlb", "semlb-twin", "semlb-twin", "semlb")):
        runs[name].append(saturate(vegeta, s, name, seconds, os.path.join(fdir, f"{phase}-{i}-{name}.bin")))
        r = runs[name][-1]
        print(
            f"  flood {phase} {name}: {r['achieved_rps']} req/s, Envoy {r['envoy_cpu_us_per_request']} us/req,"
            f" {r['envoy_memory_mb']}, connections {r['upstream_connections']}",
            flush=True,
        )
    return {
        name: {
            "rps": round(sum(r["achieved_rps"] for r in rs) / len(rs), 1),
            "envoy_cpu_us_per_request": round(sum(r["envoy_cpu_us_per_request"] for r in rs) / len(rs), 1),
            "envoy_memory_mb": rs[-1]["envoy_memory_mb"],
            "upstream_connections": rs[-1]["upstream_connections"],
            "runs": rs,
        }
        for name, rs in runs.items()
    }


def flood(vegeta, envoy_bin, mode, workdir):
    sat_s = lb.MODES[mode][3]
    fdir = os.path.join(workdir, "flood")
    with st.Stack(
        fdir, envoy_bin, st.ONE_PER_POOL, st.ONE_PER_POOL_POOLS, extproc_admin=True, envoys=("semlb", "semlb-twin")
    ) as s:
        for name in ("semlb", "semlb-twin"):
            t = [lb.target(s.url(name) + "/rpc", body=lb.RULE_BODY)]
            lb.warm_up(vegeta, f"flood-{name}", t, None, [500, 2000], lb.MODES[mode][5], fdir)
        before = abba(vegeta, s, sat_s, fdir, "before")
        counters_before = st.ext_proc_counters(s.ports["semlb-admin"])
        extproc = s.pid("ext-proc-service")
        os.kill(extproc, signal.SIGSTOP)
        timer = threading.Timer(STALL_SECONDS[mode], os.kill, (extproc, signal.SIGCONT))
        timer.start()
        try:
            f = lb.attack(
                vegeta,
                None,
                FLOOD_RATE[mode],
                FLOOD_SECONDS[mode],
                os.path.join(fdir, "flood.bin"),
                lambda out: lb.unique_targets(s.url("semlb"), out),
            )
        finally:
            timer.join()
            os.kill(extproc, signal.SIGCONT)
        flooded = lb.stats(vegeta, [f], FLOOD_SECONDS[mode])
        counters = st.ext_proc_counters(s.ports["semlb-admin"])
        flooded["ext_proc"] = {
            k: v - counters_before.get(k, 0)
            for k, v in counters.items()
            if k in ("message_timeouts", "failure_mode_allowed", "streams_failed", "upstream_rq_pending_overflow")
            or k.endswith("overflow")
        }
        flooded["envoy_memory_mb"] = envoy_memory_mb(s.ports["semlb-admin"])
        flooded["upstream_connections"] = connections(s.ports["semlb-admin"])
        print(f"  flood: {flooded}", flush=True)
        time.sleep(5)
        after = abba(vegeta, s, sat_s, fdir, "after")
    change = {
        name: {
            "rps": round(after[name]["rps"] / before[name]["rps"], 4),
            "envoy_cpu_us_per_request": round(
                after[name]["envoy_cpu_us_per_request"] / before[name]["envoy_cpu_us_per_request"], 4
            ),
        }
        for name in before
    }
    return {"before": before, "flood": flooded, "after": after, "after_over_before": change}
