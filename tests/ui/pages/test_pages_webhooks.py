"""Webhooks step: which endpoint receives which portal event, in marks and words."""

from __future__ import annotations

from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.account.keys import classify_key
from assistant.account.snapshot import Fetched, Snapshot
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.registry import run_checks
from assistant.diagnosis.checks.webhooks import REQUIRED_EVENTS
from assistant.diagnosis.model import Diagnosis
from assistant.diagnosis.run import RunOutcome
from assistant.ui.pages.webhooks import (
    ALL,
    COVERAGE_ROW,
    COVERED,
    MISSING,
    YES,
    WebhooksPage,
)


async def test_no_endpoints_shows_every_event_missing(qtbot) -> None:
    outcome, _ = await run_scenario("no_webhooks")
    page = WebhooksPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    rows = page.grid_rows()
    assert rows[-1][0] == COVERAGE_ROW
    assert rows[-1][2:] == [MISSING] * len(REQUIRED_EVENTS)
    assert page.missing() == list(REQUIRED_EVENTS)
    assert "No webhook endpoint" in page.note.text()
    assert page.cards["webhooks.events"].result.status.value == "warn"


async def test_endpoint_row_marks_each_event(qtbot) -> None:
    outcome, _ = await run_scenario("duplicate_emails")
    page = WebhooksPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    rows = page.grid_rows()
    assert rows[0][0] == "https://app.practice.example/stripe/webhooks"
    assert rows[0][1] == "Enabled"
    assert rows[0][2:] == [YES] * 5
    assert rows[-1][2:] == [COVERED] * 5
    assert page.event_labels() == list(REQUIRED_EVENTS)  # down the side, each on its row


def test_star_partial_and_disabled_endpoints(qtbot) -> None:
    """Endpoints Stripe could return that no practice scenario has: "*", partial, disabled."""
    clipboard = FakeClipboard()
    page = WebhooksPage(clipboard=clipboard)
    qtbot.addWidget(page)
    endpoints = [
        {"id": "we_1", "url": "https://a.example/hook", "status": "enabled",
         "enabled_events": ["customer.subscription.updated"]},
        {"id": "we_2", "url": "https://b.example/hook", "status": "disabled", "enabled_events": ["*"]},
    ]
    snap = Snapshot(key=classify_key("sk_test_abcdefgh"), webhook_endpoints=Fetched(endpoints))
    checks = tuple(run_checks(CheckContext(snapshot=snap)))  # the page renders what the check found
    diagnosis = Diagnosis(generated_at="2025-01-01T00:00:00Z", mode="test",
                          masked_key="sk_test_…efgh", account=None, checks=checks)
    page.show_outcome(RunOutcome(diagnosis, snap))
    rows = page.grid_rows()
    assert rows[0][2] == YES and rows[0][3] == "— no"
    assert rows[1][1].startswith("Disabled")
    assert rows[1][2:] == [ALL] * 5
    assert rows[2][2] == COVERED
    assert rows[2][3:] == [MISSING] * 4
    page.copy_events_button.click()
    assert clipboard.text().splitlines() == list(REQUIRED_EVENTS)
