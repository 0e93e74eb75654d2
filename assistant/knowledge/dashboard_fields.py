"""The name a person knows a Stripe field by, wherever a change to it is said: the fix preview
(CLI and window), the ticket note's list of changes, and History's change lines.

An owner reading "Default redirect link: (none) → https://…" finds the setting in the Dashboard;
`default_return_url` is the API's word for it. The names are data, declared once
(`resources/stripe/dashboard_fields.json`, with where and when they were checked); a field
without one is said as Stripe spells it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from assistant.resources import read_text

FILE = ("stripe", "dashboard_fields.json")


@functools.cache
def _data() -> Mapping[str, Any]:
    data: Mapping[str, Any] = json.loads(read_text(*FILE))
    return data


def declared(field: str, object_kind: str = "") -> str | None:
    """The declared name (a template holding `{name}` for some), for `kind:field` first, else
    `field`; None when the field has none."""
    names: Mapping[str, str] = _data()["fields"]
    found = names.get(f"{object_kind}:{field}") if object_kind else None
    return found if found is not None else names.get(field)


def field_name(field: str, object_kind: str = "", name: str = "") -> str:
    """"Default redirect link" for `default_return_url`, "Price Pro Yearly — …" for a price's
    `active` (`name`: the owner's name for the object, or its id); the field itself when it has
    no name."""
    template = declared(field, object_kind)
    return field if template is None else template.format(name=name).strip()


def source() -> tuple[str, str]:
    """(page, date checked)."""
    return str(_data()["source"]), str(_data()["checked"])
