"""Stripe's OpenAPI subset (tests/data) as JSON Schema, and plain HTTP calls to a practice server,
for the tests that check the practice server answers and accepts what Stripe does."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from assistant.practice import PracticeServer

SPEC = Path(__file__).resolve().parents[1] / "data" / "spec3.subset.json"
KEY = "sk_test_practice_healthy_4242"
# (schema, field): required in the 2023 spec but removed from the API since, so absent from
# Stripe's current fixtures. subscription_pause: removed 2024-03 (spec README); product.features:
# renamed marketing_features (2024-04); subscription current_period_*: moved onto the items (2025-03).
REMOVED_SINCE_SPEC = {
    ("portal_features", "subscription_pause"),
    ("product", "features"),
    ("subscription", "current_period_end"),
    ("subscription", "current_period_start"),
}


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema: `nullable: true` becomes an explicit null alternative."""
    if isinstance(node, list):
        return [_to_json_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items() if not k.startswith("x-")}
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        elif "anyOf" in out:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def load_spec() -> dict[str, Any]:
    if not SPEC.is_file():
        pytest.fail(f"The Stripe OpenAPI subset is needed for contract tests and was not found at {SPEC}. "
                    "It is part of the repository: tests/data/spec3.subset.json.")
    spec = json.loads(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    for name, field in REMOVED_SINCE_SPEC:
        schemas[name]["required"].remove(field)
    return {"paths": spec["paths"], "components": {"schemas": _to_json_schema(schemas)}}


def validate(spec: dict[str, Any], path: str, method: str, body: Any, status: str = "200") -> None:
    responses = spec["paths"][path][method]["responses"]
    schema = _to_json_schema(responses[status]["content"]["application/json"]["schema"])
    root = {**schema, "components": spec["components"]}
    errors = sorted(Draft202012Validator(root).iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:10])




def call(server: PracticeServer, path: str, params: dict[str, Any] | None = None, *, post: bool = False,
         key: str = KEY, method: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    query = urllib.parse.urlencode(params or {}, doseq=True)
    url = server.base_url + path
    data = None
    if post:
        data = query.encode()
    elif query:
        url += "?" + query
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": f"Bearer {key}", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)
