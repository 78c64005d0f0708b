"""The overload experiment of loadbench.py: unique-body requests (every one needs a model call)
at 1x, 2x and 4x the embedding path's saturation, measured first in the same stack, through semlb and
through the Envoy-only baseline at the same rates. Reports client errors, p50/p99 and the p99
added over the baseline, the requests Envoy let through failed open (ext_proc message timeouts),
and the model calls ext-proc-service shed (admission control) instead of queueing past the budget.
"""

import os

import loadbench as lb
import stack as st

MULTIPLES = (1, 2, 4)
SECONDS = {"full": 15, "quick": 8, "smoke": 1}


def envoy_ext_proc(admin_port):
    """Envoy's ext_proc counters (http.semlb.ext_proc.*), by their last name."""
    stats = st.get_json(admin_port, "/stats?format=json&filter=ext_proc")["stats"]
    return {s["name"].rsplit(".", 1)[1]: s["value"] for s in stats if "value" in s}


def shed(admin_port):
    return st.get_json(admin_port, "/api/stats").get("shed", {})


def delta(after, before):
    return {k: round(v - before.get(k, 0), 1) for k, v in after.items()}


def unique_load(vegeta, url, rate, seconds, out_file):
    """Unique bodies to `url` at `rate` (0: unthrottled) for `seconds`; their stats."""
    f = lb.attack(vegeta, None, rate, seconds, out_file, lambda out: lb.unique_targets(url, out))
    return lb.stats(vegeta, [f], seconds)


def overload(vegeta, envoy_bin, mode, workdir):
    seconds = SECONDS[mode]
    odir = os.path.join(workdir, "overload")
    rows = []
    with st.Stack(odir, envoy_bin, st.ONE_PER_POOL, st.ONE_PER_POOL_POOLS, extproc_admin=True) as s:
        semlb, base = s.url("semlb"), s.url("baseline")
        lb.warm_up(
            vegeta, "overload", None, lambda out: lb.unique_targets(semlb, out), [50, 200], lb.MODES[mode][5], odir
        )
        # Saturation: unthrottled (64 workers), as the overhead scenarios measure it.
        sat_s = lb.MODES[mode][3]
        saturation = unique_load(vegeta, semlb, 0, sat_s, os.path.join(odir, "saturation.bin"))
        saturation_rps = saturation["achieved_rps"]
        for multiple in MULTIPLES:
            rate = max(1, int(saturation_rps * multiple))
            # The baseline: the same unique bodies through Envoy alone.
            baseline = unique_load(vegeta, base, rate, seconds, os.path.join(odir, f"baseline-{multiple}x.bin"))
            envoy_before, shed_before = envoy_ext_proc(s.ports["semlb-admin"]), shed(s.ports["extproc-admin"])
            result = unique_load(vegeta, semlb, rate, seconds, os.path.join(odir, f"semlb-{multiple}x.bin"))
            envoy = delta(envoy_ext_proc(s.ports["semlb-admin"]), envoy_before)
            row = {
                "multiple": multiple,
                "rate": rate,
                "semlb": result,
                "baseline": baseline,
                "added_p99_ms": round(result["p99_ms"] - baseline["p99_ms"], 3),
                "message_timeouts": envoy.get("message_timeouts", 0),
                "failed_open": envoy.get("failure_mode_allowed", 0),
                "shed": delta(shed(s.ports["extproc-admin"]), shed_before),
            }
            rows.append(row)
            print(f"  overload {multiple}x ({rate}/s): {row}", flush=True)
    return {"saturation_rps": saturation_rps, "saturation": saturation, "seconds": seconds, "rows": rows}
