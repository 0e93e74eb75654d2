"""What the practice server checks requests against, derived from Stripe's OpenAPI subset.

`assistant/resources/practice/write_params.json` (the form parameters of each write the practice
server accepts) and `read_params.json` (the query parameters of every read and delete the subset
has, what each operation returns, and which fields of those objects can be expanded) are this
derivation, written once by `scripts/derive_practice_params.py`: the product never reads
tests/data. A test re-derives both and compares, so the practice server checks exactly what the
spec declares. The input is `tests/data/spec3.2026-05-27.subset.json` (API 2026-05-27.dahlia,
provenance in tests/data/README.md).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"
SPEC = DATA / "spec3.2026-05-27.subset.json"
# The writes the practice server answers, by Stripe's operation, and the name its handlers use.
WRITES = {
    "POST /v1/billing_portal/configurations/{configuration}": "configuration_update",
    "POST /v1/billing_portal/sessions": "session_create",
    "POST /v1/webhook_endpoints": "webhook_endpoint_create",
    "POST /v1/webhook_endpoints/{webhook_endpoint}": "webhook_endpoint_update",
    "POST /v1/prices/{price}": "price_update",
    "POST /v1/products/{id}": "product_update",
}
# Stripe refuses an expansion deeper than this many dotted segments (docs/sources.md).
MAX_DEPTH = 4
_KEEP = ("type", "required", "enum", "maxLength")
_REF = "#/components/schemas/"


def trim(node: dict[str, Any]) -> dict[str, Any]:
    """The validation-relevant part of one schema (no descriptions, titles or encodings)."""
    out: dict[str, Any] = {k: node[k] for k in _KEEP if k in node}
    if node.get("x-stripeBypassValidation"):
        out.pop("enum", None)  # Stripe accepts values newer than the list
    if "properties" in node:
        out["properties"] = {k: trim(v) for k, v in sorted(node["properties"].items())}
    if isinstance(node.get("additionalProperties"), dict):
        out["additionalProperties"] = trim(node["additionalProperties"])
    if "items" in node:
        out["items"] = trim(node["items"])
    if "anyOf" in node:
        out["anyOf"] = [trim(v) for v in node["anyOf"]]
    return out


def load(path: Path = SPEC) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


def _write_schema(spec: dict[str, Any], operation: str) -> dict[str, Any]:
    method, path = operation.split(" ", 1)
    body = spec["paths"][path][method.lower()]["requestBody"]["content"]
    return trim(body["application/x-www-form-urlencoded"]["schema"])


def _query_schema(operation: dict[str, Any]) -> dict[str, Any]:
    """The query parameters of one operation as one object schema (form values, nested by brackets)."""
    params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    properties = {p["name"]: trim(p["schema"]) for p in sorted(params, key=lambda p: p["name"])}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = sorted(p["name"] for p in params if p.get("required"))
    if required:
        schema["required"] = required
    return schema


class _Graph:
    """Which fields of which objects can be expanded, by schema name, as far as MAX_DEPTH reaches.

    Stripe marks the fields a path may go through with `x-expandableFields`; a field that becomes
    an object when expanded carries `x-expansionResources` (`expands`). The spec does not mark
    fields that are left out unless asked for (a customer's `subscriptions`, a configuration's
    plan list): those are the listed fields that are not `required` (`optional`). A list or an
    inline object gets a name of its own (`customer.subscriptions`), so a path walks through it
    (`subscriptions.data.schedule`).
    """

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.inline: dict[str, dict[str, Any]] = {}
        self.table: dict[str, dict[str, Any]] = {}

    def node(self, schema: dict[str, Any], hint: str) -> list[str]:
        """The names of the objects a value of `schema` can be (strings, the unexpanded ids, skipped)."""
        if "$ref" in schema:
            return [schema["$ref"][len(_REF):]]
        if "anyOf" in schema:
            return sorted({name for option in schema["anyOf"] for name in self.node(option, hint)})
        if schema.get("type") == "array":
            return self.node(schema["items"], hint)
        if schema.get("type") == "object" and "properties" in schema:
            self.inline[hint] = schema
            return [hint]
        return []

    def schema(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.inline.get(name) or self.schemas[name]
        return found

    def fields(self, name: str) -> dict[str, Any]:
        schema = self.schema(name)
        required = set(schema.get("required", ()))
        out: dict[str, Any] = {}
        for field in schema.get("x-expandableFields", ()):
            prop = schema["properties"][field]
            items = prop.get("items", {})
            entry: dict[str, Any] = {"to": self.node(prop, f"{name}.{field}")}
            if "x-expansionResources" in prop or "x-expansionResources" in items:
                entry["expands"] = True
            if field not in required:
                entry["optional"] = True
            out[field] = entry
        return out

    def walk(self, roots: list[str]) -> None:
        """Record every object a path of fewer than MAX_DEPTH segments can reach from `roots`."""
        level = list(roots)
        for _ in range(MAX_DEPTH):
            following: list[str] = []
            for name in level:
                if name in self.table:
                    continue
                self.table[name] = self.fields(name)
                following += [t for entry in self.table[name].values() for t in entry["to"]]
            level = following


def _returns(graph: _Graph, operation: dict[str, Any], key: str) -> list[str]:
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return graph.node(schema, key)


def derive_reads(spec: dict[str, Any]) -> dict[str, Any]:
    """Every GET and DELETE of the subset: query parameters, what it returns, the expansion graph."""
    graph = _Graph(spec["components"]["schemas"])
    operations: dict[str, Any] = {}
    roots: list[str] = []
    for path, methods in sorted(spec["paths"].items()):
        for method in ("get", "delete"):
            if method not in methods:
                continue
            key = f"{method.upper()} {path}"
            returns = _returns(graph, methods[method], key)
            operations[key] = {"query": _query_schema(methods[method]), "returns": returns}
            roots += returns
    for key in WRITES:
        method, path = key.split(" ", 1)
        roots += _returns(graph, spec["paths"][path][method.lower()], key)
    graph.walk(roots)
    # An object with nothing expandable is left out: its fields can end no path.
    expandable = {name: fields for name, fields in sorted(graph.table.items()) if fields}
    return {"operations": operations, "expandable": expandable, "max_depth": MAX_DEPTH}


def expansion_reads(spec: dict[str, Any], key: str, operation: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The expansion graph reachable from one operation's answer, read from the whole spec (no
    shipped file), and the objects that answer can be: what a request's `expand[]` is checked on."""
    graph = _Graph(spec["components"]["schemas"])
    returns = _returns(graph, operation, key)
    graph.walk(returns)
    return {"expandable": graph.table, "max_depth": MAX_DEPTH}, returns


