"""Anthropic REST requests: the generated API tests of the `anthropic` Python sdist, mapped by api.md.

Same layout as the openai sdist (both generated from the providers' OpenAPI specs), so the
extraction is api_llm_openai.collect; only the label rule differs (paths under /v1). The
`betas` argument of beta methods (sent as the anthropic-beta header) is dropped.
"""

import api_llm_openai as oai
import registry

SOURCE = {
    "name": "anthropic-sdk-tests",
    "package": "pypi:anthropic==2.10.0:sdist",
    "version": "2.10.0",
    "licence": "Apache-2.0 (LICENSE, PKG-INFO License: Apache-2.0; versions before 2.0.0 were MIT)",
    "url": "https://pypi.org/project/anthropic/2.10.0/",
    "label_rule": None,
}

RULES = [
    # model inference, agent turns and runs, asynchronous batch jobs
    (
        "POST",
        r"/v1/messages|/v1/complete|/v1/messages/batches|/v1/sessions/\{\}/events"
        r"|/v1/deployments/\{\}/run|/v1/dreams",
        "high-compute",
    ),
    # analytics and usage/cost reports
    ("GET", r"/v1/organizations/analytics/.*", "high-compute"),
    # token counting (tokenizer over the input, no model) and long-lived event streams / polls
    ("POST", r"/v1/messages/count_tokens", "?"),
    ("GET", r".*/stream|.*/events/stream|.*/work/poll", "?"),
    # models: list and retrieve are metadata reads
    ("GET", r"/v1/models|/v1/models/\{\}", "fast-path"),
    # downloads of contents and batch results
    ("GET", r".*/content|/v1/messages/batches/\{\}/results", "general"),
    # one resource by id, or a singleton settings/identity object
    (
        "GET",
        r".*/\{\}|/v1/organizations/(me|compliance_settings|spend_limits/effective)"
        r"|/v1/environments/\{\}/work/stats",
        "fast-path",
    ),
    ("GET", r".*", "general"),
    ("POST", r".*", "general"),
    ("DELETE", r".*", "general"),
    ("PUT", r".*", "general"),
    ("PATCH", r".*", "general"),
]
SOURCE["label_rule"] = oai.rule_text(RULES)


def rows():
    return oai.collect(SOURCE["name"], registry.pypi("anthropic", "2.10.0", sdist=True), RULES)
