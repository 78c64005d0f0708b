#!/usr/bin/env python3
"""Checks the demo model servers (workers started with --llm-model) with the official `openai`
Python SDK: model list, chat and text completions, streamed and not, a stream's usage chunk, and
a 400 for a bad request. Every chunk must parse, every response must name the serving model, and
the token counts must match the text (one token per whitespace word, prompt tokens from the
request). Installs openai==OPENAI_VERSION (versions.env) into .tools/python when missing.

By default starts workers/target/worker.jar (build it first: ./mvnw -pl workers package) on a free
loopback port and stops it at the end. With --base-url it checks a running server instead, e.g.
semlb's Envoy in front of the `llm` profile of scripts/run-local.sh; then --model is what the
requests ask for (default "auto") and the answer may come from any pool.

With --pool-models (and --base-url) it also sends routed calls: prompts of known pools (fenced
code, conversation, short facts) with model "auto", chat and text completions, streamed and not,
--concurrency at a time. Each must succeed, come from a pool of --pool-models (the response header
x-served-by-pool) and name that pool's model in its body, carry exactly the demo server's reply
text, and have usage equal to the server's deterministic counts (prompt: whitespace words of the
request's text; completion: the reply's words, max_tokens when set, --reply-tokens otherwise). A
prompt that a rule of config/examples/llm-models.yaml decides (fenced code) must reach that pool;
the others are routed by meaning, and where they went is reported, not checked (this measures the
SDK path, not the classifier). With --tokens-per-second, a stream's tokens must arrive spread out
(first to last at least half the servers' pacing of them): a buffered stream arrives at once.

    python3 scripts/check-openai-sdk.py
    python3 scripts/check-openai-sdk.py --base-url http://127.0.0.1:8080/v1
    python3 scripts/check-openai-sdk.py --base-url http://127.0.0.1:8080/v1 \\
        --pool-models code=demo-code-7b,chat=demo-chat-8b,fast=demo-fast-1b

Exits 0 and prints "N passed, 0 failed" when every check passed.
"""

import argparse
import concurrent.futures
import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TOOLS_PYTHON = os.path.join(ROOT, ".tools", "python")
WORKER_MODEL = "semlb-check-1b"
PROMPT = "write a python function that reverses a list"
# The demo servers' reply (workers/.../llm/Replies.java): "Demo reply from MODEL in pool POOL:"
# then these words, repeated; one token per word.
FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua".split()
# (pool of its meaning, decided by a rule of config/examples/llm-models.yaml, prompt). Only the
# fenced-code rule is certain; where the others go is the classifier's business, reported only.
ROUTED_PROMPTS = [
    ("code", True, "fix this function, it subtracts:\n```python\ndef add(a, b):\n    return a - b\n```"),
    ("code", True, "why does this throw?\n```js\nconst f = undefined;\nf();\n```\nTypeError: f is not a function"),
    ("code", True, "```sql\nSELECT name, COUNT(*) FROM orders GROUP BY name\n``` add the top five by revenue"),
    ("code", False, "write a python function that removes duplicates from a list while keeping order"),
    ("chat", False, "write a short story about a lighthouse keeper and a storm"),
    ("chat", False, "help me plan a relaxed two week trip through Portugal on a budget, with ideas for each day"),
    ("chat", False, "write a heartfelt toast for my sister's wedding that makes people laugh and then cry a little"),
    ("fast", False, "what is the capital of Canada"),
    ("fast", False, "convert 30 celsius to fahrenheit"),
    ("fast", False, "how many continents are there"),
]
SHORT_REPLY = 5  # max_tokens of every other whole routed chat call (demo replies are longer: 16+ in run-local)


def pinned(name):
    """NAME's version from versions.env, the one pin file."""
    for line in open(os.path.join(ROOT, "versions.env")):
        key, _, value = line.strip().partition("=")
        if key == name and value:
            return value
    raise SystemExit(f"versions.env: no {name}")


