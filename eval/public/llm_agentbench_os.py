"""AgentBench "Operating System" tasks (THUDM), as vendored in the inspect-evals wheel
(dev set agent_bench_os.json and test set agent_bench_os_test.json).

Each task's "description" is a request to be solved in a Linux shell (count files, parse logs,
write a script, change permissions): shell programming, so every task is labelled code.
"""

import json

from registry import Prompts, chat_row, pypi, read, sort_key

VERSION = "0.26.0"
WHEEL = f"inspect_evals-{VERSION}-py3-none-any.whl"
SOURCE = {
    "name": "agentbench-os",
    "package": f"pypi:inspect-evals=={VERSION}",
    "licence": "Apache-2.0 (AgentBench data); MIT (inspect_evals packaging)",
    "url": "https://github.com/UKGovernmentBEIS/inspect_evals (data: https://github.com/THUDM/AgentBench)",
    "label_rule": "AgentBench's OS-interaction environment: every task is a Linux shell task -> code "
    "(dev and test sets; the task description is the prompt).",
}
FILES = [
    "inspect_evals/agent_bench/data/agent_bench_os.json",
    "inspect_evals/agent_bench/data/agent_bench_os_test.json",
]
CAP = 250


_key = sort_key


def rows():
    wheel = pypi("inspect-evals", VERSION)
    items, prompts = [], Prompts()
    for member in FILES:
        for task in json.loads(read(wheel, member).decode("utf-8")):
            prompt = prompts.take(task.get("description"))
            if prompt is None:
                continue
            items.append((f"{member}#{task.get('id')}", prompt))
    items.sort(key=lambda it: _key(it[0]))
    return [chat_row(SOURCE["name"], "code", f"{WHEEL}:{ref}", prompt) for ref, prompt in items[:CAP]]
