"""What the upstream model filter costs (retries and fallbacks carry the serving pool's model).

One stack, two Envoys (the shipped bootstrap) on one ext-proc-service and three demo model
servers (code, chat, fast; every token at once, 8 a reply). Each Envoy has its own xds-server:
  with_filter     pools file with each pool's model: endpoints carry it, every pool cluster
                  runs the upstream ext_proc filter per attempt (headers, then the buffered body)
  without_filter  the same pools without models: no upstream filter
ext-proc-service reads the pools file with models in both (--pools), so the downstream rewrite
(auto -> the chosen pool's model) is the same; only the per-attempt stream differs. Every request
is a chat completion with model auto and fenced code (rule -> code), served by code's own host,
so the attempt's filter is skipped by its CEL matcher (x-semlb-model is the host's model: the
common case, no fallback, no retry). Each variant at the mode's two lowest fixed rates
(latency; the higher ones overload a 2-core machine) and at saturation (throughput, CPU per
request), alternating.
"""

import os

import yaml

import loadbench as lb
import stack as st

POOLS = {"code": "demo-code-7b", "chat": "demo-chat-8b", "fast": "demo-fast-1b"}
ROUTING = """defaultPool: chat
pools:
  - { name: code }
  - { name: chat }
  - { name: fast }
rules:
  - { name: fenced-code, pool: code, match: { body: { regex: "```" } } }
"""
BODY = '{"model": "auto", "messages": [{"role": "user", "content": "fix this ```let x = ;``` please"}]}'


def _pools_file(path, ports, models):
    pools = []
    for pool, model in POOLS.items():
        entry = {"name": pool}
        if models:
            entry["model"] = model
        entry["endpoints"] = [f"127.0.0.1:{ports[pool]}"]
        pools.append(entry)
    open(path, "w").write(yaml.safe_dump({"defaultPool": "chat", "pools": pools}, sort_keys=False))
    return path


def upstream_model(vegeta, envoy_bin, mode, workdir):
    rates, _, seconds, sat_seconds, _, warm_seconds = lb.MODES[mode]
    rates = rates[:2] if len(rates) > 2 else rates  # below saturation (the top rate overloads 2 cores)
    workdir = os.path.join(workdir, "upstream-model")
    os.makedirs(workdir, exist_ok=True)
    s = st.Stack(workdir, envoy_bin, [], {})
    try:
        ports = {pool: st.free_port() for pool in POOLS}
        for pool, model in POOLS.items():
            s._java(
                f"worker-{pool}",
                "workers/target/worker.jar",
                ["--host", "127.0.0.1", "--pool", pool, "--port", str(ports[pool]), "--id", pool + "-1"]
                + ["--llm-model", model, "--llm-tokens-per-second", "0", "--llm-ttft", "0ms"]
                + ["--llm-reply-tokens", "8"],
            )
        with_models = _pools_file(os.path.join(workdir, "pools-models.yaml"), ports, True)
        without = _pools_file(os.path.join(workdir, "pools-plain.yaml"), ports, False)
        routing = os.path.join(workdir, "routing.yaml")
        open(routing, "w").write(ROUTING)
        extproc = st.free_port()
        s._java(
            "ext-proc-service",
            "ext-proc-service/target/ext-proc-service.jar",
            ["--host", "127.0.0.1", "--port", str(extproc), "--routing", routing, "--pools", with_models]
            + ["--watch", "false", "--admin-port", "-1"],
        )
        urls = {}
        for variant, pools_file in (("with_filter", with_models), ("without_filter", without)):
            xds = st.free_port()
            s._java(
                f"xds-server-{variant}",
                "xds-server/target/xds-server.jar",
                ["--host", "127.0.0.1", "--port", str(xds), "--pools", pools_file, "--watch", "false"]
                + ["--admin-port", "-1"],
            )
            s._wait_port(xds, 30)
            s._wait_port(extproc, 60)
            listener, admin = st.free_port(), st.free_port()
            cfg = os.path.join(workdir, f"envoy-{variant}.yaml")
            open(cfg, "w").write(st.envoy_config({8080: listener, 9901: admin, 50051: extproc, 18000: xds}, False))
            s._start(
                f"envoy-{variant}",
                [envoy_bin, "-c", cfg, "--disable-hot-restart", "--concurrency", "2", "--log-level", "warn"],
            )
            s._wait_ready(admin)
            urls[variant] = f"http://127.0.0.1:{listener}/v1/chat/completions"
        targets = {v: [lb.target(u, body=BODY)] for v, u in urls.items()}
        for variant, t in targets.items():
            lb.warm_up(vegeta, f"upstream-{variant}", t, None, rates, warm_seconds, workdir)
        results = {v: {"rates": []} for v in targets}
        for rate in rates:
            for variant, t in targets.items():
                f = lb.attack(vegeta, t, rate, seconds, os.path.join(workdir, f"{variant}-{rate}.bin"))
                results[variant]["rates"].append({"rate": rate, **lb.stats(vegeta, [f], seconds)})
                print(f"  {variant:15s} {rate:5d}/s -> {results[variant]['rates'][-1]}", flush=True)
        for variant, t in targets.items():
            before, vegeta_before = s.cpu_seconds(), lb.children_cpu()
            f = lb.attack(vegeta, t, 0, sat_seconds, os.path.join(workdir, f"{variant}-max.bin"))
            after, vegeta_after = s.cpu_seconds(), lb.children_cpu()
            saturation = lb.stats(vegeta, [f], sat_seconds)
            saturation["cpu_us_per_request"] = lb.cpu_split(
                before, after, vegeta_after - vegeta_before, saturation["requests"]
            )
            results[variant]["saturation"] = saturation
            print(f"  {variant:15s}   max   -> {saturation}", flush=True)
        base = results["without_filter"]["saturation"]["achieved_rps"]
        results["saturation_ratio"] = (
            round(results["with_filter"]["saturation"]["achieved_rps"] / base, 3) if base else None
        )
        return results
    finally:
        s.__exit__(None, None, None)
