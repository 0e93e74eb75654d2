"""The practice server speaks today's API (issue 23, item 11): it checks every request it routes
against Stripe's 2026-05-27 spec and refuses what Stripe refuses, in Stripe's error shape, with
Stripe's words: unknown parameters, bad booleans and enum words, expansions that do not exist; and
it accepts the configuration parameters added since 2023."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from support.spec import call, load_spec, validate
from support.spec_params import documents

from assistant.practice import PracticeServer, load_scenario
from assistant.practice.api import ROUTES
from assistant.practice.store import StripeError
from assistant.practice.validate import check_request, operation_of
from assistant.resources import read_text

CONF = "/v1/billing_portal/configurations/{configuration}"


@pytest.fixture
def server() -> Iterator[PracticeServer]:
    with PracticeServer(load_scenario("healthy")) as srv:
        yield srv


def _conf_id(server: PracticeServer) -> str:
    return str(call(server, "/v1/billing_portal/configurations")[1]["data"][0]["id"])


@pytest.mark.parametrize("name", ["read_params.json", "write_params.json"])
def test_the_shipped_files_are_derived_from_the_spec_in_tests_data(name: str) -> None:
    """`python scripts/derive_practice_params.py` writes them; a hand edit or a new spec shows here."""
    assert json.loads(read_text("practice", name)) == documents()[name]


def test_every_route_the_practice_server_answers_is_an_operation_of_the_spec() -> None:
    """So every request it routes is checked (a route the spec lacked would pass unchecked)."""
    for method, pattern, _, _ in ROUTES:
        path = re.sub(r"\(\[\^/\]\+\)", "x_1", pattern.pattern)
        assert operation_of(method, path), f"{method} {path}"


@pytest.mark.parametrize(("path", "params", "param", "code", "words"), [
    ("/v1/customers", {"emails": "ada@example.com"}, "emails", "parameter_unknown",
     "Received unknown parameter: emails"),
    ("/v1/billing_portal/configurations", {"active": "yes"}, "active", None, "Invalid boolean: yes"),
    ("/v1/billing_portal/configurations", {"is_default": "True"}, "is_default", None, "Invalid boolean: True"),
    ("/v1/prices", {"type": "monthly"}, "type", None, "Invalid type: must be one of one_time or recurring"),
    ("/v1/subscriptions", {"status": "sleeping"}, "status", None,
     ("Invalid status: must be one of active, all, canceled, ended, incomplete, incomplete_expired, past_due, "
      "paused, trialing, or unpaid")),
    ("/v1/events", {"created[gte]": "yesterday"}, "created[gte]", None, "Invalid integer: yesterday"),
    ("/v1/events", {"types": "customer.updated"}, "types", None, "Invalid array"),
    ("/v1/customers/search", {}, "query", "parameter_missing", "Missing required param: query."),
    ("/v1/webhook_endpoints", {"expand[0]": "data.url"}, None, None, "This property cannot be expanded (url)."),
    ("/v1/billing_portal/configurations", {"expand[0]": "data.features"}, None, None,
     "This property cannot be expanded (features)."),
    ("/v1/customers", {"expand[0]": "subscriptions"}, None, None,
     "This property cannot be expanded (subscriptions). You may want to try expanding 'data.subscriptions' instead."),
    ("/v1/customers", {"expand[0]": "data.subscriptions.data.schedule.customer"}, None, None,
     "You cannot expand more than 4 levels of a property."),
])
def test_a_read_stripe_would_refuse_is_refused_in_stripes_shape(
        server: PracticeServer, path: str, params: dict[str, str], param: str | None, code: str | None,
        words: str) -> None:
    status, body = call(server, path, params)
    assert status == 400
    validate(load_spec(), "/v1/customers", "get", body, status="default")
    error = body["error"]
    assert (error["type"], error["message"], error.get("param"), error.get("code")) == (
        "invalid_request_error", words, param, code)


@pytest.mark.parametrize(("path", "params"), [
    ("/v1/customers", {"expand[0]": "data.subscriptions", "expand[1]": "data.subscriptions.data.schedule",
                       "expand[2]": "data.invoice_settings.default_payment_method", "email": "x@example.com"}),
    ("/v1/billing_portal/configurations", {"active": "true", "is_default": "false",
                                           "expand[0]": "data.features.subscription_update.products"}),
    ("/v1/events", {"created[gte]": "1700000000", "types[0]": "customer.updated", "delivery_success": "false"}),
    ("/v1/events", {"created": "1700000000", "type": "customer.*"}),
    ("/v1/subscriptions", {"status": "all", "expand[0]": "data.schedule", "expand[1]": "data.default_payment_method"}),
    ("/v1/products", {"active": "false", "limit": "100"}),
])
def test_reads_the_spec_declares_are_answered(server: PracticeServer, path: str, params: dict[str, str]) -> None:
    status, body = call(server, path, params)
    assert status == 200, body


@pytest.mark.parametrize(("field", "value", "stored"), [
    ("name", "Members' portal", ("name",)),
    ("features[subscription_update][schedule_at_period_end][conditions][0][type]", "shortening_interval",
     ("features", "subscription_update", "schedule_at_period_end", "conditions", 0, "type")),
    ("features[subscription_update][trial_update_behavior]", "continue_trial",
     ("features", "subscription_update", "trial_update_behavior")),
    ("features[subscription_update][billing_cycle_anchor]", "now",
     ("features", "subscription_update", "billing_cycle_anchor")),
])
def test_the_configuration_parameters_added_since_2023_are_accepted(
        server: PracticeServer, field: str, value: str, stored: tuple[Any, ...]) -> None:
    status, body = call(server, f"/v1/billing_portal/configurations/{_conf_id(server)}", {field: value}, post=True)
    assert status == 200, body
    validate(load_spec(), CONF, "post", body)
    for step in stored:
        body = body[step]
    assert body == value


@pytest.mark.parametrize(("field", "value", "choices"), [
    ("features[subscription_update][trial_update_behavior]", "pause_trial", "continue_trial or end_trial"),
    ("features[subscription_update][billing_cycle_anchor]", "later", "now or unchanged"),
    ("features[subscription_update][schedule_at_period_end][conditions][0][type]", "always",
     "decreasing_item_amount or shortening_interval"),
])
def test_a_new_configuration_parameter_with_a_word_stripe_does_not_know_is_refused(
        server: PracticeServer, field: str, value: str, choices: str) -> None:
    status, body = call(server, f"/v1/billing_portal/configurations/{_conf_id(server)}", {field: value}, post=True)
    assert status == 400
    validate(load_spec(), CONF, "post", body, status="default")
    assert body["error"]["param"] == field
    assert body["error"]["message"] == f"Invalid {field}: must be one of {choices}"
    assert server.writes == []


def test_emptying_the_conditions_empties_the_list(server: PracticeServer) -> None:
    """`""` on a list empties it, as for the plan list (Stripe's update semantics)."""
    conf_id = _conf_id(server)
    status, body = call(server, f"/v1/billing_portal/configurations/{conf_id}",
                        {"features[subscription_update][schedule_at_period_end][conditions]": ""}, post=True)
    assert status == 200 and body["features"]["subscription_update"]["schedule_at_period_end"] == {"conditions": []}


def test_a_portal_session_with_a_parameter_stripe_does_not_know_is_refused(server: PracticeServer) -> None:
    customer = call(server, "/v1/customers")[1]["data"][0]["id"]
    status, body = call(server, "/v1/billing_portal/sessions", {"customer": customer, "retrun_url": "https://a.example"},
                        post=True)
    assert status == 400 and body["error"]["param"] == "retrun_url" and server.sessions == {}


@pytest.mark.parametrize(("path", "params", "words"), [
    ("/v2/core/accounts/acct_1", {"include": ["configuration.customers"]}, "Invalid include[0]: must be one of"),
    ("/v2/core/accounts/acct_1", {"expand": ["configuration"]}, "Received unknown parameter: expand"),
    ("/v2/core/event_destinations", {"limit": "ten"}, "Invalid integer: ten"),
    ("/v2/core/event_destinations", {"include": ["webhook_endpoint.secret"]},
     "Invalid include[0]: must be one of webhook_endpoint.url"),
])
def test_v2_reads_are_checked_as_soon_as_they_are_routed(path: str, params: dict[str, Any], words: str) -> None:
    """The v2 endpoints the app reads are in the spec, so their routes are checked once added."""
    with pytest.raises(StripeError) as refused:
        check_request("GET", path, params)
    assert refused.value.status == 400 and refused.value.message.startswith(words)
    check_request("GET", path, {"include": ["configuration.customer"]} if "accounts" in path else {"limit": "10"})


def test_every_refusal_says_where_its_words_come_from() -> None:
    refusals = json.loads(read_text("practice", "refusals.json"))["refusals"]
    for kind, entry in refusals.items():
        assert entry["source"] and isinstance(entry["exact"], bool), kind
        assert entry["exact"] == ("github.com/" in entry["source"]), kind
