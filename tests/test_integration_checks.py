"""integration.sessions and webhooks.delivery over real HTTP: what the owner's integration does.

The practice accounts' session events carry a session `url` (a live login link on Stripe). It
must never be shown, stored, logged or reported: the gateway drops it before anything keeps it,
so not even the redaction marker may appear anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.cli import cli
from support.practice import run_scenario
from support.verdicts import Case, assert_case

from assistant.knowledge.checklist import check_ids

# What every practice session link contains (see the scenarios' billing_portal.session events).
LINK_TOKEN = "YWNjdF8xUHJhY3RpY2VTZWNyZXRMaW5r"
REMOVED = "portal session link removed"




CASES = {
    "sessions on an inactive configuration": Case("sessions_inactive_configuration", "integration.sessions", "warn", (
        "created 4 portal sessions in test mode", "4 of them name a configuration that is not active",
        "bpc_1PrcOldCheckoutCfgAbCdEf, which is not an active configuration",
        "Stripe creates no new session with it")),
    "no sessions in this mode": Case("no_sessions_in_this_mode", "integration.sessions", "warn", (
        "no portal session in test mode in the last 30 days", "probably using its live mode key")),
    "live sessions returning to localhost": Case("live_http_return_url", "integration.sessions", "warn", (
        "live sessions return customers to http://localhost:3000/account", "customers cannot reach")),
    "sessions as the settings expect": Case("healthy", "integration.sessions", "pass", (
        "created 3 portal sessions in test mode", "bpc_1PrciAyhkEWTCMZmNetCQeyE (the default configuration)",
        "return customers to https://app.practice.example/account", "Locale: none passed")),
    "undelivered webhooks": Case("undelivered_webhooks", "webhooks.delivery", "warn", (
        "Stripe could not deliver 4 events to the owner's endpoint",
        "customer.subscription.updated", "customer.subscription.deleted", "customer.updated",
        "we_1PrcOldEndpointAbCdEfGh (https://old.practice.example/hooks) is disabled",
        "less than an hour old: 1 more")),
    "deliveries fine": Case("healthy", "webhooks.delivery", "pass", ("Every portal event of the last 30 days",)),
    "restricted key may not read events (sessions)": Case("restricted_key", "integration.sessions", "skip", (
        "Events: Read", "on the key.")),
    "restricted key may not read events (delivery)": Case("restricted_key", "webhooks.delivery", "skip", (
        "Events: Read", "on the key.")),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_integration_case_gives_its_verdict_and_sentence(name: str) -> None:
    await assert_case(CASES[name])


async def test_the_snapshot_holds_no_session_link() -> None:
    outcome = await run_scenario("healthy")
    page = outcome.snapshot.session_events.value
    assert page is not None and page.items
    sessions = [e["data"]["object"] for e in page.items]
    assert all("url" not in s for s in sessions)
    assert all(s["return_url"] for s in sessions)  # the rest of the session is kept
    assert LINK_TOKEN not in repr(outcome.snapshot)


def _user_files() -> list[Path]:
    roots = [Path(os.environ[v]) for v in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_no_output_history_or_log_holds_a_session_link(fmt: str, tmp_path: Path) -> None:
    report = tmp_path / f"report.{fmt}"
    for scenario in ("healthy", "sessions_inactive_configuration", "live_http_return_url"):
        result = cli(["--demo", scenario, "--format", fmt, "--output", str(report)])
        assert result.code in (0, 1), result.err
        written = report.read_bytes()
        for data in (result.out.encode(), result.err.encode(), written):
            assert LINK_TOKEN.encode() not in data
            assert REMOVED.encode() not in data
        # the sessions check is in every report (by its id, or its words; HTML escapes the quote)
        assert any(t in written for t in (b"integration.sessions", b"owner's integration",
                                          b"owner&#39;s integration")), fmt
    for path in _user_files():  # the case history and the log file among them
        assert LINK_TOKEN.encode() not in path.read_bytes(), path


OLD_IDS = ("key.format", "key.mode", "key.accepted", "portal.configuration", "portal.features",
           "portal.products", "portal.return_url", "portal.login_link", "webhooks.events",
           "parity.test_live", "customer.found", "customer.email", "customer.subscriptions")


def test_the_diagnose_json_keeps_every_id_and_field_and_adds_the_new_checks() -> None:
    import json

    result = cli(["--demo", "undelivered_webhooks", "--format", "json", "--no-history"])
    data = json.loads(result.out)
    ids = [c["id"] for c in data["checks"]]
    assert set(OLD_IDS) <= set(ids)
    assert {"integration.sessions", "webhooks.delivery"} <= set(ids)
    assert ids == list(check_ids())
    for check in data["checks"]:
        assert {"id", "title", "status", "summary", "details", "fix", "glossary", "findings"} <= set(check)
    delivery = next(c for c in data["checks"] if c["id"] == "webhooks.delivery")
    assert delivery["status"] == "warn" and delivery["glossary"] == ["Webhook Endpoint", "Webhook Signing Secret"]
    assert delivery["findings"][0]["code"] == "delivery.undelivered"
