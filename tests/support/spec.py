"""Stripe's OpenAPI subset (tests/data, API 2026-05-27) as JSON Schema, a check of one request
against it, and plain HTTP calls to a practice server: for the tests that check the practice server
answers and accepts what Stripe does, and that the app sends only what Stripe accepts."""

from __future__ import annotations

import functools
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from assistant.practice import PracticeServer
from assistant.practice.expansions import check_expansions
from assistant.practice.store import StripeError
from assistant.practice.validate import path_pattern
from support.spec_params import expansion_reads

SPEC = Path(__file__).resolve().parents[1] / "data" / "spec3.2026-05-27.subset.json"
KEY = "sk_test_practice_healthy_4242"


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


@functools.cache
def load_spec() -> dict[str, Any]:
    """The spec as JSON Schema (read once: callers only read it)."""
    if not SPEC.is_file():
        pytest.fail(f"The Stripe OpenAPI subset is needed for contract tests and was not found at {SPEC}. "
                    f"It is part of the repository: tests/data/{SPEC.name}.")
    spec = raw_spec()
    return {"paths": spec["paths"], "components": {"schemas": _to_json_schema(spec["components"]["schemas"])}}


def validate(spec: dict[str, Any], path: str, method: str, body: Any, status: str = "200") -> None:
    responses = spec["paths"][path][method]["responses"]
    schema = _to_json_schema(responses[status]["content"]["application/json"]["schema"])
    root = {**schema, "components": spec["components"]}
    errors = sorted(Draft202012Validator(root).iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:10])


# --- requests: what the app sends, checked against the operation Stripe's spec declares ---------

@functools.cache
def raw_spec() -> dict[str, Any]:
    """The spec as Stripe wrote it (extensions such as `x-expandableFields` kept)."""
    spec: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return spec


def spec_template(method: str, path: str) -> str | None:
    """The spec's path for a request path (`/v1/customers/{customer}`); fixed paths before templates."""
    found = [t for t, ops in raw_spec()["paths"].items()
             if method.lower() in ops and path_pattern(t).fullmatch(path)]
    return min(found, key=lambda t: (t.count("{"), t)) if found else None


def _closed(schema: Any) -> Any:
    """The schema with every object refusing properties it does not declare, as Stripe refuses
    parameters it does not know (the spec itself leaves `additionalProperties` open)."""
    if isinstance(schema, list):
        return [_closed(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _closed(v) for k, v in schema.items()}
    if schema.get("x-stripeBypassValidation"):
        out.pop("enum", None)  # Stripe accepts values newer than the spec's list
    if schema.get("type") == "object" and "additionalProperties" not in schema:
        out["additionalProperties"] = False
    return out


def _form_value(schema: dict[str, Any], value: Any) -> Any:
    """A decoded form value (strings, nested by brackets) as the JSON value its schema describes;
    what cannot be read so stays a string, for the schema to refuse."""
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            typed = _form_value(option, value)
            if Draft202012Validator(_closed(option)).is_valid(typed):
                return typed
        return value
    kind = schema.get("type")
    if kind == "array" and isinstance(value, dict) and all(str(k).isdigit() for k in value):
        value = [value[k] for k in sorted(value, key=int)]
    if kind == "array" and isinstance(value, list):
        return [_form_value(schema.get("items", {}), v) for v in value]
    if kind == "object" and isinstance(value, dict):
        extra = schema.get("additionalProperties")
        props = schema.get("properties", {})
        return {k: _form_value(props.get(k) or (extra if isinstance(extra, dict) else {}), v) for k, v in value.items()}
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if kind == "integer" and isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    return value


def _parameters_schema(operation: dict[str, Any], method: str) -> dict[str, Any]:
    if method == "POST":
        form: dict[str, Any] = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
        return form
    query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    return {"type": "object", "properties": {p["name"]: p["schema"] for p in query},
            "required": [p["name"] for p in query if p.get("required")]}


def request_problems(method: str, path: str, params: dict[str, Any]) -> list[str]:
    """Why Stripe's spec would not accept this request (method, path, decoded query or form body):
    an unknown path, parameters it does not declare or of the wrong type, expansions that do not
    exist. Empty when the spec accepts it."""
    template = spec_template(method, path)
    if template is None:
        return [f"{method} {path}: no such operation in the spec"]
    operation = raw_spec()["paths"][template][method.lower()]
    schema = _parameters_schema(operation, method)
    typed = _form_value(schema, params)
    problems = [f"{method} {path}: {'.'.join(map(str, e.absolute_path)) or 'parameters'}: {e.message[:200]}"
                for e in Draft202012Validator(_closed(schema)).iter_errors(typed)]
    expand = typed.get("expand") if isinstance(typed, dict) else None
    if isinstance(expand, list):
        problems += _expansion_problems(method, path, template, operation, expand)
    return problems


def _expansion_problems(method: str, path: str, template: str, operation: dict[str, Any],
                        expand: list[Any]) -> list[str]:
    reads, returns = expansion_reads(raw_spec(), f"{method} {template}", operation)
    try:
        check_expansions(reads, returns, [str(e) for e in expand])
    except StripeError as refused:
        return [f"{method} {path}: expand {expand}: {refused.message}"]
    return []


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
