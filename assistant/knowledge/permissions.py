"""Restricted-key permissions in the words the owner sees in the Dashboard.

Stripe's 403 names a permission as `rak_customer_portal_write`; the Dashboard's key editor shows
"Customer portal" set to None, Read or Write. The agent says the Dashboard's words and keeps
Stripe's name as evidence. The mapping is data (`resources/stripe/permissions.json`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from assistant.resources import read_text

FILE = ("stripe", "permissions.json")


@functools.cache
def _data() -> Mapping[str, Any]:
    data: Mapping[str, Any] = json.loads(read_text(*FILE))
    return data


def known() -> tuple[str, ...]:
    return tuple(_data()["permissions"])


def dashboard_words(permission: str) -> str:
    """ "Customer portal: Write"; for a name we do not know, Stripe's own name."""
    found = _data()["permissions"].get(permission)
    if not found:
        return permission
    return f"{found['resource']}: {found['level']}"