def derive_writes(spec: dict[str, Any]) -> dict[str, Any]:
    graph = _Graph(spec["components"]["schemas"])
    routes = {}
    for key, name in WRITES.items():
        method, path = key.split(" ", 1)
        routes[key] = {"operation": name, "returns": _returns(graph, spec["paths"][path][method.lower()], key)}
    return {"operations": {name: _write_schema(spec, key) for key, name in WRITES.items()}, "routes": routes}


def _source(spec: dict[str, Any], path: Path) -> dict[str, Any]:
    return {"file": f"tests/data/{path.name}", "api_version": spec["info"]["version"],
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "made_by": "scripts/derive_practice_params.py"}


def documents(path: Path = SPEC) -> dict[str, dict[str, Any]]:
    """Both resource files, as written to assistant/resources/practice/."""
    spec = load(path)
    source = _source(spec, path)
    reads = {
        "about": ("The query parameters of every read (and delete) in Stripe's OpenAPI subset, what each "
                  "returns, and which fields can be expanded: the practice server refuses what Stripe "
                  "would (assistant/practice/validate.py). `expands`: the field is an id that becomes an "
                  "object; `optional`: left out unless expanded; any other listed field can only be passed "
                  "through on the way to one of those."),
        "source": source, **derive_reads(spec)}
    writes = {
        "about": ("The form parameters of the writes the practice server accepts, and what each returns, "
                  "derived from Stripe's OpenAPI subset (assistant/practice/validate.py checks them)."),
        "source": source, **derive_writes(spec)}
    return {"read_params.json": reads, "write_params.json": writes}


def derive() -> dict[str, Any]:
    """The write schemas alone, by operation name (what the handlers validate with)."""
    operations: dict[str, Any] = derive_writes(load())["operations"]
    return operations
