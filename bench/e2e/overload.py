"""The overload experiment of loadbench.py: unique-body requests (every one needs a model call)
at 1x, 2x and 4x the embedding path's saturation, measured first in the same stack (the highest
rate at which admission control sheds at most 5% of their model calls; sent unthrottled, admission control sheds
what the model cannot take, so the requests served per second are not the model's rate), through
semlb and
through the Envoy-only baseline at the same rates. Reports client errors, p50/p99 and the p99
added over the baseline, the requests Envoy let through failed open (ext_proc message timeouts),
and the model calls ext-proc-service shed (admission control) instead of queueing past the budget.
"""

import os

import loadbench as lb
import stack as st

MULTIPLES = (1, 2, 4)
SECONDS = {"full": 15, "quick": 8, "smoke": 1}


def shed(admin_port):
    return st.get_json(admin_port, "/api/stats").get("shed", {})


MODEL_STAGES = ("head", "embedding", "llm")
MAX_SHED = 0.05
RAMP_SECONDS = {"full": 6, "quick": 4, "smoke": 1}


def decisions_by_stage(admin_port):
    return st.get_json(admin_port, "/api/stats").get("decisions", {}).get("byStage", {})


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
        saturation_rps, ramp = model_saturation(vegeta, s, semlb, odir, RAMP_SECONDS[mode])
        # For reference: unique bodies sent unthrottled (64 workers), as the overhead scenarios
        # measure saturation; admission control sheds most model calls, so this is not the model's.
        sat_s = lb.MODES[mode][3]
        saturation = stage_load(vegeta, s, semlb, 0, sat_s, os.path.join(odir, "saturation.bin"))
        print(
            f"  overload: the model path saturates at {saturation_rps} req/s; unthrottled, "
            f"{saturation['achieved_rps']} req/s served, {saturation['model_rps']}/s by the model",
            flush=True,
        )
        for multiple in MULTIPLES:
            rate = max(1, int(saturation_rps * multiple))
            # The baseline: the same unique bodies through Envoy alone.
            baseline = unique_load(vegeta, base, rate, seconds, os.path.join(odir, f"baseline-{multiple}x.bin"))
            envoy_before, shed_before = st.ext_proc_counters(s.ports["semlb-admin"]), shed(s.ports["extproc-admin"])
            result = unique_load(vegeta, semlb, rate, seconds, os.path.join(odir, f"semlb-{multiple}x.bin"))
            envoy = delta(st.ext_proc_counters(s.ports["semlb-admin"]), envoy_before)
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
    return {
        "saturation_rps": saturation_rps,
        "ramp": ramp,
        "saturation": saturation,
        "seconds": seconds,
        "rows": rows,
    }


def stage_load(vegeta, s, url, rate, seconds, out_file):
    """unique_load, with how the requests were decided and the model decisions per second."""
    admin = s.ports["extproc-admin"]
    before, shed_before = decisions_by_stage(admin), shed(admin)
    result = unique_load(vegeta, url, rate, seconds, out_file)
    stages = delta(decisions_by_stage(admin), before)
    model = sum(stages.get(k, 0) for k in MODEL_STAGES)
    result["stages"] = stages
    result["model_rps"] = round(model / seconds, 1)
    result["shed_share"] = round(sum(delta(shed(admin), shed_before).values()) / max(1, result["requests"]), 4)
    return result


def model_saturation(vegeta, s, url, odir, seconds):
    """The embedding path's saturation: the highest rate of unique bodies (steps of x1.5 from 50/s)
    at which admission control sheds at most MAX_SHED of the model calls they need (it sheds a call
    it cannot serve within the budget, so beyond saturation the share grows)."""
    ramp, best, rate = [], 0, 50
    while rate <= 5000:
        r = stage_load(vegeta, s, url, rate, seconds, os.path.join(odir, f"ramp-{rate}.bin"))
        ramp.append({"rate": rate, "shed_share": r["shed_share"], "p99_ms": r["p99_ms"], "errors": r["errors"]})
        print(f"  overload ramp {rate}/s: shed {r['shed_share']}, p99 {r['p99_ms']} ms", flush=True)
        if r["shed_share"] > MAX_SHED or r["errors"]:
            break
        best = rate
        rate = int(rate * 1.5)
    return best, ramp
