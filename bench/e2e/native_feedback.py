#!/usr/bin/env python3
"""What the native-route feedback costs: GET /healthz (a native route) at saturation through four
Envoys in one stack, A B C D D C B A per round: the Envoy-only baseline, semlb as shipped (the
access log keeps 1 in 100 native-route requests), semlb logging every native-route request, and
semlb without the feedback access log. Prints each one's achieved rate over the baseline's.

Usage: python3 bench/e2e/native_feedback.py [--rounds N] [--seconds S]
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import loadbench as lb  # noqa: E402
import stack as st  # noqa: E402

ENVOYS = ("baseline", "semlb", "semlb-logall", "semlb-nofeedback")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=int, default=6)
    args = p.parse_args()
    vegeta, envoy = st.vegeta_bin(), st.envoy_bin()
    workdir = tempfile.mkdtemp(prefix="native-feedback-")
    load_before = os.getloadavg()[0]
    with st.Stack(workdir, envoy, st.ONE_PER_POOL, st.ONE_PER_POOL_POOLS, xds_routing=True, envoys=ENVOYS) as s:
        targets = {
            e: [
                lb.target(
                    s.url(e) + "/healthz", "GET", None, {"x-semantic-pool": "fast-path"} if e == "baseline" else {}
                )
            ]
            for e in ENVOYS
        }
        for e in ENVOYS:
            lb.warm_up(vegeta, e, targets[e], None, [500, 2000], 4, workdir)
        rps = {e: [] for e in ENVOYS}
        for i, e in enumerate((list(ENVOYS) + list(reversed(ENVOYS))) * args.rounds):
            f = lb.attack(vegeta, targets[e], 0, args.seconds, os.path.join(workdir, f"{i}-{e}.bin"))
            rps[e].append(lb.stats(vegeta, [f], args.seconds)["achieved_rps"])
    base = sum(rps["baseline"])
    print(
        f"load average (1 min) {load_before:.1f} -> {os.getloadavg()[0]:.1f}; {args.rounds} rounds of {args.seconds} s"
    )
    for e in ENVOYS:
        per_round = [
            round(sum(rps[e][i : i + 2]) / sum(rps["baseline"][i : i + 2]), 3) for i in range(0, len(rps[e]), 2)
        ]
        print(
            f"{e:18s} {sum(rps[e]) / base:6.1%} of baseline  rounds {per_round}  mean {sum(rps[e]) / len(rps[e]):.0f} req/s"
        )


if __name__ == "__main__":
    main()
