"""Check a request's parameters the way Stripe does, and turn a write's into typed values.

The schemas are Stripe's own, derived from its OpenAPI spec (API 2026-05-27) by
`scripts/derive_practice_params.py`: `resources/practice/write_params.json` for the writes the
practice server accepts, `read_params.json` for the query parameters of every read and delete in
the spec's subset. `check_request` runs on every request the server routes, so an endpoint added
later is checked as soon as the spec has it. Form and query values arrive as strings; this gives
booleans, integers and lists back, keeps `""` (Stripe's "unset this") as `""`, and refuses what
Stripe refuses with Stripe's wording (`refusals.py`): unknown and missing parameters, a value of
the wrong type, a word outside an enum, a string over its length, an expansion that does not
exist.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from assistant.practice.expansions import check_expansions
from assistant.practice.params import as_list
from assistant.practice.refusals import one_of, refusal
from assistant.practice.store import StripeError
from assistant.resources import read_text


@functools.cache
def write_params() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read_text("practice", "write_params.json"))
    return data


@functools.cache
def read_params() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read_text("practice", "read_params.json"))
    return data


def schemas() -> dict[str, Any]:
    """The writes' form schemas by operation name (`configuration_update`, ...)."""
    operations: dict[str, Any] = write_params()["operations"]
    return operations


def validate_params(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """The typed parameters of one write (`expand` left out), or StripeError (400)."""
    schema = schemas()[operation]
    body = {k: v for k, v in params.items() if k != "expand"}
    typed: dict[str, Any] = _object(schema, body, "")
    return typed


def path_pattern(template: str) -> re.Pattern[str]:
    """The request paths a spec path matches: `/v1/customers/{customer}` -> `/v1/customers/[^/]+`."""
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part)
                              for part in re.split(r"(\{[^}]+\})", template)))


@functools.cache
def _routes() -> list[tuple[str, re.Pattern[str], str]]:
    """(method, path pattern, operation key) for every operation the spec's subset has; a fixed
    path (`/v1/customers/search`) is tried before a template that would also match it."""
    keys = [*read_params()["operations"], *write_params()["routes"]]
    return [(key.split(" ", 1)[0], path_pattern(key.split(" ", 1)[1]), key)
            for key in sorted(keys, key=lambda k: (k.count("{"), k))]


def operation_of(method: str, path: str) -> str | None:
    """Stripe's operation for a request ("GET /v1/customers/{customer}"), or None if the spec lacks it."""
    return next((key for m, pattern, key in _routes() if m == method and pattern.fullmatch(path)), None)


def check_request(method: str, path: str, params: dict[str, Any]) -> None:
    """Refuse (StripeError, 400) what Stripe's spec does not accept; a request it lacks passes."""
    key = operation_of(method, path)
    if key is None:
        return
    write = write_params()["routes"].get(key)
    if write is not None:
        _object(schemas()[write["operation"]], params, "")
        returns = write["returns"]
    else:
        operation = read_params()["operations"][key]
        _object(operation["query"], params, "")
        returns = operation["returns"]
    check_expansions(read_params(), returns, [str(e) for e in as_list(params.get("expand"))])


def _name(parent: str, key: str | int) -> str:
    return f"{parent}[{key}]" if parent else str(key)


def _shape(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    return kind if kind in ("object", "array") else "scalar"


def _shape_of(value: Any) -> str:
    if isinstance(value, list) or (isinstance(value, dict) and value and all(str(k).isdigit() for k in value)):
        return "array"
    return "object" if isinstance(value, dict) else "scalar"


def _any_of(options: list[dict[str, Any]], value: Any, name: str) -> Any:
    """The first alternative the value fits (`created=5` or `created[gte]=5`), else the first refusal."""
    if value == "" and any(s.get("enum") == [""] for s in options):
        return ""
    options = [s for s in options if s.get("enum") != [""]]
    fitting = [s for s in options if _shape(s) == _shape_of(value)] or options[:1]
    first: StripeError | None = None
    for option in fitting:
        try:
            return _value(option, value, name)
        except StripeError as err:
            first = first or err
    assert first is not None
    raise first


def _value(schema: dict[str, Any], value: Any, name: str) -> Any:
    if "anyOf" in schema:
        return _any_of(schema["anyOf"], value, name)
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, value, name)
    if kind == "array":
        return _array(schema, value, name)
    if not isinstance(value, str):
        raise refusal("not_a_single_value", name, kind=kind or "value")
    return _scalar(schema, value, name)


def _array(schema: dict[str, Any], value: Any, name: str) -> list[Any]:
    """A list, sent as `name[0]=...&name[1]=...` (a dict of indexes once decoded) or `name[]=...`;
    a bare `name=...` is refused, as Stripe refuses `expand=x`."""
    if isinstance(value, dict) and all(str(k).isdigit() for k in value):
        value = [value[k] for k in sorted(value, key=int)]
    if not isinstance(value, list):
        raise refusal("invalid_array", name)
    return [_value(schema["items"], item, _name(name, i)) for i, item in enumerate(value)]


def _scalar(schema: dict[str, Any], value: str, name: str) -> Any:
    """A form string as the type its schema names, or Stripe's refusal of it."""
    kind = schema.get("type")
    if kind == "boolean":
        if value not in ("true", "false"):
            raise refusal("invalid_boolean", name, value=value)
        return value == "true"
    if kind == "integer":
        try:
            return int(value)
        except ValueError:
            raise refusal("invalid_integer", name, value=value) from None
    if "enum" in schema and value not in schema["enum"]:
        raise refusal("invalid_enum", name, choices=one_of(schema["enum"]))
    limit = schema.get("maxLength")
    if limit is not None and len(value) > limit:
        raise refusal("string_too_long", name, value=value[:40], limit=limit)
    return value


def _object(schema: dict[str, Any], value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise refusal("invalid_object", name)
    extra = schema.get("additionalProperties")
    properties: dict[str, Any] = schema.get("properties", {})
    out: dict[str, Any] = {}
    for key, item in value.items():
        child = properties.get(str(key)) or extra
        if child is None:
            raise refusal("unknown_parameter", _name(name, key))
        out[str(key)] = _value(child, item, _name(name, key))
    for key in schema.get("required", ()):
        if key not in value:
            raise refusal("missing_parameter", _name(name, key))
    return out
