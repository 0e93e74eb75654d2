"""Issue 23 over real HTTP: one practice account per case, each diagnosed the way an agent would,
with the verdict and the sentence the agent reads out.

- `account_customer`: the customer is a customer-configured Account (acct_…, Accounts v2);
- `connected_account`: a platform whose studio (a connected account, direct charges) never
  saved its own portal settings, diagnosed with `--connected-account`;
- `sessions_on_behalf_of`: sessions opened on behalf of a tutor's account no subscription carries;
- `event_destination`: the app hears the portal through Amazon EventBridge, not an endpoint.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import replace
from typing import Any

import pytest
from support.cli import cli
from support.practice import diagnoser_for, run_scenario, scenario_request

from assistant.cli.history import run_history_command
from assistant.cli.main import build_parser, run_fix_command
from assistant.practice import PracticeServer, load_scenario
from assistant.practice.scenarios import PracticeKey

MEMBER = "acct_1Qy7MiraK4fRzPa2"
STUDIO = "acct_1SunLoftYoga7Kqz"
MARIGOLD_KEY = "sk_test_practice_marigold_4242"


def _json(argv: list[str], env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    result = cli([*argv, "--format", "json", "--no-history"], env=env)
    assert result.out, result.err
    return result.code, json.loads(result.out)


def _command_json(argv: list[str]) -> tuple[int, dict[str, Any]]:
    """`main.py ARGV` for `fix` and `history` (they write to standard output), read as JSON."""
    args = build_parser().parse_args(argv)
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = (run_fix_command if argv[0] == "fix" else run_history_command)(args, {})
    return code, json.loads(out.getvalue())


def _check(report: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["id"] == check_id)


# -- Accounts v2: an acct_ id in the customer field ------------------------------------------------


async def test_an_accounts_v2_customer_is_found_and_her_subscription_judged() -> None:
    outcome = await run_scenario("account_customer")
    diagnosis = outcome.diagnosis
    found = diagnosis.check("customer.found")
    assert found is not None and found.status.value == "pass"
    assert found.summary == 'Found the customer "Mira Okafor" <mira@member.example>.'
    subscriptions = diagnosis.check("customer.subscriptions")
    assert subscriptions is not None and subscriptions.status.value == "warn"
    assert subscriptions.summary == ('For this customer, the subscription to "Pro" (29.00 USD / month) is past '
                                     "due (payment failed, Stripe is retrying).")
    assert diagnosis.check("customer.email").status.value == "pass"  # type: ignore[union-attr]
    assert outcome.snapshot.customer is not None and outcome.snapshot.customer.is_account


def test_no_account_id_is_ever_called_an_email() -> None:
    for query in (MEMBER, "acct_1NoSuchMember0000"):
        code, report = _json(["--demo", "account_customer", "--customer", query])
        text = json.dumps(report)
        assert "e-mail acct_" not in text and "email acct_" not in text
        found = _check(report, "customer.found")
        if query == MEMBER:
            assert (code, found["status"]) == (0, "pass")
        else:
            assert (code, found["status"]) == (1, "fail")
            assert found["summary"] == ("There is no account acct_1NoSuchMember0000 in test mode, so no "
                                        "customer-configured Account has that id here.")


async def test_a_restricted_key_that_may_not_read_accounts_is_told_the_permission() -> None:
    scenario = load_scenario("account_customer")
    key = "rk_test_practice_quayside_4242"
    scenario = replace(scenario, keys=(*scenario.keys, PracticeKey(
        key=key, mode="test", kind="restricted", missing_permissions=("rak_accounts_kyc_basic_read",))))
    with PracticeServer(scenario) as server:
        diagnosis = await diagnoser_for(server).run(scenario_request(scenario, key=key))
    found = diagnosis.check("customer.found")
    assert found is not None and found.status.value == "error"
    assert found.summary == ("The restricted key may not read the customer-configured account: "
                             "it needs Accounts: Read.")
    accepted = diagnosis.check("key.accepted")
    assert accepted is not None and accepted.status.value == "fail"
    assert "Accounts: Read" in accepted.summary


# -- Connect: --connected-account ----------------------------------------------------------------


def test_a_connected_account_is_diagnosed_with_its_own_portal_settings() -> None:
    scenario = load_scenario("connected_account")
    with PracticeServer(scenario) as server:
        env = {"STRIPE_API_KEY": MARIGOLD_KEY}
        code, report = _json(["--api-base", server.base_url, "--connected-account", STUDIO,
                              "--customer", "cus_Q3SunLoftMember1"], env)
        carried = list(server.request_accounts)
    assert carried and set(carried) == {STUDIO}, "every request acts as the connected account"
    assert code == 1
    assert report["connected_account"] == STUDIO
    assert report["account"] == {"id": STUDIO, "name": "Sunrise Loft Yoga"}
    portal = _check(report, "portal.configuration")
    assert portal["status"] == "fail"
    assert portal["summary"] == ("The customer portal settings have never been saved in test mode, so Stripe "
                                 "cannot open a portal for any customer yet.")
    assert any(f"https://dashboard.stripe.com/{STUDIO}/test/settings/billing/portal" in step
               for step in portal["fix"])
    accepted = _check(report, "key.accepted")
    assert any(d.startswith(f"Connected account: every request acted as {STUDIO}") for d in accepted["details"])
    assert _check(report, "customer.found")["status"] == "pass"


def test_the_platform_alone_looks_healthy_and_has_no_such_customer() -> None:
    """Why the complaint puzzles the owner: the platform's own settings are fine."""
    scenario = load_scenario("connected_account")
    with PracticeServer(scenario) as server:
        code, report = _json(["--api-base", server.base_url, "--customer", "cus_Q3SunLoftMember1"],
                             {"STRIPE_API_KEY": MARIGOLD_KEY})
        assert set(server.request_accounts) == {None}
    assert report["connected_account"] is None
    assert _check(report, "portal.configuration")["status"] == "pass"
    assert _check(report, "customer.found")["summary"] == "There is no customer cus_Q3SunLoftMember1 in test mode."
    assert code == 1


