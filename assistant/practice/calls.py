"""What every endpoint function gets (`Call`) and the errors several of them answer alike."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from assistant.practice.params import as_list
from assistant.practice.scenarios import PracticeKey
from assistant.practice.store import Store, StripeError

NOUN = {
    "customers": "customer", "products": "product", "prices": "price", "subscriptions": "subscription",
    "webhook_endpoints": "webhook endpoint", "configurations": "configuration",
}


@dataclass
class Call:
    """One authenticated request, as the endpoint functions see it."""

    method: str
    path: str
    params: dict[str, Any]
    key: PracticeKey
    match: re.Match[str]
    base_url: str

    @property
    def mode(self) -> str:
        return self.key.mode

    @property
    def expand(self) -> list[str]:
        return [str(e) for e in as_list(self.params.get("expand"))]


def missing_error(store: Store, call: Call, collection: str, obj_id: str, *, status: int = 404,
                  param: str = "id") -> StripeError:
    message = f"No such {NOUN[collection]}: '{obj_id}'"
    other = "live" if call.mode == "test" else "test"
    if store.find(other, collection, obj_id) is not None:
        message += (f"; a similar object exists in {other} mode, but a {call.mode} mode key was used to make this "
                    "request.")
    return StripeError(status, message, code="resource_missing", param=param)


def valid_url(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in url
