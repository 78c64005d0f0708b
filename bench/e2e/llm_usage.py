"""What the LLM usage observer costs (docs/llm-gateway.md#usage-metrics): the same streamed chat
completions through two Envoys of one stack, the shipped bootstrap (`semlb`, whose semlb.llm_usage
filter xds-server turns on for the model pool) and the same without that filter
(`semlb-nousage`). One demo model server answers at once (no pacing, 64 tokens a reply: the proxy
path is the bottleneck, the worst case for the observer), each request names the pool's model so
no classification runs. Saturation A B B A, then latency at a fixed rate on both, plus the tokens
ext-proc-service counted (they must equal 64 per observed request).

Run through loadbench.py: `loadbench.py --only llm_usage [--quick | --smoke]`.
"""

import json
import os
import urllib.request

import loadbench as lb
import stack as st

MODEL = "demo-chat-8b"
REPLY_TOKENS = 64
BODY = json.dumps(
    {
        "model": MODEL,
        "stream": True,
        "stream_options": {"include_usage": True},
        "messages": [{"role": "user", "content": "write a haiku about load balancers"}],
    }
)
RATES = {"full": 100, "quick": 100, "smoke": 20}


def completion_tokens(port):
    """semlb_llm_tokens_total{kind="completion"} of the model pool, from /metrics."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    for line in text.splitlines():
        if line.startswith("semlb_llm_tokens_total{") and 'kind="completion"' in line and f'model="{MODEL}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def usage_overhead(vegeta, envoy_bin, mode, workdir):
    sat_s = lb.MODES[mode][3]
    rate_s = lb.MODES[mode][2]
    udir = os.path.join(workdir, "llm-usage")
    os.makedirs(udir, exist_ok=True)
    routing = os.path.join(udir, "routing.yaml")
    open(routing, "w").write("defaultPool: chat\npools: [{ name: chat }]\n")
    worker_args = ["--llm-model", MODEL, "--llm-tokens-per-second", "0", "--llm-ttft", "0ms"]
    worker_args += ["--llm-reply-tokens", str(REPLY_TOKENS)]
    names = ("semlb", "semlb-nousage")
    saturation = {name: [] for name in names}
    fixed = {}
    with st.Stack(
        udir,
        envoy_bin,
        [("chat", "c1")],
        {"chat": ["c1"]},
        worker_args=worker_args,
        extproc_admin=True,
        routing=routing,
        envoys=names,
        pool_models={"chat": MODEL},
    ) as s:
        targets = {name: [lb.target(s.url(name) + "/v1/chat/completions", body=BODY)] for name in names}
        for name in names:
            lb.warm_up(vegeta, f"llm-usage-{name}", targets[name], None, [50, 200], lb.MODES[mode][5], udir)
        tokens_before = completion_tokens(s.ports["extproc-admin"])
        observed = 0
        for i, name in enumerate(("semlb", "semlb-nousage", "semlb-nousage", "semlb")):
            before, vegeta_before = s.cpu_seconds(), lb.children_cpu()
            f = lb.attack(vegeta, targets[name], 0, sat_s, os.path.join(udir, f"sat-{i}-{name}.bin"))
            after, vegeta_after = s.cpu_seconds(), lb.children_cpu()
            run = lb.stats(vegeta, [f], sat_s)
            run["cpu_us_per_request"] = lb.cpu_split(before, after, vegeta_after - vegeta_before, run["requests"])
            saturation[name].append(run)
            if name == "semlb":
                observed += run["requests"] - run["errors"]
            print(f"  llm_usage {name} max: {run}", flush=True)
        for name in names:
            f = lb.attack(vegeta, targets[name], RATES[mode], rate_s, os.path.join(udir, f"rate-{name}.bin"))
            fixed[name] = lb.stats(vegeta, [f], rate_s)
            if name == "semlb":
                observed += fixed[name]["requests"] - fixed[name]["errors"]
            print(f"  llm_usage {name} {RATES[mode]}/s: {fixed[name]}", flush=True)
        time_tokens = completion_tokens(s.ports["extproc-admin"]) - tokens_before
        rss = s.rss_mb("ext-proc-service")
    rps = {name: sum(r["achieved_rps"] for r in runs) / len(runs) for name, runs in saturation.items()}
    return {
        "saturation": saturation,
        "fixed_rate": {"rate": RATES[mode], **fixed},
        "with_usage_rps": round(rps["semlb"], 1),
        "without_usage_rps": round(rps["semlb-nousage"], 1),
        "ratio": round(rps["semlb"] / (rps["semlb-nousage"] or 1), 4),
        "observed_ok_responses": observed,
        "completion_tokens_counted": time_tokens,
        "completion_tokens_expected": observed * REPLY_TOKENS,
        "ext_proc_rss_mb": rss,
    }
