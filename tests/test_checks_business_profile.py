"""portal.business_profile: the public business name and the portal's policy links."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from support.stripe_objects import account, configuration, context, healthy_snapshot, ok

from assistant.account.snapshot import Fetched
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.registry import run_check
from assistant.diagnosis.model import Status

CID = "portal.business_profile"


def _profile(mode: str = "test", name: str | None = "Acme Yoga", **links: str | None):  # type: ignore[no-untyped-def]
    business = {"headline": None, "privacy_policy_url": "https://www.acmeyoga.studio/privacy",
                "terms_of_service_url": "https://www.acmeyoga.studio/terms", **links}
    snap = healthy_snapshot(mode, configurations=ok([configuration(mode=mode, business_profile=business)]))
    acct = dict(snap.account.value or account())
    acct["business_profile"] = {**(acct.get("business_profile") or {}), "name": name}
    return replace(snap, account=Fetched(acct))


def scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    """Shared with the wording and schema tests (see support.scenarios.check_test_scenarios)."""
    yield "complete", context(_profile(mode))
    yield "nothing_set", context(_profile(mode, name=None, privacy_policy_url=None, terms_of_service_url=None))
    yield "http_and_local_links", context(_profile(
        mode, privacy_policy_url="http://example.com/privacy", terms_of_service_url="https://localhost/terms"))
    yield "account_unread", context(replace(_profile(mode), account=Fetched()))


def test_complete_business_information_passes() -> None:
    result = run_check(CID, context(_profile()))
    assert result.status is Status.PASS
    assert "Public business name: Acme Yoga" in result.details


@pytest.mark.parametrize("mode", ["test", "live"])
def test_each_missing_piece_is_named_with_the_dashboard_page_of_the_mode(mode: str) -> None:
    result = run_check(CID, context(_profile(mode, name=None, privacy_policy_url=None,
                                             terms_of_service_url=None)))
    assert result.status is Status.WARN
    for words in ("public business name", "privacy policy link", "terms of service link"):
        assert words in result.summary
    prefix = "https://dashboard.stripe.com/" + ("test/" if mode == "test" else "")
    assert any(prefix + "settings/public" in step for step in result.fix)
    assert any(prefix + "settings/billing/portal" in step for step in result.fix)
    fields = {f.field for f in result.evidence if f.is_problem}
    assert fields == {"business_profile.name", "business_profile.privacy_policy_url",
                      "business_profile.terms_of_service_url"}


@pytest.mark.parametrize("url", ["http://example.com/privacy", "https://localhost/privacy",
                                 "example.com/privacy", "https://example.com/our privacy"])
def test_a_link_customers_cannot_open_over_https_warns(url: str) -> None:
    result = run_check(CID, context(_profile(privacy_policy_url=url)))
    assert result.status is Status.WARN
    invalid = result.with_code("business_profile.link_invalid")
    assert invalid and invalid[0].seen == url and url in result.fix[0]


def test_without_the_account_only_the_links_are_judged() -> None:
    result = run_check(CID, context(replace(_profile(), account=Fetched())))
    assert result.status is Status.PASS
    assert result.has("business_profile.name_unread")


def test_skipped_until_the_portal_settings_are_saved() -> None:
    result = run_check(CID, context(healthy_snapshot("test", configurations=ok([]))))
    assert result.status is Status.SKIP


async def test_the_practice_account_without_business_information_over_http() -> None:
    from support.practice import run_scenario

    outcome = await run_scenario("missing_business_information")
    result = outcome.diagnosis.check(CID)
    assert result is not None and result.status is Status.WARN
    codes = [f.code for f in result.evidence if f.is_problem]
    assert codes == ["business_profile.name_missing", "business_profile.link_missing",
                     "business_profile.link_invalid"]
    assert "http://practice.example/terms" in " ".join(result.details)
    assert any("https://dashboard.stripe.com/test/settings/public" in step for step in result.fix)
    others = [c.id for c in outcome.diagnosis.checks if c.id != CID and c.status.is_problem]
    assert others == []  # nothing else is wrong with this account
