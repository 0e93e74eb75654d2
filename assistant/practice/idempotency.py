"""Stripe's idempotency for the practice server's writes: the first answer to a key is replayed
for the same request, and the key is refused for a different one.

Only answers from a write that ran are kept (as on Stripe, a request refused before the
endpoint started, for its key, permissions or parameters, can be retried with the same key).
Keys are scoped to the API key that sent them; `Store.reset()` forgets them with the data.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from assistant.practice.store import Store, StripeError


def _fingerprint(method: str, path: str, params: dict[str, Any]) -> str:
    return json.dumps([method, path, params], sort_keys=True)


def replayed(store: Store, api_key: str, idem_key: str, method: str, path: str,
             params: dict[str, Any]) -> dict[str, Any] | None:
    """The kept answer for this key and request, None for a new key; StripeError when the key
    was used for another request."""
    with store.lock:
        kept = store.idempotent.get((api_key, idem_key))
    if kept is None:
        return None
    if kept[:3] != (method, path, _fingerprint(method, path, params)):
        raise StripeError(
            400, "Keys for idempotent requests can only be used with the same parameters they were first used "
                 f"with. Try using a key other than '{idem_key}' if you meant to execute a different request.",
            type="idempotency_error")
    return copy.deepcopy(kept[3])


def remember(store: Store, api_key: str, idem_key: str, method: str, path: str, params: dict[str, Any],
             payload: dict[str, Any]) -> None:
    with store.lock:
        store.idempotent[(api_key, idem_key)] = (method, path, _fingerprint(method, path, params),
                                                 copy.deepcopy(payload))
