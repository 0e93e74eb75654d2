"""The name a person knows a Stripe field by, for the ticket note's list of changes.

An owner reading "Default redirect link: (none) → https://…" finds the setting in the Dashboard;
`default_return_url` is the API's word for it. The names are data (`resources/stripe/`, with
where and when they were checked); a field without one is said as Stripe spells it.
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


def field_name(field: str) -> str:
    """"Default redirect link" for `default_return_url`; the field itself when it has no name."""
    found: str = _data()["fields"].get(field, field)
    return found


def source() -> tuple[str, str]:
    """(page, date checked)."""
    return str(_data()["source"]), str(_data()["checked"])
