"""A field's value as an agent reads it in a preview: plan lists as "product: prices", lists as
comma-separated words, no value as "(none)". Plain text: each front end makes it safe to show."""

from __future__ import annotations

import json
from typing import Any

NONE = "(none)"


def value_text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return NONE
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, dict) and "product" in v for v in value):
        return "; ".join(f"{v['product']}: {', '.join(v.get('prices') or []) or 'no prices'}" for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def object_text(object_id: str | None, object_kind: str) -> str:
    """"portal configuration bpc_…", "webhook endpoint we_…", "new webhook endpoint"."""
    kind = {"billing_portal.configuration": "portal configuration"}.get(object_kind, object_kind.replace("_", " "))
    return f"{kind} {object_id}" if object_id else f"new {kind}"
