"""How many dependent rounds of requests a diagnosis waits for, counted over real HTTP.

A request's round is one more than the highest round among the requests that had already
answered when it was sent: requests sent together are one round, a request that needed an
answer first is the next. The practice server answers each request after the same short delay,
so independent requests of one round finish together and are not mistaken for a chain. The
timings themselves are measured in benchmarks/, not here.
"""

from __future__ import annotations

import asyncio
import copy
import gc
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from assistant.account.collect import collect_snapshot
from assistant.account.gateway import StripeGateway
from assistant.account.keys import classify_key
from assistant.diagnosis.checks.webhooks import PORTAL_EVENTS
from assistant.practice.scenarios import Scenario, load_scenario
from assistant.practice.server import PracticeServer


class RoundCounter:
    """Wraps the real gateway; records each call's round as defined above."""

    def __init__(self, inner: StripeGateway) -> None:
        self._inner = inner
        self.calls: list[tuple[str, int]] = []
        self._done: list[int] = []

    @property
    def request_count(self) -> int:
        return self._inner.request_count

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        method = getattr(self._inner, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            round_no = 1 + max(self._done, default=0)
            self.calls.append((name, round_no))
            try:
                return await method(*args, **kwargs)
            finally:
                self._done.append(round_no)

        return counted

    @property
    def rounds(self) -> int:
        return max(r for _, r in self.calls)


async def _collect(scenario: Scenario) -> tuple[RoundCounter, Any]:
    with PracticeServer(scenario, latency=0.1) as server:
        gateway = StripeGateway(scenario.primary_key, api_base=server.base_url)
        counter = RoundCounter(gateway)
        try:
            snapshot = await collect_snapshot(counter, classify_key(scenario.primary_key),  # type: ignore[arg-type]
                                              scenario.customer, watched_events=PORTAL_EVENTS)
        finally:
            await gateway.aclose()
    return counter, snapshot


@pytest.mark.parametrize("name", ["big_catalogue", "healthy", "paused_subscription", "configurations_per_visit"])
async def test_a_catalogue_that_fits_one_page_is_read_in_one_round(name: str) -> None:
    counter, snapshot = await _collect(load_scenario(name))
    assert counter.rounds == 1, counter.calls
    assert {n for n, _ in counter.calls} >= {
        "account", "default_portal_configuration", "portal_configurations_page", "webhook_endpoints",
        "products_page", "prices_page",
        "session_events", "undelivered_events", "customer_expanded",
    }
    assert snapshot.catalogue_complete
    subs = snapshot.customer.subscriptions.value
    assert subs and all(isinstance(s.get("items"), dict) for s in subs)


def _bury_the_catalogue(scenario: Scenario, extra: int = 120) -> None:
    """Newer products and prices push the offered ones off the first page of each list."""
    data = scenario.data["test"]
    template_product, template_price = data["products"][0], data["prices"][0]
    for n in range(extra):
        product = copy.deepcopy(template_product)
        product.update(id=f"prod_Filler{n:04d}xx", name=f"Filler {n}", created=1_800_000_000 + n)
        price = copy.deepcopy(template_price)
        price.update(id=f"price_1Filler{n:04d}AbCdEfGh", product=product["id"], created=1_800_000_000 + n)
        data["products"].append(product)
        data["prices"].append(price)


async def test_what_the_first_page_lacked_is_read_in_a_second_round_only() -> None:
    scenario = load_scenario("big_catalogue")
    _bury_the_catalogue(scenario)
    counter, snapshot = await _collect(scenario)
    assert counter.rounds == 2, counter.calls
    second = [n for n, r in counter.calls if r == 2]
    assert set(second) <= {"products", "prices"} and second, counter.calls
    assert not snapshot.catalogue_complete
    conf = snapshot.default_configuration
    offered = [p for e in conf["features"]["subscription_update"]["products"] for p in e["prices"]]
    assert all(p in snapshot.prices.value for p in offered)


async def test_a_customer_with_only_ended_subscriptions_costs_one_more_round_at_most() -> None:
    scenario = load_scenario("healthy")
    scenario.data["test"]["subscriptions"][0]["status"] = "canceled"  # type: ignore[index]
    _bury_the_catalogue(scenario)
    counter, snapshot = await _collect(scenario)
    assert counter.rounds == 2, counter.calls
    assert [s["status"] for s in snapshot.customer.subscriptions.value] == ["canceled"]


async def test_an_account_customer_and_the_event_destinations_cost_no_extra_round() -> None:
    """Issue 23: the customer-configured Account and its subscriptions both need only the id,
    and the event destinations nothing at all: all three go in the first round."""
    counter, snapshot = await _collect(load_scenario("account_customer"))
    assert counter.rounds == 1, counter.calls
    first = {n for n, r in counter.calls if r == 1}
    assert {"customer_account", "subscriptions", "event_destinations", "webhook_endpoints"} <= first
    assert snapshot.customer.is_account and snapshot.customer.subscriptions.ok
    assert snapshot.event_destinations.ok


async def test_configurations_sessions_named_beyond_the_first_page_cost_one_more_round_at_most() -> None:
    scenario = load_scenario("configurations_per_visit")
    for event in scenario.data["test"]["events"]:  # type: ignore[union-attr]
        session = event["data"]["object"]
        if "G0" in session["configuration"]:
            session["configuration"] = "bpc_1PrcVisitCfgAbCdEfGhIjKG00001"  # the oldest made, not on page one
    counter, snapshot = await _collect(scenario)
    assert counter.rounds == 2, counter.calls
    assert [n for n, r in counter.calls if r == 2] == ["portal_configuration"]
    assert snapshot.configuration("bpc_1PrcVisitCfgAbCdEfGhIjKG00001") is not None


async def test_the_subscriptions_deep_links_act_on_are_read_in_the_second_round() -> None:
    counter, snapshot = await _collect(load_scenario("deep_link_plan_switching_off"))
    assert counter.rounds == 2, counter.calls
    assert [n for n, r in counter.calls if r == 2] == ["subscription"]
    assert set(snapshot.flow_subscriptions.value or {}) == {"sub_1Prcj5Ad0gKHaMyQU7OdrZIP"}


class _NeverAnswers:
    """A gateway whose every read waits forever: the run is cancelled before any answer."""

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        async def waits(*args: Any, **kwargs: Any) -> Any:
            await asyncio.Event().wait()

        return waits


@pytest.mark.parametrize("steps", [0, 1, 3])
async def test_a_run_cancelled_at_once_leaves_no_read_unawaited(
        steps: int, caplog: pytest.LogCaptureFixture) -> None:
    """Changing the key the moment a check starts cancels its run before the first round is
    sent: no read may be left behind as a coroutine that was never awaited (Python prints a
    RuntimeWarning on the agent's terminal and in the log for each)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        task = asyncio.ensure_future(collect_snapshot(
            _NeverAnswers(), classify_key("sk_test_" + "a" * 24),  # type: ignore[arg-type]
            "cus_A", watched_events=PORTAL_EVENTS))
        for _ in range(steps):
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        for _ in range(3):
            await asyncio.sleep(0)
        gc.collect()
    never_awaited = [str(w.message) for w in caught if "never awaited" in str(w.message)]
    assert never_awaited == []
    assert "Task was destroyed but it is pending" not in caplog.text  # no read left running
