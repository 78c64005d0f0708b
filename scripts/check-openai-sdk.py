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

    python3 scripts/check-openai-sdk.py
    python3 scripts/check-openai-sdk.py --base-url http://127.0.0.1:8080/v1

Exits 0 and prints "N passed, 0 failed" when every check passed.
"""

import argparse
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


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, check):
        try:
            detail = check()
            self.passed += 1
            print(f"ok    {name}" + (f": {detail}" if detail else ""))
        except Exception as e:  # noqa: BLE001 - any failure is reported and counted
            self.failed += 1
            print(f"FAIL  {name}: {type(e).__name__}: {e}")


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running server's /v1 URL (default: start the worker jar)")
    parser.add_argument("--model", default="auto", help="the model the requests ask for (default: auto)")
    args = parser.parse_args()
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
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
    print(f"check-openai-sdk: openai {openai.__version__} against {base_url}")
    print(f"check-openai-sdk: {checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
