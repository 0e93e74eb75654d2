"""Which payment method types the customer portal supports, as data in `resources/stripe/`.

Stripe keeps the list on its portal integration guide and adds types over time; keeping it as
data (with where and when it was checked) lets the next review update it without touching the
check that reads it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from assistant.resources import read_text

FILE = ("stripe", "portal_payment_methods.json")


@functools.cache
def _data() -> Mapping[str, Any]:
    data: Mapping[str, Any] = json.loads(read_text(*FILE))
    return data


def supported_types() -> frozenset[str]:
    return frozenset(_data()["supported"])


def is_supported(pm_type: str) -> bool:
    return pm_type in supported_types()


def type_name(pm_type: str) -> str:
    """What the owner calls it ("SEPA Direct Debit"); Stripe's own word when we have no name."""
    found: str = _data()["names"].get(pm_type, pm_type)
    return found


def source() -> tuple[str, str]:
    """(page, date checked)."""
    return str(_data()["source"]), str(_data()["checked"])
