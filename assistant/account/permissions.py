"""Restricted-key permissions in the owner's words: `rak_billing_portal_write` is the Dashboard's
"Customer portal: Write", the row and level the owner changes on the restricted key's page.

The mapping is data (`resources/stripe/permissions.json`, checked by tests/test_permissions.py
against every permission the practice server asks for). It is read here, below the gateway's
errors, so a refusal can name the permission both ways; `assistant.knowledge.permissions`
gives the same words to the checks' wording.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any

from assistant.resources import read_text

FILE = ("stripe", "permissions.json")


@functools.cache
def table() -> Mapping[str, Any]:
    data: Mapping[str, Any] = json.loads(read_text(*FILE))["permissions"]
    return data


def dashboard_words(permission: str | None) -> str | None:
    """"Customer portal: Write" for `rak_billing_portal_write`; None for a name we do not know."""
    found = table().get(permission or "")
    return f"{found['resource']}: {found['level']}" if found else None


_NAME = re.compile(r"\brak_[a-z0-9_]+\b")


def in_dashboard_words(text: str) -> str:
    """`text` (Stripe's message of a refusal) with every permission it names as the Dashboard
    shows it: "... the 'Webhook Endpoints: Read' permission ..." (unknown names stay as they are)."""
    return _NAME.sub(lambda m: dashboard_words(m.group(0)) or m.group(0), text or "")
