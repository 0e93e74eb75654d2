"""Every request the app sends is one Stripe's own OpenAPI spec accepts (issue 23, item 11).

Each practice account is diagnosed over real HTTP as the window does it (both keys, the customer
by id and by e-mail, a portal session opened for them), every fix its plan can apply is applied
and undone through `main.py fix`, and Stripe is asked about every portal flow of its customer
through `main.py ask` (deep links, `flow_data`, with a confirmed switch where one can be named).
The practice server's request log is then replayed through
tests/data/spec3.2026-05-27.subset.json by `support.spec.request_problems`: the path must
be one of the spec's operations, every parameter one it declares and of its type (booleans,
integers, enums, lists), every expansion one the answer's objects allow. That check reads the
whole spec with jsonschema, not the practice server's derived files, so it holds the app to
Stripe's spec even where the practice server were lenient.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from support.ask_cli import ask_cli
from support.cli import cli
from support.practice import diagnoser_for, practice, scenario_request
from support.spec import request_problems

from assistant.account.gateway import StripeGateway
from assistant.account.gateway.client import WRITES
from assistant.practice import PracticeServer
from assistant.practice.scenarios import Scenario, list_scenarios

SCENARIOS = [info.name for info in list_scenarios()]
INPUTS = ["--return-url", "https://app.practice.example/billing",
          "--webhook-url", "https://app.practice.example/stripe/hooks",
          # Legal pages on a real-looking domain: the fix refuses a placeholder such as .example.
          "--privacy-url", "https://www.northwindyoga.studio/privacy",
          "--terms-url", "https://www.northwindyoga.studio/terms"]


@pytest.fixture(autouse=True)
def _own_history(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Applied fixes are recorded in a history of this test's own."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def problems_in_log(server: PracticeServer) -> list[str]:
    """Every Stripe API request the server was sent that the spec would not accept (the portal
    page a browser opens is not an API request)."""
    sent = [(method, path, params) for method, path, params, _ in server.request_log
            if path.startswith(("/v1/", "/v2/"))]
    assert sent, "nothing was sent: the run did not reach the practice server"
    return [problem for request in sent for problem in request_problems(*request)]


def _customer_email(scenario: Scenario, server: PracticeServer) -> str | None:
    customer = scenario.customer or ""
    if not customer.startswith("cus_"):
        return None
    mode = "live" if "_live_" in scenario.primary_key else "test"
    found = server.store.find(mode, "customers", customer)
    return (found or {}).get("email")


async def _open_portal(scenario: Scenario, server: PracticeServer) -> None:
    """What "Open the portal" sends; the practice server may refuse it (no configuration, no
    such customer): the request is checked all the same."""
    if not (scenario.customer or "").startswith("cus_"):
        return
    gateway = StripeGateway(scenario.primary_key, api_base=server.base_url, max_retries=0)
    try:
        await gateway.create_portal_session(scenario.customer or "", return_url=scenario.return_url)
    except Exception:  # a refusal is the practice account's answer, not this test's concern
        pass
    finally:
        await gateway.aclose()


async def _diagnose_as_the_window_does(scenario: Scenario, server: PracticeServer) -> None:
    diagnoser = diagnoser_for(server)
    await diagnoser.run_full(scenario_request(scenario))
    email = _customer_email(scenario, server)
    if email:
        await diagnoser.run_full(scenario_request(scenario, customer=email))
    await _open_portal(scenario, server)


@pytest.mark.parametrize("name", SCENARIOS)
async def test_every_request_of_a_diagnosis_is_one_stripes_spec_accepts(name: str) -> None:
    with practice(name) as (scenario, server):
        await _diagnose_as_the_window_does(scenario, server)
        assert problems_in_log(server) == []


def _fix(server: PracticeServer, scenario: Scenario, *argv: str) -> dict[str, Any]:
    confirm = ["--live-confirm", str(scenario.account.get("id"))] if "_live_" in scenario.primary_key else []
    result = cli(["--format", "json", "--api-base", server.base_url, *INPUTS, *confirm, *argv],
                 env={"STRIPE_API_KEY": scenario.primary_key}, command="fix")
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


def _apply_each_fix_and_undo_it(scenario: Scenario, server: PracticeServer) -> int:
    """Every fix of the plan that writes, each from the account as served, then its undo; the
    number applied."""
    plan = _fix(server, scenario)
    writes = [f["id"] for f in plan["fixes"] if f["kind"] == "api" and not f["needs"]]
    for fix_id in writes:
        server.reset()
        applied = _fix(server, scenario, "--apply", fix_id, "--yes")["applied"]
        for change in applied:
            if change.get("change_id"):
                _fix(server, scenario, "--undo", change["change_id"], "--yes")
    return len(writes)


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_write_of_every_fix_and_undo_is_one_stripes_spec_accepts(name: str) -> None:
    with practice(name) as (scenario, server):
        _apply_each_fix_and_undo_it(scenario, server)
        assert problems_in_log(server) == []


ASK_PRICE = "price_1PrcvYfY0crZLwnMFlYzO7Xl"  # on most practice accounts' plan list


def _ask_every_flow(scenario: Scenario, server: PracticeServer) -> None:
    """`main.py ask` on the account's customer, with a switch to a price when the customer has
    one subscription to switch (otherwise without): the asks the practice server refuses are
    checked all the same."""
    confirm = ["--live-confirm", str(scenario.account.get("id"))] if "_live_" in scenario.primary_key else []
    base = ["--format", "json", "--return-url", "https://app.practice.example/billing", *confirm]
    if ask_cli([*base, "--price", ASK_PRICE], server).code == 2:
        ask_cli(base, server)


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_request_of_an_ask_is_one_stripes_spec_accepts(name: str) -> None:
    with practice(name) as (scenario, server):
        _ask_every_flow(scenario, server)
        assert problems_in_log(server) == []


def test_the_asks_replayed_send_every_flow_type() -> None:
    """The replay above covers each `flow_data` shape the app sends, the confirmed switch included."""
    with practice("healthy") as (scenario, server):
        _ask_every_flow(scenario, server)
        flows = {params["flow_data"]["type"] for method, _path, params, _key in server.request_log
                 if method == "POST"}
    assert flows == {"payment_method_update", "subscription_cancel", "subscription_update",
                     "subscription_update_confirm"}


def test_the_fixes_replayed_send_every_write_the_gateway_may_send() -> None:
    """The writes checked above include every kind on the gateway's allow-list (configurations,
    endpoints created, changed and deleted, prices and products), so none goes unchecked."""
    attempts: list[tuple[str, str]] = []
    for name in ("archived_product", "inactive_price", "no_webhooks", "webhook_events_missing"):
        with practice(name) as (scenario, server):
            assert _apply_each_fix_and_undo_it(scenario, server)
            attempts += [(method, path) for method, path, _ in server.write_attempts]
    unsent = [f"{w.method} {w.path.pattern}" for w in WRITES
              if not any(method == w.method and w.path.fullmatch(path) for method, path in attempts)]
    assert unsent == []


@pytest.mark.parametrize(("method", "path", "params", "words"), [
    ("GET", "/v1/customers", {"emails": "ada@example.com"}, "'emails' was unexpected"),
    ("GET", "/v1/billing_portal/configurations", {"active": "True"}, "'True' is not of type 'boolean'"),
    ("GET", "/v1/subscriptions", {"status": "sleeping"}, "'sleeping' is not one of"),
    ("GET", "/v1/customers/cus_1", {"expand": ["subscriptions.data.plan"]}, "cannot be expanded (plan)"),
    ("GET", "/v1/customers", {"expand": ["subscriptions"]}, "expanding 'data.subscriptions'"),
    ("GET", "/v1/events", {"types": "customer.updated"}, "is not of type 'array'"),
    ("POST", "/v1/billing_portal/configurations/bpc_1", {"features": {"subscription_pause": {"enabled": "true"}}},
     "'subscription_pause' was unexpected"),
    ("GET", "/v1/invoices", {}, "no such operation"),
])
def test_the_check_refuses_what_stripes_spec_does_not_accept(method: str, path: str, params: dict[str, Any],
                                                             words: str) -> None:
    """The replay above can fail: each of these is a request Stripe would refuse."""
    problems = request_problems(method, path, params)
    assert len(problems) == 1 and words in problems[0], problems


def test_a_bad_parameter_sent_by_the_app_is_caught_by_the_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    """A gateway that slipped an unknown filter into a read would be caught: the practice server
    refuses it as Stripe does, and the replay names it."""
    async def with_a_typo(self: StripeGateway) -> list[dict[str, Any]]:
        return await self._list_all("/v1/webhook_endpoints", {"enabled": True}, {})

    monkeypatch.setattr(StripeGateway, "webhook_endpoints", with_a_typo)
    with practice("healthy") as (scenario, server):
        asyncio.run(diagnoser_for(server).run_full(scenario_request(scenario)))
        problems = problems_in_log(server)
    assert problems and all("'enabled' was unexpected" in p for p in problems), problems
