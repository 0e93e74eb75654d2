"""The v2 endpoints the app reads, as Stripe's v2 answers them: JSON objects with RFC 3339
times, lists as `data` + `next_page_url` (no `has_more`), `include` instead of `expand`, and
errors as `{"error": {"type", "code", "message"}}` (`V2Error`).

- `GET /v2/core/accounts/{id}`: a customer-configured Account (Accounts v2). Its
  `configuration.customer` is only in the answer when `include` asks for it.
- `GET /v2/core/event_destinations`: where the account's events go (webhook endpoints, Amazon
  EventBridge, Azure Event Grid); a webhook destination's URL only with
  `include=webhook_endpoint.url`.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlencode

from assistant.practice.calls import Call
from assistant.practice.params import as_list
from assistant.practice.store import Store, V2Error

_PAGE_SIZE = 20  # Stripe's v2 lists default to 20 a page
_INCLUDABLE_CONFIGURATIONS = ("customer", "merchant", "recipient")


def _included(call: Call) -> set[str]:
    return {str(v) for v in as_list(call.params.get("include"))}


def get_v2_account(store: Store, call: Call) -> dict[str, Any]:
    account_id = call.match.group(1)
    if account_id.startswith("cus_"):
        raise V2Error(400, "V1 Customer ID cannot be used in V2 Account APIs.",
                      code="v1_customer_instead_of_v2_account")
    found = store.find(call.mode, "accounts", account_id)
    if found is None:
        raise V2Error(404, "The resource wasn't found.", code="not_found")
    include = _included(call)
    configuration = found.get("configuration") or {}
    found["configuration"] = {name: value for name, value in configuration.items()
                              if name in _INCLUDABLE_CONFIGURATIONS and f"configuration.{name}" in include}
    return found


def list_event_destinations(store: Store, call: Call) -> dict[str, Any]:
    objs = sorted(store.objects(call.mode, "event_destinations"), key=lambda o: (o["created"], o["id"]))
    try:
        limit = int(call.params.get("limit") or _PAGE_SIZE)
        start = int(call.params.get("page") or 0)
    except ValueError:
        raise V2Error(400, "The page or limit given is not valid.", code="invalid_request") from None
    page = objs[start:start + limit]
    with_url = "webhook_endpoint.url" in _included(call)
    data = [_destination(o, with_url) for o in page]
    after = start + limit
    return {
        "data": data,
        "next_page_url": _page_url(call, after) if after < len(objs) else None,
        "previous_page_url": _page_url(call, max(start - limit, 0)) if start > 0 else None,
    }


def _destination(obj: dict[str, Any], with_url: bool) -> dict[str, Any]:
    out = copy.deepcopy(obj)
    hook = out.get("webhook_endpoint")
    if isinstance(hook, dict) and not with_url:
        hook.pop("url", None)
    return out


def _page_url(call: Call, start: int) -> str:
    query = {"page": str(start)}
    if call.params.get("limit"):
        query["limit"] = str(call.params["limit"])
    return f"{call.path}?{urlencode(query)}"
