"""portal.return_url."""

from __future__ import annotations

import pytest
from support.stripe_objects import configuration, context, healthy_snapshot, ok

from assistant.diagnosis.model import Status
from assistant.diagnosis.checks.return_url import check_return_url


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


@pytest.mark.parametrize("url", ["/account", "example.com/account", "ftp://example.com/", "https://", "javascript:alert(1)"])
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
