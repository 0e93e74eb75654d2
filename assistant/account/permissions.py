"""Restricted-key permissions in the owner's words: `rak_billing_portal_write` is the Dashboard's
"Customer portal: Write", the row and level the owner changes on the restricted key's page.

The names come from `resources/permissions.json` (data, checked by a test), so a permission
Stripe adds later reads as Stripe wrote it rather than wrongly.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from assistant.resources import read_text

_NAME = re.compile(r"rak_([a-z0-9_]+?)_(read|write)")


@functools.cache
def _table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read_text("permissions.json"))
    return data


def dashboard_words(permission: str | None) -> str | None:
    """"Customer portal: Write" for `rak_billing_portal_write`; None for a name we do not know."""
    m = _NAME.fullmatch(permission or "")
    if not m:
        return None
    table = _table()
    resource = table["resources"].get(m.group(1))
    level = table["levels"].get(m.group(2))
    if resource is None or level is None:
        return None
    return f"{resource}: {level}"


def describe(permission: str | None) -> str:
    """The permission as an agent reads it out: Dashboard words first, Stripe's name after."""
    if not permission:
        return "a permission Stripe did not name"
    words = dashboard_words(permission)
    return f"{words} ({permission})" if words else permission
