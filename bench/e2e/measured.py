"""The measured-cost experiments of loadbench.py (issue 14's targets), each against a baseline of
the same run:

- deceptive workload: request shapes that read as cheap (one-record GETs) but cost 300-400 ms,
  mixed with cheap reads, ordinary work and a cheap shape a rule sends to high-compute. The same
  workers and load twice: semantic routing only (the measured stage off) and with the measured
  stage on. After a learning phase of at most 50 requests per deceptive shape, the fast reads'
  p99, total throughput and the rule-decided shape's misroutes are compared.
- feedback overhead: rules-path saturation through the shipped Envoy (cost-feedback access log
  on) and the same bootstrap without it, alternated A B B A in one stack.
- cost keys memory: ext-proc-service's peak RSS before and after 100,000 distinct request shapes
  went through it with feedback on, and what /api/costs then holds (bounded by maxKeys).
"""

import json
import os
import shutil
import threading
import time
import urllib.request

import loadbench as lb
import stack as st

# kind: (rate/s, cost ms, pool after learning, method, path with {n}, body)
DECEPTIVE_KINDS = {
    "fast": (100, 5, "fast-path", "GET", "/v1/users/{n}", None),
    "general": (20, 40, "general", "POST", "/v1/orders", '{"action": "create_order", "items": [{"sku": "a{n}"}]}'),
    "rule-cheap": (10, 5, "high-compute", "POST", "/v1/imports", '{"batch": [{"sku": "a{n}"}]}'),
    "deceptive-orders": (2, 400, "high-compute", "GET", "/v1/orders/{n}", None),
    "deceptive-invoices": (2, 300, "high-compute", "GET", "/v1/invoices/{n}", None),
}
WORKERS = [("fast-path", "f1"), ("general", "g1"), ("high-compute", "h1"), ("high-compute", "h2")]
POOLS = {"fast-path": ["f1"], "general": ["g1"], "high-compute": ["h1", "h2"]}
MODES = {  # learning s (<= 50 requests per deceptive shape at 2/s), measured s
    "full": (20, 40),
    "quick": (20, 20),
    "smoke": (3, 2),
}


def routing_file(workdir, measured):
    """config/routing.yaml with the measured stage on or off (its head model file copied along)."""
    config = st.yaml.safe_load(open(os.path.join(st.ROOT, "config", "routing.yaml")))
    config["measured"]["enabled"] = measured
    os.makedirs(workdir, exist_ok=True)
    shutil.copy(os.path.join(st.ROOT, "config", config["head"]["model"]), workdir)
    path = os.path.join(workdir, "routing.yaml")
    open(path, "w").write(st.yaml.safe_dump(config, sort_keys=False))
    return path


def kind_targets(url, kind, count=50):
    _, cost, _, method, path, body = DECEPTIVE_KINDS[kind]
    return [
        lb.target(
            url + path.replace("{n}", str(1000 + i)),
            method,
            body.replace("{n}", str(i)) if body else None,
            {"x-work-ms": str(cost)},
        )
        for i in range(count)
    ]


def run_all(vegeta, url, seconds, files_prefix):
    """All kinds at once, each at its own rate; returns kind -> results file."""
    threads, files = [], {}
    for kind, (rate, *_rest) in DECEPTIVE_KINDS.items():
        files[kind] = f"{files_prefix}-{kind}.bin"
        t = kind_targets(url, kind)
        threads.append(threading.Thread(target=lb.attack, args=(vegeta, t, rate, seconds, files[kind])))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return files


def deceptive(vegeta, envoy_bin, mode, workdir):
    learn_s, seconds = MODES[mode]
    results = {}
    for variant in ("semantic", "measured"):
        vdir = os.path.join(workdir, f"deceptive-{variant}")
        routing = routing_file(vdir, variant == "measured")
        with st.Stack(
            vdir,
            envoy_bin,
            WORKERS,
            POOLS,
            ["--max-concurrency", "2", "--cost-header", "x-work-ms"],
            extproc_admin=True,
            routing=routing,
            envoys=("semlb",),
        ) as s:
            url, admin = s.url("semlb"), s.ports["extproc-admin"]
            # What each shape reads as before anything was measured.
            first = {kind: "{pool} ({stage})".format(**classify(admin, kind)["decision"]) for kind in DECEPTIVE_KINDS}
            # JIT and connection warm-up with the cheap shapes only: a deceptive shape must not be
            # measured cheap before the experiment starts.
            # A ramp: a cold ext-proc-service flooded with model-path requests falls behind for
            # seconds (docs/benchmarks.md, "Method").
            warm = [t for k in ("fast", "general", "rule-cheap") for t in kind_targets(url, k, 5)]
            ramp = ((20, 1), (60, 1), (150, 1)) if mode == "smoke" else ((20, 4), (60, 3), (150, 3))
            for i, (rate, secs) in enumerate(ramp):
                lb.attack(vegeta, warm, rate, secs, os.path.join(vdir, f"warm-{i}.bin"))
            run_all(vegeta, url, learn_s, os.path.join(vdir, "learn"))
            files = run_all(vegeta, url, seconds, os.path.join(vdir, "measure"))
            kinds = {k: lb.stats(vegeta, [f], seconds, DECEPTIVE_KINDS[k][2]) for k, f in files.items()}
            kinds["all"] = lb.stats(vegeta, list(files.values()), seconds)
            costs = st.get_json(admin, "/api/costs?limit=20")
            results[variant] = {
                "kinds": kinds,
                "first_pool": first,
                "learning_requests_per_deceptive_shape": DECEPTIVE_KINDS["deceptive-orders"][0] * learn_s,
                "cost_keys": [
                    {k: key[k] for k in ("key", "count", "verdict", "moved", "firstPool")}
                    | {"p50_ms": key["millis"]["p50"]}
                    for key in costs["keys"]
                ],
            }
            print(f"  deceptive {variant}: {kinds}", flush=True)
    return results


