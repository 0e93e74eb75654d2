"""Check a write's form parameters the way Stripe does, and turn them into typed values.

The schemas are Stripe's own request schemas for the writes the practice server accepts
(`resources/practice/write_params.json`, derived from the OpenAPI spec). Form values arrive as
strings; this gives booleans, integers and lists back, keeps `""` (Stripe's "unset this") as
`""`, and refuses what Stripe refuses with Stripe's wording: unknown and missing parameters,
a value of the wrong type, a word outside an enum, a string over its length.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from assistant.practice.store import StripeError
from assistant.resources import read_text


@functools.cache
def schemas() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read_text("practice", "write_params.json"))["operations"]
    return data


def validate_params(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """The typed parameters of one write (`expand` left out), or StripeError (400)."""
    schema = schemas()[operation]
    body = {k: v for k, v in params.items() if k != "expand"}
    typed: dict[str, Any] = _object(schema, body, "")
    return typed


def _name(parent: str, key: str | int) -> str:
    return f"{parent}[{key}]" if parent else str(key)


def _invalid(message: str, param: str, code: str | None = None) -> StripeError:
    return StripeError(400, message, code=code, param=param)


def _value(schema: dict[str, Any], value: Any, name: str) -> Any:
    if "anyOf" in schema:
        if value == "" and any(s.get("enum") == [""] for s in schema["anyOf"]):
            return ""
        options = [s for s in schema["anyOf"] if s.get("enum") != [""]]
        return _value(options[0], value, name)
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, value, name)
    if kind == "array":
        return _array(schema, value, name)
    if not isinstance(value, str):
        raise _invalid(f"Invalid {kind or 'value'}: {name} must be a single value, not a hash", name)
    return _scalar(schema, value, name)


def _array(schema: dict[str, Any], value: Any, name: str) -> list[Any]:
    """A list, sent as `name[0]=...&name[1]=...` (a dict of indexes once decoded) or `name[]=...`."""
    if isinstance(value, dict) and all(str(k).isdigit() for k in value):
        value = [value[k] for k in sorted(value, key=int)]
    if not isinstance(value, list):
        raise _invalid("Invalid array", name)
    return [_value(schema["items"], item, _name(name, i)) for i, item in enumerate(value)]


def _scalar(schema: dict[str, Any], value: str, name: str) -> Any:
    """A form string as the type its schema names, or Stripe's refusal of it."""
    kind = schema.get("type")
    if kind == "boolean":
        if value not in ("true", "false"):
            raise _invalid(f"Invalid boolean: {value}", name)
        return value == "true"
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            raise _invalid(f"Invalid integer: {value}", name) from None
    if "enum" in schema and value not in schema["enum"]:
        raise _invalid(f"Invalid {name}: must be one of {_one_of(schema['enum'])}", name)
    limit = schema.get("maxLength")
    if limit is not None and len(value) > limit:
        raise _invalid(f"Invalid string: {value[:40]}...; must be at most {limit} characters", name)
    return value


def _object(schema: dict[str, Any], value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(f"Invalid object: {name} must be a hash", name)
    extra = schema.get("additionalProperties")
    properties: dict[str, Any] = schema.get("properties", {})
    out: dict[str, Any] = {}
    for key, item in value.items():
        child = properties.get(str(key)) or extra
        if child is None:
            raise _invalid(f"Received unknown parameter: {_name(name, key)}", _name(name, key),
                           code="parameter_unknown")
        out[str(key)] = _value(child, item, _name(name, key))
    for key in schema.get("required", ()):
        if key not in value:
            raise _invalid(f"Missing required param: {_name(name, key)}.", _name(name, key),
                           code="parameter_missing")
    return out


def _one_of(words: list[str]) -> str:
    quoted = [str(w) for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f", or {quoted[-1]}"