def import_openai():
    """Imports openai; if missing, installs the pinned version into .tools/python first."""
    if TOOLS_PYTHON not in sys.path:
        sys.path.append(TOOLS_PYTHON)
    try:
        return importlib.import_module("openai")
    except ImportError:
        version = pinned("OPENAI_VERSION")
        print(f"check-openai-sdk: installing openai=={version} into .tools/python", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            + ["--target", TOOLS_PYTHON, f"openai=={version}"],
            check=True,
        )
        importlib.invalidate_caches()
        return importlib.import_module("openai")


def words(text):
    return len(text.split())


def reply_text(model, pool, tokens):
    """The first TOKENS words of the demo server's reply, as Replies.java writes them."""
    opening = f"Demo reply from {model} in pool {pool}:".split(" ")
    return " ".join((opening + FILLER * (tokens // len(FILLER) + 1))[:tokens])


def start_worker():
    """Starts the worker jar as a model server on a free port; returns (process, base URL)."""
    jar = os.path.join(ROOT, "workers", "target", "worker.jar")
    if not os.path.isfile(jar):
        raise SystemExit(f"check-openai-sdk: {jar} is missing; build it: ./mvnw -pl workers package")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar, "--host", "127.0.0.1"]
    args += ["--port", str(port), "--pool", "code", "--llm-model", WORKER_MODEL]
    args += ["--llm-tokens-per-second", "400", "--llm-ttft", "20ms", "--llm-reply-tokens", "24"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return process, f"http://127.0.0.1:{port}/v1"
        except OSError as e:
            if process.poll() is not None:
                raise SystemExit(f"check-openai-sdk: the worker exited with status {process.returncode}") from e
            time.sleep(0.1)
    process.kill()
    raise SystemExit("check-openai-sdk: the worker did not answer /healthz within 20 s")


def outcome(check):
    """Runs CHECK: (True, its detail), or (False, what went wrong)."""
    try:
        return True, check()
    except Exception as e:  # noqa: BLE001 - any failure is reported and counted
        return False, f"{type(e).__name__}: {e}"


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, check):
        self.record(name, *outcome(check))

    def record(self, name, ok, detail):
        if ok:
            self.passed += 1
            print(f"ok    {name}" + (f": {detail}" if detail else ""))
        else:
            self.failed += 1
            print(f"FAIL  {name}: {detail}")


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


class Routed:
    """The routed calls of --pool-models: one prompt, one API (chat or text), streamed or not.
    Thread-safe: calls only add to `served` (under the GIL, one list append each)."""

    def __init__(self, openai, client, pool_models, reply_tokens, tokens_per_second):
        self.openai = openai
        self.client = client
        self.pool_models = pool_models
        self.reply_tokens = reply_tokens
        self.tokens_per_second = tokens_per_second
        self.served = []  # (pool of its meaning, by a rule, serving pool)

    def checks(self):
        """(name, check) of every call: chat whole and streamed for each prompt, then a text
        completion, streamed for every other prompt; every other whole chat call sets max_tokens."""
        calls = []
        for i, (pool, rule, prompt) in enumerate(ROUTED_PROMPTS):
            name = f"routed {pool}{' (rule)' if rule else ''} #{i}"
            short = SHORT_REPLY if i % 2 == 0 else None
            calls.append((f"{name} chat", lambda p=(pool, rule, prompt), m=short: self.call(*p, True, False, m)))
            calls.append((f"{name} chat stream", lambda p=(pool, rule, prompt): self.call(*p, True, True, None)))
            stream = i % 2 == 1
            calls.append(
                (
                    f"{name} completion{' stream' if stream else ''}",
                    lambda p=(pool, rule, prompt), s=stream: self.call(*p, False, s, None),
                )
            )
        return calls

    def call(self, pool, rule, prompt, chat, stream, max_tokens):
        api = self.client.chat.completions if chat else self.client.completions
        request = {"model": "auto"}
        if chat:
            request["messages"] = [{"role": "user", "content": prompt}]
        else:
            request["prompt"] = prompt
        if max_tokens:
            request["max_tokens"] = max_tokens
        if stream:
            request.update(stream=True, stream_options={"include_usage": True})
        start = time.monotonic()
        raw = api.with_raw_response.create(**request)
        served = raw.headers.get("x-served-by-pool")
        expect(served in self.pool_models, f"x-served-by-pool {served!r} (expected: one of {sorted(self.pool_models)})")
        model = self.pool_models[served]
        expect(
            raw.headers.get("x-served-by-model") == model, f"x-served-by-model {raw.headers.get('x-served-by-model')!r}"
        )
        if rule:
            expect(served == pool, f"pool {served!r} (expected: {pool!r}, decided by a rule)")
        self.served.append((pool, rule, served))
        if stream:
            text, usage, finish, detail = self.read_stream(raw.parse(), chat, model, start)
        else:
            response = raw.parse()
            expect(response.model == model, f"model {response.model!r} (expected: {model!r}, pool {served}'s)")
            choice = response.choices[0]
            text, usage, finish = (
                (choice.message.content if chat else choice.text),
                response.usage,
                choice.finish_reason,
            )
            detail = ""
        expect(usage is not None, "no usage")
        # The server's count: its reply length, cut to max_tokens ("length") when that is smaller.
        limits = [n for n in (max_tokens, self.reply_tokens) if n]
        expected = min(limits) if limits else usage.completion_tokens
        cut = max_tokens is not None and (self.reply_tokens is None or max_tokens < self.reply_tokens)
        expect(
            usage.completion_tokens == expected, f"completion_tokens {usage.completion_tokens} (expected: {expected})"
        )
        expect(
            text == reply_text(model, served, expected), f"text {text!r} (expected: the demo reply of {expected} words)"
        )
        expect(usage.prompt_tokens == words(prompt), f"prompt_tokens {usage.prompt_tokens} (expected: {words(prompt)})")
        expect(usage.total_tokens == usage.prompt_tokens + usage.completion_tokens, "total_tokens")
        want = "length" if cut else "stop"
        expect(finish == want, f"finish_reason {finish!r} (expected: {want!r})")
        return f"{served}/{model}, {usage.prompt_tokens}+{usage.completion_tokens} tokens{detail}"

    def read_stream(self, stream, chat, model, start):
        """Reads a stream the SDK parses, timing each token's arrival: (text, usage, finish, detail)."""
        kind = self.openai.types.chat.ChatCompletionChunk if chat else self.openai.types.Completion
        tokens, arrivals, finish, chunks = [], [], [], []
        for chunk in stream:
            now = time.monotonic()
            chunks.append(chunk)
            expect(isinstance(chunk, kind), f"chunk of type {type(chunk).__name__}")
            expect(chunk.model == model, f"chunk model {chunk.model!r} (expected: {model!r})")
            for choice in chunk.choices:
                piece = (choice.delta.content if chat else choice.text) or ""
                if piece:
                    tokens.append(piece)
                    arrivals.append(now)
                if choice.finish_reason:
                    finish.append(choice.finish_reason)
        expect(len({c.id for c in chunks}) == 1, "chunks of one stream carry different ids")
        expect(chunks and chunks[-1].choices == [], "the last chunk is not the usage chunk")
        expect(all(c.usage is None for c in chunks[:-1]), "usage before the last chunk")
        expect(len(finish) == 1, f"finish reasons {finish}")
        expect(arrivals, "no tokens")
        span = arrivals[-1] - arrivals[0]
        if self.tokens_per_second:
            # The server sends token i at ttft + i/rate: spread out unless something buffered them.
            paced = (len(tokens) - 1) / self.tokens_per_second
            expect(span >= paced / 2, f"tokens arrived within {span * 1000:.0f} ms (paced over {paced * 1000:.0f} ms)")
        first = (arrivals[0] - start) * 1000
        return (
            "".join(tokens),
            chunks[-1].usage,
            finish[0],
            f", {len(chunks)} chunks, first token at {first:.0f} ms, then {span * 1000:.0f} ms to the last",
        )

    def pools_served(self):
        """Checks that the calls reached more than one pool; reports where meaning sent prompts."""
        pools = {served for _, _, served in self.served}
        expect(len(pools) > 1, f"every call reached {pools} (expected: more than one pool)")
        by_meaning = [(pool, served) for pool, rule, served in self.served if not rule]
        matched = sum(pool == served for pool, served in by_meaning)
        counts = ", ".join(f"{p} {sum(s == p for _, _, s in self.served)}" for p in sorted(self.pool_models))
        return (
            f"calls per pool: {counts}; routed by meaning to the pool of their meaning: {matched} of {len(by_meaning)}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running server's /v1 URL (default: start the worker jar)")
    parser.add_argument("--model", default="auto", help="the model the requests ask for (default: auto)")
    parser.add_argument(
        "--pool-models", help="POOL=MODEL,...: the pools behind --base-url and their models; adds the routed calls"
    )
    parser.add_argument("--reply-tokens", type=int, help="every pool's full reply length, in tokens (default: any)")
    parser.add_argument(
        "--tokens-per-second",
        type=float,
        help="the servers' token rate: streams must arrive spread out (default: unchecked)",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="routed calls at once (default: 4)")
    args = parser.parse_args()
    if args.concurrency < 1:
        parser.error(f"--concurrency: {args.concurrency} (expected: >= 1)")
    pool_models = None
    if args.pool_models:
        if args.base_url is None:
            parser.error("--pool-models needs --base-url (a gateway in front of those pools)")
        pairs = [item.split("=", 1) for item in args.pool_models.split(",")]
        if any(len(p) != 2 or not all(p) for p in pairs):
            parser.error(f"--pool-models: {args.pool_models!r} (expected: POOL=MODEL,...)")
        pool_models = dict(pairs)
    openai = import_openai()
    process = None
    base_url = args.base_url
    if base_url is None:
        process, base_url = start_worker()
    # Served model: the worker's own when this script started it, else whatever pool answered.
    expected = WORKER_MODEL if process else None
    client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=30)
    messages = [{"role": "system", "content": "answer briefly"}, {"role": "user", "content": PROMPT}]
    prompt_words = words("answer briefly") + words(PROMPT)
    checks = Checks()

    def served(model):
        expect(model, "no model in the response")
        if expected:
            expect(model == expected, f"model {model!r} (expected: {expected!r})")

    def models():
        listed = [m.id for m in client.models.list()]
        expect(listed, "empty model list")
        if expected:
            expect(listed == [expected], f"models {listed} (expected: [{expected!r}])")
        return ", ".join(listed)

    def chat():
        raw = client.chat.completions.with_raw_response.create(model=args.model, messages=messages, max_tokens=6)
        response = raw.parse()
        served(response.model)
        content = response.choices[0].message.content
        usage = response.usage
        expect(usage.prompt_tokens == prompt_words, f"prompt_tokens {usage.prompt_tokens} (expected: {prompt_words})")
        expect(
            usage.completion_tokens == words(content) == 6, f"completion_tokens {usage.completion_tokens}, {content!r}"
        )
        expect(usage.total_tokens == usage.prompt_tokens + usage.completion_tokens, "total_tokens")
        expect(response.choices[0].finish_reason == "length", f"finish_reason {response.choices[0].finish_reason}")
        return f"{response.model} (pool {raw.headers.get('x-served-by-pool')}): {content!r}"

    def chat_stream():
        stream = client.chat.completions.create(
            model=args.model, messages=messages, stream=True, stream_options={"include_usage": True}
        )
        chunks = list(stream)  # the SDK parses every event into a ChatCompletionChunk
        expect(len(chunks) >= 3, f"{len(chunks)} chunks")
        expect(all(isinstance(c, openai.types.chat.ChatCompletionChunk) for c in chunks), "unparsed chunk")
        for c in chunks:
            served(c.model)
        expect(len({c.id for c in chunks}) == 1, "chunks of one stream carry different ids")
        expect(len({c.model for c in chunks}) == 1, "chunks of one stream name different models")
        body, usage = chunks[:-1], chunks[-1].usage
        expect(body[0].choices[0].delta.role == "assistant", "first delta has no assistant role")
        content = "".join(c.choices[0].delta.content or "" for c in body)
        finish = [c.choices[0].finish_reason for c in body if c.choices[0].finish_reason]
        expect(finish == ["stop"], f"finish reasons {finish}")
        expect(chunks[-1].choices == [], "usage chunk has choices")
        expect(usage is not None, "no usage in the last chunk")
        expect(usage.completion_tokens == words(content), f"completion_tokens {usage.completion_tokens}, {content!r}")
        expect(usage.prompt_tokens == prompt_words, f"prompt_tokens {usage.prompt_tokens}")
        return f"{len(chunks)} chunks, {usage.completion_tokens} tokens from {chunks[0].model}"

    def chat_stream_without_usage():
        chunks = list(client.chat.completions.create(model=args.model, messages=messages, stream=True, max_tokens=3))
        expect(all(c.usage is None for c in chunks), "usage without include_usage")
        content = "".join(c.choices[0].delta.content or "" for c in chunks)
        expect(words(content) == 3, f"content {content!r}")
        return f"{len(chunks)} chunks"

    def completion():
        response = client.completions.create(model=args.model, prompt=PROMPT, max_tokens=4)
        served(response.model)
        text = response.choices[0].text
        expect(response.usage.completion_tokens == words(text) == 4, f"{response.usage}, {text!r}")
        expect(response.usage.prompt_tokens == words(PROMPT), f"prompt_tokens {response.usage.prompt_tokens}")
        return repr(text)

    def completion_stream():
        chunks = list(
            client.completions.create(
                model=args.model, prompt=PROMPT, stream=True, stream_options={"include_usage": True}
            )
        )
        for c in chunks:
            served(c.model)
        text = "".join(c.choices[0].text for c in chunks if c.choices)
        usage = chunks[-1].usage
        expect(usage is not None and usage.completion_tokens == words(text), f"usage {usage}, {text!r}")
        return f"{len(chunks)} chunks, {usage.completion_tokens} tokens"

    def bad_request():
        try:
            client.chat.completions.create(model=args.model, messages=[])
        except openai.BadRequestError as e:
            expect(e.status_code == 400, f"status {e.status_code}")
            expect(e.body.get("type") == "invalid_request_error", f"error body {e.body}")
            return e.body.get("message")
        raise AssertionError("no error for an empty messages list")

    try:
        for name, check in [
            ("models.list", models),
            ("chat.completions", chat),
            ("chat.completions stream + include_usage", chat_stream),
            ("chat.completions stream, no usage", chat_stream_without_usage),
            ("completions", completion),
            ("completions stream + include_usage", completion_stream),
            ("400 invalid_request_error", bad_request),
        ]:
            checks.run(name, check)
        if pool_models:
            routed = Routed(openai, client, pool_models, args.reply_tokens, args.tokens_per_second)
            calls = routed.checks()
            with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                futures = [pool.submit(outcome, check) for _, check in calls]
                for (name, _), future in zip(calls, futures):
                    checks.record(name, *future.result())
            checks.run("routed calls reached their pools", routed.pools_served)
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
    print(f"check-openai-sdk: openai {openai.__version__} against {base_url}")
    print(f"check-openai-sdk: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