def test_the_text_report_names_the_connected_account() -> None:
    result = cli(["--demo", "connected_account", "--no-history"])
    assert result.code == 1
    assert f"Connected account: {STUDIO} (every request acted as this account" in " ".join(result.out.split())


def test_an_account_the_platform_cannot_reach_is_said_before_anything_else() -> None:
    code, report = _json(["--demo", "connected_account", "--connected-account", "acct_1NotConnected0000"])
    assert code == 1
    accepted = _check(report, "key.accepted")
    assert accepted["status"] == "fail"
    assert accepted["summary"].startswith(
        "Stripe refused this key access to the connected account acct_1NotConnected0000: The provided key")
    assert _check(report, "portal.configuration")["summary"] == (
        "Not checked: this key may not act as the connected account acct_1NotConnected0000 "
        "(the key check says why).")


@pytest.mark.parametrize("value", ["studio", "acct_", "acct_12-34", "sk_test_practice_marigold_4242"])
def test_a_connected_account_that_is_not_an_id_is_refused_with_a_sentence(value: str) -> None:
    result = cli(["--demo", "connected_account", "--connected-account", value, "--no-history"])
    assert result.code == 2
    assert "--connected-account" in result.err
    assert "acct_" in result.err
    assert "sk_test_practice" not in result.err


def test_the_fix_plan_is_made_for_the_connected_account() -> None:
    code, plan = _command_json(["fix", "--demo", "connected_account", "--format", "json"])
    assert code == 0
    assert plan["connected_account"] == STUDIO
    save = next(f for f in plan["fixes"] if f["id"] == "portal.configuration.save_settings")
    assert save["dashboard_url"] == f"https://dashboard.stripe.com/{STUDIO}/test/settings/billing/portal"


def test_the_case_history_keeps_the_connected_account() -> None:
    assert cli(["--demo", "connected_account"]).code == 1
    _, listing = _command_json(["history", "--format", "json"])
    latest = listing["runs"][0]
    assert latest["connected_account"] == STUDIO
    assert latest["account"]["id"] == STUDIO


# -- on_behalf_of ----------------------------------------------------------------------------------


async def test_sessions_on_behalf_of_an_account_her_subscription_lacks_warn() -> None:
    diagnosis = (await run_scenario("sessions_on_behalf_of")).diagnosis
    sessions = diagnosis.check("integration.sessions")
    assert sessions is not None and sessions.status.value == "warn"
    assert sessions.summary.endswith(
        "but 3 of them are on behalf of acct_1TutorNorthGp8Xy, which none of the customer's subscriptions "
        "carries, so the portal shows this customer nothing to manage.")
    assert diagnosis.check("customer.subscriptions").status.value == "pass"  # type: ignore[union-attr]


# -- event destinations ----------------------------------------------------------------------------


async def test_an_eventbridge_destination_is_counted_and_named_with_its_type() -> None:
    diagnosis = (await run_scenario("event_destination")).diagnosis
    events = diagnosis.check("webhooks.events")
    assert events is not None and events.status.value == "warn"
    assert events.summary == ("No enabled webhook endpoint or event destination listens to "
                              "payment_method.detached, so the app can miss changes customers make in the portal.")
    assert any(d.startswith("Amazon EventBridge destination 'billing-bus' (enabled): ") for d in events.details)
    assert "No webhook endpoint is enabled" not in events.summary


def test_the_destination_gets_a_guided_fix_not_a_new_endpoint() -> None:
    code, plan = _command_json(["fix", "--demo", "event_destination", "--format", "json"])
    assert code == 0
    [fix] = [f for f in plan["fixes"] if f["check"] == "webhooks.events"]
    assert fix["id"] == "webhooks.events.destination_events" and fix["kind"] == "guided"
    assert "Amazon EventBridge destination 'billing-bus'" in fix["summary"]
    assert "payment_method.detached" in " ".join(fix["steps"])