def classify(port, kind):
    """/api/classify's decision for one request of the kind (semlb's own explanation endpoint)."""
    _, _, _, method, path, body = DECEPTIVE_KINDS[kind]
    req = {"method": method, "path": path.replace("{n}", "1000")}
    if body:
        req |= {"contentType": "application/json", "body": body.replace("{n}", "0")}
    data = json.dumps(req).encode()
    r = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/classify", data, {"content-type": "application/json"}, method="POST"
    )
    return json.load(urllib.request.urlopen(r, timeout=5))


def feedback_overhead(vegeta, envoy_bin, mode, workdir):
    """Rules-path saturation with and without the feedback access log, A B B A."""
    sat_s = lb.MODES[mode][3]
    fdir = os.path.join(workdir, "feedback")
    runs = {"semlb": [], "semlb-nofeedback": []}
    with st.Stack(fdir, envoy_bin, st.ONE_PER_POOL, st.ONE_PER_POOL_POOLS, envoys=("semlb", "semlb-nofeedback")) as s:
        for name in runs:
            t = [lb.target(s.url(name) + "/rpc", body=lb.RULE_BODY)]
            lb.warm_up(vegeta, f"feedback-{name}", t, None, [500, 2000], lb.MODES[mode][5], fdir)
        for i, name in enumerate(("semlb", "semlb-nofeedback", "semlb-nofeedback", "semlb")):
            t = [lb.target(s.url(name) + "/rpc", body=lb.RULE_BODY)]
            before = st.ext_proc_counters(s.ports[f"{name}-admin"])
            f = lb.attack(vegeta, t, 0, sat_s, os.path.join(fdir, f"sat-{i}-{name}.bin"))
            runs[name].append(lb.stats(vegeta, [f], sat_s, "fast-path"))
            after = st.ext_proc_counters(s.ports[f"{name}-admin"])
            # Why a request was not routed (each should be 0): Envoy's ext_proc counters.
            runs[name][-1]["ext_proc"] = {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}
            print(f"  feedback {name}: {runs[name][-1]}", flush=True)
    rps = {name: sum(r["achieved_rps"] for r in rs) / len(rs) for name, rs in runs.items()}
    return {
        "runs": runs,
        "with_feedback_rps": round(rps["semlb"], 1),
        "without_feedback_rps": round(rps["semlb-nofeedback"], 1),
        "ratio": round(rps["semlb"] / (rps["semlb-nofeedback"] or 1), 4),
    }


def distinct_shapes(url, out):
    """Endless GETs of never-repeated path shapes (a letters-only segment: not folded as an id),
    under a path a rule decides (report-and-export-endpoints), so no model call limits the rate."""
    n = 0
    try:
        while True:
            n += 1
            out.write((lb.target(f"{url}/v1/reports/{lb.letters(n)}/items", "GET") + "\n").encode())
    except (BrokenPipeError, ValueError):
        pass


def cost_keys_memory(vegeta, envoy_bin, mode, workdir):
    """Peak RSS of ext-proc-service before and after 100k distinct shapes (2k in smoke)."""
    shapes = {"full": 100_000, "quick": 100_000, "smoke": 2_000}[mode]
    rate = 800 if mode != "smoke" else 1000  # below rules-path saturation on this machine (~1,000 req/s)
    mdir = os.path.join(workdir, "cost-keys")
    with st.Stack(mdir, envoy_bin, st.ONE_PER_POOL, st.ONE_PER_POOL_POOLS, extproc_admin=True, envoys=("semlb",)) as s:
        t = [lb.target(s.url("semlb") + f"/v1/reports/{lb.letters(i)}/items", "GET") for i in range(20)]
        for i, warm_rate in enumerate((100, 500, rate)):
            lb.attack(vegeta, t, warm_rate, 3, os.path.join(mdir, f"warm-{i}.bin"))
        before = s.rss_mb("ext-proc-service")
        f = lb.attack(
            vegeta,
            None,
            rate,
            shapes // rate,
            os.path.join(mdir, "shapes.bin"),
            lambda o: distinct_shapes(s.url("semlb"), o),
        )
        sent = lb.stats(vegeta, [f], shapes // rate)
        time.sleep(2)  # Envoy flushes the access log every 0.5 s
        totals = st.get_json(s.ports["extproc-admin"], "/api/costs?limit=1")["totals"]
        return {
            "shapes_sent": sent["requests"],
            "errors": sent["errors"],
            "rss_before_mb": round(before, 1),
            "rss_after_mb": round(s.rss_mb("ext-proc-service"), 1),
            "cost_totals": totals,
        }
