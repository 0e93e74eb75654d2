"""portal.return_url."""

from __future__ import annotations

import pytest
from support.stripe_objects import configuration, context, healthy_snapshot, ok

from assistant.diagnosis.checks.return_url import check_return_url
from assistant.diagnosis.model import Status


def snap_with_default(url: str | None, mode: str = "test"):
    return healthy_snapshot(mode, configurations=ok([configuration(mode=mode, default_return_url=url)]))


def test_given_url_wins_and_its_source_is_named() -> None:
    r = check_return_url(context(snap_with_default("https://example.com/a"),
                                 return_url="https://app.example.com/billing"))
    assert r.status is Status.PASS
    assert "https://app.example.com/billing" in r.summary and "the app passes" in r.summary


def test_default_url_used_when_none_given() -> None:
    r = check_return_url(context(snap_with_default("https://example.com/a")))
    assert r.status is Status.PASS and "default return URL" in r.summary


def test_fail_when_neither_is_set() -> None:
    r = check_return_url(context(snap_with_default(None)))
    assert r.status is Status.FAIL
    assert any("/test/settings/billing/portal" in f for f in r.fix)


@pytest.mark.parametrize(
    "url", ["/account", "example.com/account", "ftp://example.com/", "https://", "javascript:alert(1)"]
)
def test_fail_when_not_absolute_http(url: str) -> None:
    r = check_return_url(context(snap_with_default(None), return_url=url))
    assert r.status is Status.FAIL and url in r.summary


@pytest.mark.parametrize("url", ["http://localhost:3000/", "https://127.0.0.1/x", "http://example.com/a"])
def test_live_mode_warns_for_http_and_localhost(url: str) -> None:
    assert check_return_url(context(snap_with_default(url, "live"))).status is Status.WARN
    assert check_return_url(context(snap_with_default(url, "test"))).status is Status.PASS


def test_skip_without_configuration() -> None:
    r = check_return_url(context(healthy_snapshot("test", configurations=ok([]))))
    assert r.status is Status.SKIP


@pytest.mark.parametrize("url", ["https://example.com/my account", "https://example.com:99999/x",
                                 "https://example.com:port/x"])
def test_stripe_refuses_spaces_and_impossible_ports(url: str) -> None:
    """Stripe answers "Not a valid URL" for these; the check said pass while the page said no."""
    r = check_return_url(context(snap_with_default(None), return_url=url))
    assert r.status is Status.FAIL and r.headline is not None
    assert r.headline.code == "return_url.invalid" and url in r.summary


def test_the_typed_url_verdict_is_the_checks_own() -> None:
    from assistant.diagnosis.checks.return_url import check_url

    for url in ("https://example.com/my account", "http://localhost:3000/", "https://example.com/a"):
        for mode in ("test", "live"):
            full = check_return_url(context(snap_with_default(None, mode), return_url=url))
            typed = check_url(url, mode)
            assert (typed.status, typed.summary) == (full.status, full.summary), (url, mode)
