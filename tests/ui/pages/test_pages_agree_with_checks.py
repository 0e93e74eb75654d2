"""Every practice account, diagnosed over real HTTP: each page shows what its checks found.

A page renders findings and never judges on its own, so what it shows must agree with the
check: the same objects, the same problems, the same verdicts. This is compared here cell by
cell against the findings themselves (not through the rows the page is built from).
"""

from __future__ import annotations

import pytest
from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.diagnosis.checks.customer import CUSTOMER_MATCHES, CUSTOMER_PICKS
from assistant.diagnosis.checks.messages import finding_label
from assistant.diagnosis.checks.portal import CONFIGURATION_SAVED, FEATURE_STATE, LOGIN_LINK_ON
from assistant.diagnosis.checks.products import (
    CATALOGUE_PRICE_OFFERED,
    PRICE_MISSING,
    PRICE_PROBLEMS,
    PRODUCT_PROBLEMS,
)
from assistant.diagnosis.checks.return_url import RETURN_URL_APP_VALUE, RETURN_URL_DEFAULT_VALUE
from assistant.diagnosis.checks.subscriptions import SUBSCRIPTIONS_NO_CONFIGURATION
from assistant.diagnosis.checks.webhooks import CID as WEBHOOKS
from assistant.diagnosis.checks.webhooks import (
    REQUIRED_EVENTS,
    WEBHOOK_DESTINATION,
    WEBHOOK_ENDPOINT,
    WEBHOOK_EVENT_MISSING,
)
from assistant.diagnosis.model import CheckResult, Status
from assistant.diagnosis.run import RunOutcome
from assistant.practice.scenarios import list_scenarios
from assistant.ui.pages import registry as page_registry
from assistant.ui.pages.customer import CHOSEN
from assistant.ui.pages.return_url import assess_return_url

SCENARIOS = [info.name for info in list_scenarios()]


def _page(qtbot, step_id: str, outcome: RunOutcome):  # type: ignore[no-untyped-def]
    kwargs = {"clipboard": FakeClipboard()} if step_id != "connect" else {}
    page = page_registry.build_page(step_id, **kwargs)
    assert not isinstance(page, page_registry.PlaceholderPage), step_id
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    return page


def _only(outcome: RunOutcome, step_id: str) -> CheckResult:
    ids = page_registry.spec_for(step_id).check_ids
    results = [outcome.diagnosis.check(cid) for cid in ids]
    assert len(results) == 1 and results[0] is not None
    return results[0]


def _table(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
            for r in range(table.rowCount())]


@pytest.fixture(params=SCENARIOS)
async def outcome(request) -> RunOutcome:  # type: ignore[no-untyped-def]
    result, _ = await run_scenario(request.param)
    return result


def test_every_card_shows_its_checks_result(qtbot, outcome: RunOutcome) -> None:
    for spec in page_registry.STEPS:
        if spec.step_id == "connect":
            continue
        page = _page(qtbot, spec.step_id, outcome)
        assert tuple(page.cards) == spec.check_ids
        for cid, card in page.cards.items():
            assert card.result == outcome.diagnosis.check(cid), (spec.step_id, cid)


def test_products_rows_are_the_offered_prices_and_their_problems(qtbot, outcome: RunOutcome) -> None:
    page = _page(qtbot, "products", outcome)
    result = _only(outcome, "products")
    header = page.header()
    rows = page.visible_rows()
    offered = {f.subject.id for f in result.findings
               if f.code in (CATALOGUE_PRICE_OFFERED, PRICE_MISSING) and f.subject}
    assert {r[header.index("Price ID")] for r in rows} - {"—"} == offered
    for row in rows:
        ids = {row[header.index("Product ID")], row[header.index("Price ID")]}
        problems = [f for f in result.findings if f.code in (*PRODUCT_PROBLEMS, *PRICE_PROBLEMS)
                    and f.subject is not None and f.subject.id in ids
                    and any(f.concerns(i) for i in ids)]
        assert (row[header.index("Problem")] != "OK") == bool(problems), row
    if result.status is Status.PASS:
        assert all(r[header.index("Problem")] == "OK" for r in rows)


def test_webhooks_grid_is_the_endpoints_and_missing_events(qtbot, outcome: RunOutcome) -> None:
    page = _page(qtbot, "webhooks", outcome)
    result = outcome.diagnosis.check(WEBHOOKS)
    assert result is not None
    endpoints = result.with_code(WEBHOOK_ENDPOINT, WEBHOOK_DESTINATION)  # destinations are columns too
    missing = [str(f.expected) for f in result.with_code(WEBHOOK_EVENT_MISSING)]
    assert page.missing() == missing
    grid = page.grid_rows()
    if endpoints or missing:
        assert len(grid) == len(endpoints) + 1
        assert [cell == "✗ MISSING" for cell in grid[-1][2:]] == [e in missing for e in REQUIRED_EVENTS]
    else:
        assert grid == []
    assert (result.status is Status.PASS) == (not missing and bool(endpoints))


