"""Portal deep links (sessions created with `flow_data`), judged by integration.sessions and
portal.products against the configuration each session used and the subscription it acts on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from support.stripe_objects import (
    allowed,
    configuration,
    context,
    features,
    healthy_snapshot,
    ok,
    price,
    session_event,
    subscription,
)

from assistant.account.snapshot import Fetched, Page, Snapshot
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.products import (
    CATALOGUE_SWITCHING_OFF,
    CATALOGUE_SWITCHING_OFF_DEEP_LINKED,
    CATALOGUE_SWITCHING_OFF_DEEP_LINKED_ELSEWHERE,
)
from assistant.diagnosis.checks.registry import run_check
from assistant.diagnosis.checks.sessions import (
    SESSIONS_DEEP_LINK_FEATURE_OFF,
    SESSIONS_DEEP_LINK_PRICE_NOT_OFFERED,
    SESSIONS_DEEP_LINK_SUBSCRIPTION_LOCKED,
    SESSIONS_DEEP_LINK_UNJUDGED,
    SESSIONS_DEEP_LINKS,
    SESSIONS_OTHER_CONFIGURATION,
    SESSIONS_OTHER_CONFIGURATIONS,
)
from assistant.diagnosis.model import Status

DEFAULT = "bpc_1Pgc70B7WZ01zgkWSnFO04Vt"
NOW = 1_800_000_000
REFUSAL = ("This subscription cannot be updated because the subscription update feature in the portal "
           "configuration is disabled.")


def flow_event(n: int, kind: str, *, configuration: str = DEFAULT, subscription: str = "sub_Linked",
               prices: tuple[str, ...] = ()) -> dict[str, Any]:
    """A session event whose session was created with `flow_data` of type `kind`."""
    event = session_event(f"evt_Flow{n}", configuration=configuration, created=NOW - 3600 * (n + 1))
    detail: dict[str, Any] = {"subscription": subscription}
    if kind == "subscription_update_confirm":
        detail["items"] = [{"id": "si_1", "price": p, "quantity": 1} for p in prices]
    flow: dict[str, Any] = {"type": kind, "after_completion": {"type": "portal_homepage"}}
    if kind != "payment_method_update":
        flow[kind] = detail
    event["data"]["object"]["flow"] = flow
    return event


def _snap(mode: str, events: list[dict[str, Any]], **kw: Any) -> Snapshot:
    return healthy_snapshot(mode, read_at=NOW, session_events=ok(Page(events)), **kw)


def switching_off(mode: str) -> list[dict[str, Any]]:
    return [configuration(mode=mode, features=features(subscription_update=False))]


def scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    """Shared with the wording and schema tests (see support.scenarios.check_test_scenarios)."""
    upgrades = [flow_event(n, "subscription_update") for n in range(3)]
    yield "deep_link_switching_off", context(_snap(mode, upgrades, configurations=ok(switching_off(mode))))
    confirm = [flow_event(0, "subscription_update_confirm", prices=("price_Enterprise",))]
    yield "deep_link_price_not_offered", context(_snap(mode, confirm))
    scheduled = subscription("sub_Linked", schedule="sub_sched_1")
    yield "deep_link_locked", context(_snap(mode, [flow_event(0, "subscription_cancel")],
                                            flow_subscriptions=ok({"sub_Linked": scheduled})))
    partners = configuration("bpc_Partners", mode=mode, is_default=False, name="Partners")
    elsewhere = [flow_event(0, "subscription_update", configuration="bpc_Partners")]
    yield "deep_link_elsewhere", context(_snap(mode, elsewhere, configurations=ok([*switching_off(mode), partners])))
    unread = [flow_event(0, "payment_method_update", configuration="bpc_Unread")]
    yield "deep_link_unjudged", context(_snap(mode, unread, configurations_more=True))
    per_visit = [session_event(f"evt_Visit{n}", configuration=f"bpc_Visit{n}", created=NOW - n * 60)
                 for n in range(8)]
    confs = [configuration(mode=mode), *(configuration(f"bpc_Visit{n}", mode=mode, is_default=False)
                                         for n in range(8))]
    yield "sessions_config_per_visit", context(_snap(mode, per_visit, configurations=ok(confs)))


def _run(check: str, snap: Snapshot) -> Any:
    return run_check(check, context(snap))


def test_plan_change_links_into_a_configuration_without_plan_switching_warn_naming_all_three() -> None:
    snap = _snap("test", [flow_event(n, "subscription_update") for n in range(3)],
                 configurations=ok(switching_off("test")))
    result = _run("integration.sessions", snap)
    assert result.status is Status.WARN
    off = result.with_code(SESSIONS_DEEP_LINK_FEATURE_OFF)
    assert len(off) == 1 and off[0].field == "features.subscription_update.enabled"
    line = next(d for d in result.details if "plan-change deep link" in d)
    assert "3 sessions" in line and "the default configuration" in line and "plan switching is now off" in line
    assert REFUSAL in line
    assert "plan-change deep link" in result.summary and "plan switching is now off" in result.summary


def test_portal_products_warns_instead_of_skipping_and_quotes_the_refusal() -> None:
    snap = _snap("test", [flow_event(n, "subscription_update") for n in range(2)],
                 configurations=ok(switching_off("test")))
    result = _run("portal.products", snap)
    assert result.status is Status.WARN and result.has(CATALOGUE_SWITCHING_OFF_DEEP_LINKED)
    assert REFUSAL in result.summary and "2 of the owner's portal sessions" in result.summary
    assert any("Upgrade" in step for step in result.fix)


def test_portal_products_still_skips_when_no_session_deep_links_into_plan_changes() -> None:
    cancels = [flow_event(0, "subscription_cancel"), session_event("evt_Plain", created=NOW - 60)]
    result = _run("portal.products", _snap("test", cancels, configurations=ok(switching_off("test"))))
    assert result.status is Status.SKIP and result.has(CATALOGUE_SWITCHING_OFF)


def test_a_confirm_link_for_a_price_the_plan_list_does_not_offer_warns_with_the_price() -> None:
    snap = _snap("test", [flow_event(0, "subscription_update_confirm", prices=("price_Enterprise",))])
    result = _run("integration.sessions", snap)
    assert result.status is Status.WARN
    missing = result.with_code(SESSIONS_DEEP_LINK_PRICE_NOT_OFFERED)
    assert missing and missing[0].seen == ("price_Enterprise",)
    assert any("price_Enterprise" in d and "does not offer it" in d for d in result.details)


def test_a_confirm_link_for_an_offered_price_passes() -> None:
    snap = _snap("test", [flow_event(0, "subscription_update_confirm", prices=("price_ProYearly",))])
    result = _run("integration.sessions", snap)
    assert result.status is Status.PASS
    assert any(d.startswith("Deep links: confirmed plan change (1)") for d in result.details)


@pytest.mark.parametrize(("kind", "sub", "locked"), [
    ("subscription_cancel", subscription("sub_Linked", schedule="sub_sched_1"), True),
    ("subscription_update", subscription("sub_Linked", collection_method="send_invoice"), True),
    ("subscription_cancel", subscription("sub_Linked", collection_method="send_invoice"), False),
    ("subscription_pause", subscription("sub_Linked", status="canceled"), True),
    ("subscription_update", subscription("sub_Linked", prices=[price("price_A"), price("price_B", "prod_B")]), True),
])
def test_a_link_to_a_subscription_the_portal_may_not_take_through_it_warns(
        kind: str, sub: dict[str, Any], locked: bool) -> None:
    feats = features(subscription_update=True, products=[allowed("prod_Pro", "price_ProMonthly")])
    feats["subscription_pause"] = {"enabled": True}
    snap = _snap("test", [flow_event(0, kind)], flow_subscriptions=ok({"sub_Linked": sub}),
                 configurations=ok([configuration(features=feats)]))
    result = _run("integration.sessions", snap)
    assert result.has(SESSIONS_DEEP_LINK_SUBSCRIPTION_LOCKED) is locked, result.details
    if locked:
        assert any("sub_Linked" in d for d in result.details)


def test_a_link_whose_configuration_was_not_read_is_not_judged_and_says_so() -> None:
    snap = _snap("test", [flow_event(0, "payment_method_update", configuration="bpc_Unread")],
                 configurations_more=True)
    result = _run("integration.sessions", snap)
    assert result.has(SESSIONS_DEEP_LINK_UNJUDGED)
    assert not result.with_code(SESSIONS_DEEP_LINK_FEATURE_OFF)
    # beyond the first 100 active configurations, an unread one is not called inactive
    assert "not active" not in " ".join(result.details)


def test_a_pause_link_needs_the_pause_feature() -> None:
    snap = _snap("live", [flow_event(0, "subscription_pause")], flow_subscriptions=ok({}))
    result = _run("integration.sessions", snap)
    off = result.with_code(SESSIONS_DEEP_LINK_FEATURE_OFF)
    assert off and off[0].field == "features.subscription_pause.enabled"
    assert any("pausing is now off" in d for d in result.details)


def test_sessions_without_deep_links_add_no_deep_link_lines() -> None:
    result = _run("integration.sessions", _snap("test", [session_event(created=NOW - 60)]))
    assert not result.has(SESSIONS_DEEP_LINKS) and result.status is Status.PASS


def test_many_configurations_made_per_visit_are_one_warning_not_one_per_configuration() -> None:
    ctx = dict(scenarios("test"))["sessions_config_per_visit"]
    result = run_check("integration.sessions", ctx)
    assert result.status is Status.WARN
    assert len(result.with_code(SESSIONS_OTHER_CONFIGURATIONS)) == 1
    assert not result.with_code(SESSIONS_OTHER_CONFIGURATION)
    assert "8 different configurations" in result.summary


def test_deep_links_of_an_unread_session_page_are_not_judged() -> None:
    snap = replace(_snap("test", []), session_events=Fetched())
    assert _run("portal.products", snap).status is Status.PASS


def test_plan_change_links_with_another_configuration_keep_portal_products_from_skipping() -> None:
    partners = configuration("bpc_Partners", is_default=False, name="Partners",
                             features=features(subscription_update=True,
                                               products=[allowed("prod_Pro", "price_ProMonthly")]))
    snap = _snap("test", [flow_event(0, "subscription_update", configuration="bpc_Partners")],
                 configurations=ok([*switching_off("test"), partners]))
    result = _run("portal.products", snap)
    assert result.status is Status.WARN and result.has(CATALOGUE_SWITCHING_OFF_DEEP_LINKED_ELSEWHERE)
    assert "bpc_Partners" in result.summary
