"""What redaction removes from any text before it is shared."""

from __future__ import annotations

import pytest

from assistant.report.redaction import (
    RedactionOptions,
    redact_text,
    redaction_notice,
)

REMOVED = "[portal session link removed]"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("key sk_test_51AbCdEfGhIjKl1234", "key sk_test_…1234"),
        ("sk_live_51AbCdEfGhIjKlWXYZ.", "sk_live_…WXYZ."),
        ("rk_live_51Restricted9876 and rk_test_x", "rk_live_…9876 and rk_test_…"),
        ("pk_test_51Publishable4321", "pk_test_…4321"),
        ("signing secret whsec_abcDEF123456", "signing secret whsec_…3456"),
        ("Invalid API Key provided: sk_test_****abcd", "Invalid API Key provided: sk_test_…abcd"),
        ("?key=sk_live_51Query0000&x=1", "?key=sk_live_…0000&x=1"),
        ("already sk_test_…abcd", "already sk_test_…abcd"),
    ],
)
def test_keys_keep_only_their_masked_form(raw: str, expected: str) -> None:
    assert redact_text(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "https://billing.stripe.com/p/session/test_YWNjdF8xTz",
        "http://billing.stripe.com/p/session/live_abc?x=1",
        "billing.stripe.com/p/session/live_abc",
        "https://billing.example.com/custom/session/abc",
        "http://127.0.0.1:12111/portal/session/bps_123",
        "http://localhost:8765/v1/portal/session/bps_123#frag",
    ],
)
def test_portal_session_links_are_removed(raw: str) -> None:
    assert redact_text(f"open ({raw}), then") == f"open ({REMOVED}), then"


def test_other_links_stay() -> None:
    text = "See https://dashboard.stripe.com/test/settings/billing/portal and https://x.example/session/1"
    assert redact_text(text) == text


def test_emails_are_masked_only_when_asked() -> None:
    text = "Mail jane.doe@example.com or prefilled ?email=jane%40example.com"
    assert redact_text(text) == "Mail j***@example.com or prefilled ?email=j***%40example.com"
    assert redact_text(text, RedactionOptions(mask_emails=False)) == text


def test_redaction_is_idempotent_and_strips_control_characters() -> None:
    text = "a\x1b[2Jb sk_test_51AbCdEfGh1234 jane@example.com\tok\nnext"
    once = redact_text(text)
    assert once == "a[2Jb sk_test_…1234 j***@example.com\tok\nnext"
    assert redact_text(once) == once
    assert redact_text(None) == ""


def test_notice_names_what_was_removed() -> None:
    assert redaction_notice() == "Redacted: secret keys, portal session links, customer e-mails"
    assert redaction_notice(RedactionOptions(mask_emails=False)) == (
        "Redacted: secret keys, portal session links"
    )