def test_customer_tables_are_the_matches_and_subscriptions(qtbot, outcome: RunOutcome) -> None:
    page = _page(qtbot, "customer", outcome)
    found = outcome.diagnosis.check("customer.found")
    subs = outcome.diagnosis.check("customer.subscriptions")
    assert found is not None and subs is not None
    matches = [f for f in found.findings if f.code in CUSTOMER_MATCHES]
    shown = _table(page.matches)
    assert [r[0] for r in shown] == [f.fact("customer_id") for f in matches]
    chosen = found.headline.subject.id if found.headline and found.headline.subject and \
        found.headline.code in CUSTOMER_PICKS else None
    # The portal opens for the chosen customer only once a configuration exists: without one the
    # subscriptions check could not judge it, and the row says so in that finding's words.
    waiting = subs.headline is not None and subs.headline.code == SUBSCRIPTIONS_NO_CONFIGURATION
    assert [r[0] for r in shown if r[4] == CHOSEN] == ([chosen] if chosen and not waiting else [])
    if waiting and chosen:
        assert [r[4] for r in shown if r[0] == chosen] == [finding_label(subs.id, subs.headline)]
    assert page.customer_id() == chosen
    sub_ids = list(dict.fromkeys(f.text("subscription_id") for f in subs.evidence
                                 if f.text("subscription_id")))
    rows = _table(page.subscriptions)
    assert [r[0] for r in rows] == sub_ids
    for row in rows:
        problem = any(f.status is Status.WARN for f in subs.evidence if f.text("subscription_id") == row[0])
        assert row[3].startswith("Can be ") != problem, row
    login = outcome.diagnosis.findings_with(LOGIN_LINK_ON)
    assert page.login_url.text() == (str(login[0].fact("url")) if login else "")


def test_configuration_page_and_parity_card_agree(qtbot, outcome: RunOutcome) -> None:
    page = _page(qtbot, "configuration", outcome)
    features = outcome.diagnosis.check("portal.features")
    parity = outcome.diagnosis.check("parity.test_live")
    assert features is not None and parity is not None
    states = [page.features.item(r, 1).text() for r in range(page.features.rowCount())]
    assert states == ["On" if f.seen else "Off" for f in features.with_code(FEATURE_STATE)]
    rows = page.parity_table_rows()
    differing = [r for r in rows if r[3] == "Differs"]
    assert len(differing) == sum(1 for f in parity.evidence if f.is_problem)
    if parity.status is Status.PASS:
        assert rows and not differing  # "the settings match" is never over a "Differs"
    if rows:
        assert any(r[0] == "No-code login link" for r in rows)
    saved = outcome.diagnosis.check("portal.configuration")
    assert saved is not None
    ids = [f.fact("configuration_id") for f in saved.with_code(CONFIGURATION_SAVED)]
    if ids:
        assert page.config_id.text() == ids[0]


def test_return_url_field_and_card_use_one_rule(qtbot, outcome: RunOutcome) -> None:
    page = _page(qtbot, "return_url", outcome)
    result = _only(outcome, "return_url")
    default = result.with_code(RETURN_URL_DEFAULT_VALUE)
    if default and default[0].fact("url") != "—":
        assert page.default_url.text() == default[0].fact("url")
    given = result.with_code(RETURN_URL_APP_VALUE)
    typed = str(given[0].fact("url")) if given else ""
    if typed and typed != "—":
        assert assess_return_url(typed, outcome.diagnosis.mode).status is result.status
    for url in ("https://example.com/my account", "https://example.com:99999/x"):
        page.set_return_url(url)
        assert page.verdict_word.text() == "INVALID"


def test_report_lists_every_check_with_its_status(qtbot, outcome: RunOutcome) -> None:
    page = _page(qtbot, "report", outcome)
    lines = page.summary_lines()
    assert len(lines) == len(outcome.diagnosis.checks)
    for check in outcome.diagnosis.checks:
        line = next(line for line in lines if line.startswith(f"{check.status.label} — {check.title}"))
        # a problem says what to tell the owner; a pass is one line
        assert (check.summary in line) is check.status.is_problem
    problems = [n for n, line in enumerate(lines) if line.split(" — ")[0] in ("FAIL", "ERROR", "WARN")]
    assert problems == list(range(len(problems))), "problems come first"
