"""What each answer must look like before collection or a check reads it.

A server that is not quite Stripe (a proxy, a stand-in, a broken release) can answer 200 with a
list without `data`, an item without `id`, or `features: "oops"`. Reading such an answer blindly
ends the whole run on a KeyError; checking its shape here turns it into one section's error with
a sentence naming the request, and the other sections go on. Only the fields the diagnosis reads
are described, with the JSON types Stripe's API reference gives them; anything else is ignored.

Messages name paths of our own choosing (`data[0].id`), never a value from the answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.account.errors import MalformedAnswer

_NULL = type(None)


@dataclass(frozen=True)
class Field:
    types: tuple[type, ...]
    required: bool = False


def _req(*types: type) -> Field:
    return Field(types, required=True)


def _opt(*types: type) -> Field:
    return Field(types)


Shape = Mapping[str, Field]

# Parents come before their children: a child is only looked at once its parent has the right type.
ACCOUNT: Shape = {
    "id": _req(str),
    "email": _opt(str),
    "business_profile": _opt(dict),
    "business_profile.name": _opt(str),
    "settings": _opt(dict),
    "settings.dashboard": _opt(dict),
    "settings.dashboard.display_name": _opt(str),
}
_FEATURES = ("customer_update", "invoice_history", "payment_method_update", "subscription_cancel",
             "subscription_pause")
_UPDATE = "features.subscription_update"
CONFIGURATION: Shape = {
    "id": _req(str),
    "active": _opt(bool),
    "is_default": _opt(bool),
    "name": _opt(str),
    "default_return_url": _opt(str),
    "business_profile": _opt(dict),
    "login_page": _opt(dict),
    "login_page.enabled": _opt(bool),
    "login_page.url": _opt(str),
    "features": _req(dict),
    **{f"features.{name}": _opt(dict) for name in _FEATURES},
    _UPDATE: _opt(dict),
    f"{_UPDATE}.enabled": _opt(bool),
    f"{_UPDATE}.default_allowed_updates": _opt(list),
    f"{_UPDATE}.default_allowed_updates[]": _req(str),
    f"{_UPDATE}.trial_update_behavior": _opt(str),
    # Settings of 2024-2026 that portal.features shows and parity.test_live compares.
    f"{_UPDATE}.billing_cycle_anchor": _opt(str),
    f"{_UPDATE}.proration_behavior": _opt(str),
    f"{_UPDATE}.schedule_at_period_end": _opt(dict),
    f"{_UPDATE}.schedule_at_period_end.conditions": _opt(list),
    f"{_UPDATE}.schedule_at_period_end.conditions[]": _req(dict),
    "features.payment_method_update.payment_method_configuration": _opt(str),
    "features.subscription_pause.duration": _opt(dict),
    f"{_UPDATE}.products": _opt(list),
    f"{_UPDATE}.products[]": _req(dict),
    f"{_UPDATE}.products[].product": _req(str, dict),
    f"{_UPDATE}.products[].prices": _opt(list),
    f"{_UPDATE}.products[].prices[]": _req(str, dict),
    f"{_UPDATE}.products[].adjustable_quantity": _opt(dict),
}
WEBHOOK_ENDPOINT: Shape = {
    "id": _req(str),
    "url": _opt(str),
    "status": _opt(str),
    "enabled_events": _opt(list),
    "enabled_events[]": _req(str),
}
PRODUCT: Shape = {"id": _req(str), "name": _opt(str), "active": _opt(bool)}
PRICE: Shape = {
    "id": _req(str),
    "active": _opt(bool),
    "product": _opt(str, dict),
    "nickname": _opt(str),
    "recurring": _opt(dict),
    "type": _opt(str),
    "currency": _opt(str),
    "tax_behavior": _opt(str),
}
_LIST_OF_OBJECTS: Shape = {"data": _opt(list), "data[]": _req(dict), "has_more": _opt(bool)}
CUSTOMER: Shape = {
    "id": _req(str),
    "email": _opt(str),
    "deleted": _opt(bool),
    "created": _opt(int),
    "subscriptions": _opt(dict),
    **{f"subscriptions.{path}": field for path, field in _LIST_OF_OBJECTS.items()},
    "invoice_settings": _opt(dict),
    "invoice_settings.default_payment_method": _opt(str, dict),
}
SUBSCRIPTION: Shape = {
    "id": _req(str),
    "status": _opt(str),
    "items": _opt(dict),
    **{f"items.{path}": field for path, field in _LIST_OF_OBJECTS.items()},
    "items.data[].price": _opt(dict),
    "collection_method": _opt(str),
    "schedule": _opt(str, dict),
    "default_payment_method": _opt(str, dict),
    "trial_end": _opt(int),
    "on_behalf_of": _opt(str, dict),
    "customer_account": _opt(str),
}
# A portal event: what integration.sessions and webhooks.delivery read.
EVENT: Shape = {
    "id": _req(str),
    "type": _req(str),
    "created": _req(int),
    "pending_webhooks": _opt(int),
    "livemode": _opt(bool),
    "data": _req(dict),
    "data.object": _req(dict),
}

# Accounts v2 (`GET /v2/core/accounts/{id}`, `include[]=configuration.customer`): a customer-
# configured Account stands for the customer. `created` is an RFC 3339 string in v2.
V2_ACCOUNT: Shape = {
    "id": _req(str),
    "applied_configurations": _opt(list),
    "applied_configurations[]": _req(str),
    "contact_email": _opt(str),
    "display_name": _opt(str),
    "created": _opt(str),
    "closed": _opt(bool),
    "configuration": _opt(dict),
    "configuration.customer": _opt(dict),
    "configuration.customer.applied": _opt(bool),
    "configuration.customer.billing": _opt(dict),
    "configuration.customer.billing.default_payment_method": _opt(str),
}
# `GET /v2/core/event_destinations`: where else the account's events go (EventBridge, Event Grid).
EVENT_DESTINATION: Shape = {
    "id": _req(str),
    "name": _opt(str),
    "type": _req(str),
    "status": _opt(str),
    "event_payload": _opt(str),
    "enabled_events": _opt(list),
    "enabled_events[]": _req(str),
    "events_from": _opt(list),
    "events_from[]": _req(str),
    "snapshot_api_version": _opt(str),
    "webhook_endpoint": _opt(dict),
    "webhook_endpoint.url": _opt(str),
    "amazon_eventbridge": _opt(dict),
    "azure_event_grid": _opt(dict),
}

_TYPE_WORDS = {dict: "an object", list: "an array", str: "a string", bool: "true or false",
               int: "a number", float: "a number", _NULL: "null"}


def _word(value: Any) -> str:
    for kind, word in _TYPE_WORDS.items():
        if type(value) is kind or (kind is dict and isinstance(value, dict)):
            return word
    return "something else"


def _walk(node: Any, parts: list[str], where: str) -> Iterator[tuple[str, Any, bool]]:
    """(path, value, present) for every place `parts` names inside `node`."""
    head, rest = parts[0], parts[1:]
    each = head.endswith("[]")
    name = head[:-2] if each else head
    if not isinstance(node, dict):
        return
    here = f"{where}.{name}" if where else name
    value = node.get(name)
    if each:
        if isinstance(value, list):
            for i, item in enumerate(value):
                if rest:
                    yield from _walk(item, rest, f"{here}[{i}]")
                else:
                    yield f"{here}[{i}]", item, True
        return
    if rest:
        if value is not None:
            yield from _walk(value, rest, here)
        return
    yield here, value, name in node


def _matches(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):  # JSON true is not a number
        return bool in types
    return isinstance(value, types)


def problem(obj: Any, shape: Shape, where: str = "") -> str | None:
    """What is wrong with `obj` against `shape`, in a few words; None when nothing is."""
    if not isinstance(obj, dict):
        return f"{where or 'the answer'} is {_word(obj)}, not an object"
    for path, field in shape.items():
        for here, value, present in _walk(obj, path.split("."), where):
            if value is None:
                if field.required:
                    return f"`{here}` is {'null' if present else 'missing'}"
                continue
            if not _matches(value, field.types):
                wanted = " or ".join(_TYPE_WORDS[t] for t in field.types)
                return f"`{here}` is {_word(value)}, not {wanted}"
    return None


def not_documented(request: str, what: str) -> MalformedAnswer:
    return MalformedAnswer(
        f"Stripe's answer to {request} was not what the API documents ({what}), so that part "
        "could not be checked."
    )


def checked_object(body: Any, request: str, shape: Shape) -> dict[str, Any]:
    """The answer to a retrieve, or MalformedAnswer naming what is wrong with it."""
    wrong = problem(body, shape)
    if wrong is not None:
        raise not_documented(request, wrong)
    return dict(body)


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    has_more: bool


@dataclass(frozen=True)
class V2Page:
    items: list[dict[str, Any]]
    next_page_url: str | None


def checked_v2_page(body: Any, request: str, item_shape: Shape) -> V2Page:
    """One page of a v2 list: `data` and `next_page_url` (null on the last page), no `has_more`."""
    data = _list_data(body, request)
    following = body.get("next_page_url")
    if following is not None and not isinstance(following, str):
        raise not_documented(request, f"`next_page_url` is {_word(following)}, not a string or null")
    return V2Page(items=_checked_items(data, request, item_shape), next_page_url=following or None)


def checked_page(body: Any, request: str, item_shape: Shape) -> Page:
    """One page of a list answer, every item checked against `item_shape`."""
    data = _list_data(body, request)
    has_more = body.get("has_more", False)
    if not isinstance(has_more, bool):
        raise not_documented(request, f"`has_more` is {_word(has_more)}, not true or false")
    return Page(items=_checked_items(data, request, item_shape), has_more=has_more)


def _list_data(body: Any, request: str) -> list[Any]:
    """The `data` array of a list answer (v1 or v2)."""
    if not isinstance(body, dict):
        raise not_documented(request, f"the answer is {_word(body)}, not a list object")
    data = body.get("data")
    if not isinstance(data, list):
        what = "`data` is missing" if "data" not in body else f"`data` is {_word(data)}, not an array"
        raise not_documented(request, what)
    return data


def _checked_items(data: list[Any], request: str, item_shape: Shape) -> list[dict[str, Any]]:
    for i, item in enumerate(data):
        wrong = problem(item, item_shape, f"data[{i}]")
        if wrong is not None:
            raise not_documented(request, wrong)
    return [dict(item) for item in data]
