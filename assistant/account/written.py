"""What a write to Stripe answered: the object as Stripe now holds it and the request's id.

Plain data, so the fix runner (which never sees the gateway) can record the request id and
compare what Stripe holds with what the plan said it would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Written:
    obj: dict[str, Any] = field(default_factory=dict)
    request_id: str | None = None


@dataclass(frozen=True)
class AskedSession:
    """What an ask keeps of the portal session Stripe created: its id and the request's id.
    Never the session's URL: it logs anyone who has it into the customer's portal, so the
    gateway drops it before this is made."""

    session_id: str
    request_id: str | None = None
