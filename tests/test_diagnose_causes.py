"""Each failing cause of each check, produced by real Stripe-shaped data over real HTTP.

A practice account is loaded, one thing in it is broken the way owners break it, and the real
gateway, collection and checks must name that exact thing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from support.practice import diagnoser_for, scenario_request

from assistant.knowledge.checklist import check_ids
from assistant.practice.scenarios import Scenario, load_scenario
from assistant.practice.server import PracticeServer

Data = dict[str, Any]


def _test(s: Scenario) -> Data:
    return s.data["test"]


def _update(s: Scenario) -> Data:
    return _test(s)["configurations"][0]["features"]["subscription_update"]


def _first_price(s: Scenario) -> Data:
    price_id = _update(s)["products"][0]["prices"][0]
    return next(p for p in _test(s)["prices"] if p["id"] == price_id)


def _make_one_time(s: Scenario) -> str:
    price = _first_price(s)
    price.update(type="one_time", recurring=None)
    return price["id"]


def _eleven_products(s: Scenario) -> str:
    update = _update(s)
    template = update["products"][0]
    products = {p["id"]: p for p in _test(s)["products"]}
    base = products[template["product"]]
    for n in range(11 - len(update["products"])):
        clone = copy.deepcopy(base)
        clone["id"] = f"prod_extra{n:02d}AbCdEf"
        clone["name"] = f"Extra plan {n}"
        _test(s)["products"].append(clone)
        update["products"].append({**copy.deepcopy(template), "product": clone["id"], "prices": []})
    return "11"


def _no_products(s: Scenario) -> str:
    _update(s)["products"] = []
    return "no products"


def _no_allowed_updates(s: Scenario) -> str:
    _update(s)["default_allowed_updates"] = []
    return "default_allowed_updates"


def _disable_endpoints(s: Scenario) -> str:
    for endpoint in _test(s)["webhook_endpoints"]:
        endpoint["status"] = "disabled"
    return "customer.subscription.updated"


def _drop_deleted_event(s: Scenario) -> str:
    for endpoint in _test(s)["webhook_endpoints"]:
        endpoint["enabled_events"] = [
            e for e in endpoint["enabled_events"] if e != "customer.subscription.deleted"
        ] or ["customer.updated"]
    return "customer.subscription.deleted"


def _subscription(s: Scenario) -> Data:
    return next(x for x in _test(s)["subscriptions"] if x["customer"] == s.customer)


def _metered(s: Scenario) -> str:
    item = _subscription(s)["items"]["data"][0]
    item["price"]["recurring"]["usage_type"] = "metered"
    return _subscription(s)["id"]


def _send_invoice(s: Scenario) -> str:
    sub = _subscription(s)
    sub.update(collection_method="send_invoice", days_until_due=30)
    return sub["id"]


def _on_schedule(s: Scenario) -> str:
    sub = _subscription(s)
    sub["schedule"] = "sub_sched_1PracticeAbCdEf"
    return sub["id"]


def _no_login_page(s: Scenario) -> str:
    _test(s)["configurations"][0]["login_page"] = {"enabled": False, "url": None}
    return "login"


def _features_differ_in_live(s: Scenario) -> str:
    s.data["live"]["configurations"][0]["features"]["invoice_history"]["enabled"] = False
    return "features"


@dataclass(frozen=True)
class Cause:
    scenario: str
    check: str
    status: str
    break_it: Callable[[Scenario], str] | None = None
    request: dict[str, Any] = field(default_factory=dict)
    says: str | None = None  # expected in summary or details (else what break_it returns)


CAUSES = {
    "price not recurring": Cause("healthy", "portal.products", "fail", _make_one_time),
    "more than 10 products": Cause("healthy", "portal.products", "fail", _eleven_products),
    "product list empty": Cause("healthy", "portal.products", "fail", _no_products, says="product"),
    "no updates allowed": Cause("healthy", "portal.products", "fail", _no_allowed_updates,
                                says="neither the price nor the quantity"),
    "return URL not http(s)": Cause("no_return_url", "portal.return_url", "fail",
                                    request={"return_url": "javascript:alert(1)"}, says="javascript:alert(1)"),
    "return URL relative": Cause("no_return_url", "portal.return_url", "fail",
                                 request={"return_url": "/account"}, says="/account"),
    "every endpoint disabled": Cause("healthy", "webhooks.events", "warn", _disable_endpoints),
    "one portal event missing": Cause("healthy", "webhooks.events", "warn", _drop_deleted_event),
    "login link off": Cause("healthy", "portal.login_link", "skip", _no_login_page),
    "test and live features differ": Cause("healthy", "parity.test_live", "fail", _features_differ_in_live,
                                           says="invoices: on in test mode, off in live mode"),
    "metered price: cancel only": Cause("healthy", "customer.subscriptions", "warn", _metered),
    "invoices sent for collection: cancel only": Cause("healthy", "customer.subscriptions", "warn", _send_invoice),
    "on a schedule: no changes at all": Cause("healthy", "customer.subscriptions", "warn", _on_schedule),
    "customer in neither mode": Cause("healthy", "customer.found", "fail",
                                      request={"customer": "cus_NoSuchCustomer01"}, says="cus_NoSuchCustomer01"),
    "e-mail matching nobody": Cause("healthy", "customer.found", "fail",
                                    request={"customer": "nobody@customer.example"}, says="nobody@customer.example"),
    "expired key": Cause("healthy", "key.accepted", "fail",
                         request={"key": "sk_test_practice_rolled_0000"}, says="expired"),
    "unknown key": Cause("healthy", "key.accepted", "fail",
                         request={"key": "sk_test_practice_unknown_9999"}, says="Invalid API Key"),
    "publishable key": Cause("healthy", "key.format", "fail",
                             request={"key": "pk_test_practice_healthy_4242"}, says="publishable"),
    "webhook secret": Cause("healthy", "key.format", "fail",
                            request={"key": "whsec_practice_healthy_4242"}, says="webhook"),
    "key with a space inside": Cause("healthy", "key.format", "fail",
                                     request={"key": "sk_test_practice heal_4242"}, says="space"),
}


@pytest.mark.parametrize("name", list(CAUSES))
async def test_cause_is_detected_and_named(name: str) -> None:
    cause = CAUSES[name]
    scenario = load_scenario(cause.scenario)
    named = cause.break_it(scenario) if cause.break_it else None
    with PracticeServer(scenario) as server:
        outcome = await diagnoser_for(server).run_full(scenario_request(scenario, **cause.request))
    result = outcome.diagnosis.check(cause.check)
    assert result is not None
    assert result.status.value == cause.status, (result.summary, result.details)
    text = " ".join([result.summary, *result.details]).lower()
    assert (cause.says or named or "").lower() in text
    if cause.status in ("warn", "fail"):
        assert result.fix, "a problem without a next step"
    # Nothing else broke because of it: every other check still produced a result.
    assert [c.id for c in outcome.diagnosis.checks] == list(check_ids())
    assert all(c.status.value != "error" for c in outcome.diagnosis.checks if c.id != cause.check)
