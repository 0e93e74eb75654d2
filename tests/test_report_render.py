"""The Markdown and HTML reports: complete, escaped, and never carrying a secret."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta, timezone

import pytest
from markupsafe import escape
from support.report_samples import PLANTED_BODY, PLANTED_KEY, planted_diagnosis

import assistant
from assistant.account.errors import StripeErrorInfo
from assistant.diagnosis.model import AccountInfo, CheckResult, Status
from assistant.knowledge.checklist import check_ids
from assistant.report.note import step_label
from assistant.report.redaction import RedactionOptions
from assistant.report.render import UnknownFormat, render
from assistant.report.sample import sample_diagnosis

FORMATS = ("markdown", "html")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_check_title_and_status_is_in_the_report(fmt: str) -> None:
    d = sample_diagnosis(product_name="Pro plan")
    out = render(d, fmt)
    assert [c.id for c in d.checks] == list(check_ids())
    for check in d.checks:
        assert (str(escape(check.title)) if fmt == "html" else check.title) in out
        assert check.status.label in out
    assert assistant.__version__ in out
    assert "acct_1PrCtc3Coffee00" in out and "Practice Coffee Co." in out
    assert "sk_test_…Xy9Q" in out
    assert "Test Mode" in out
    assert "ZD-48213" in out
    assert "req_8sHq3bXoLz1fKe" in out and "rate_limit" in out  # Stripe said, with its request id


def test_each_title_is_said_beside_its_status_and_step_in_markdown() -> None:
    d = sample_diagnosis(product_name="Pro plan")
    out = render(d, "markdown")
    for check in d.checks:
        said = rf"{check.status.label} · {re.escape(step_label(check.id))} — {re.escape(check.title)}"
        # a check that needs attention heads its section; any other is one list line
        assert re.search(rf"^(### {said}|- {said})", out, re.MULTILINE), check.id


def test_each_title_is_said_beside_its_status_in_html() -> None:
    d = sample_diagnosis(product_name="Pro plan")
    out = render(d, "html")
    for check in d.checks:
        title = re.escape(str(escape(check.title)))
        beside = (rf"status-{check.status.value}\">(&nbsp;)?{check.status.label}(&nbsp;)?</(span|td)>.{{0,40}}"
                  rf"{re.escape(step_label(check.id))} — {title}")
        assert re.search(beside, out), check.id


def test_hostile_product_name_is_escaped_in_html() -> None:
    out = render(sample_diagnosis(), "html")
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Pro&#34;" in out


def test_hostile_notes_and_account_name_are_escaped_in_html() -> None:
    d = replace(
        sample_diagnosis(notes='<img src=x onerror="alert(1)">\nline two'),
        account=AccountInfo("acct_1", "<b>Evil</b> & Co"),
        ticket="<i>T-1</i>",
    )
    out = render(d, "html")
    assert "<img" not in out and "<b>Evil" not in out and "<i>T-1" not in out
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;<br>" in out
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in out


def test_only_links_to_stripe_are_clickable_in_html() -> None:
    d = sample_diagnosis()
    checks = list(d.checks)
    checks[4] = replace(
        checks[4], fix=("See https://dashboard.stripe.com/test/settings/billing/portal.",
                        "Not https://evil.example/stripe.com/login",
                        'Nor https://dashboard.stripe.com"onmouseover="x'),
    )
    out = render(replace(d, checks=tuple(checks)), "html")
    assert '<a href="https://dashboard.stripe.com/test/settings/billing/portal">' in out
    assert 'href="https://evil.example' not in out
    assert "onmouseover=" not in out.replace("onmouseover=&#34;", "")


def test_markdown_keeps_pipes_and_markup_as_typed() -> None:
    d = sample_diagnosis(product_name="Gold | Silver *best*")
    out = render(d, "markdown")
    assert "|---" not in out  # no table for a name's pipe to break
    assert r'the product "Gold | Silver \*best\*" is archived' in out  # shown as typed, never as emphasis


def test_markdown_keeps_the_hostile_name_inert() -> None:
    out = render(sample_diagnosis(), "markdown")
    assert "<script>" not in out
    assert r'\<script\>alert(1)\</script\> & "Pro"' in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_planted_key_and_session_link_never_reach_the_report(fmt: str) -> None:
    out = render(planted_diagnosis(), fmt)
    assert PLANTED_KEY not in out
    assert PLANTED_BODY not in out
    assert "YWNjdF8xUGxhbnRlZFNlc3Npb24" not in out
    assert "sk_live_…6789" in out  # the masked form, so the agent can still tell keys apart
    assert "[portal session link removed]" in out
    assert "Redacted: secret keys, portal session links, customer e-mails" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_email_masking_can_be_turned_off(fmt: str) -> None:
    masked = render(sample_diagnosis(), fmt, options=RedactionOptions(mask_emails=True))
    plain = render(sample_diagnosis(), fmt, options=RedactionOptions(mask_emails=False))
    assert "jane.doe@example.com" not in masked
    assert "j***@example.com" in masked or r"j\*\*\*@example.com" in masked
    assert "jane.doe@example.com" in plain
    assert "customer e-mails" in masked and "customer e-mails" not in plain
    assert "Redacted: secret keys, portal session links" in plain
    # Session links go whatever the option says.
    assert "test_YWNjdF8xUHJDdGMz" not in plain


@pytest.mark.parametrize("fmt", FORMATS)
def test_time_is_shown_in_utc_and_local(fmt: str) -> None:
    out = render(sample_diagnosis(), fmt, tz=timezone(timedelta(hours=-5)))
    assert "2024-06-03 14:07:31 UTC" in out
    assert "2024-06-03 09:07:31 UTC-05:00" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_run_without_account_or_checks_still_renders(fmt: str) -> None:
    d = replace(sample_diagnosis(), account=None, mode=None, checks=(), notes="", ticket="")
    out = render(d, fmt)
    assert "Not identified" in out and "No checks ran" in out


def test_stripe_error_without_optional_fields() -> None:
    d = sample_diagnosis()
    checks = (CheckResult("key.accepted", "Stripe accepts the key", Status.ERROR, "No answer.",
                          stripe_error=StripeErrorInfo("Could not connect")),)
    out = render(replace(d, checks=checks), "markdown")
    assert "- Message: Could not connect" in out and "Request ID" not in out


def test_unknown_format_is_refused() -> None:
    with pytest.raises(UnknownFormat):
        render(sample_diagnosis(), "docx")
    assert render(sample_diagnosis(), "md") == render(sample_diagnosis(), "markdown")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_run_that_could_not_start_says_why(fmt: str) -> None:
    d = replace(sample_diagnosis(), checks=(), fatal=f"Could not reach Stripe with {PLANTED_KEY}")
    out = render(d, fmt)
    assert "The diagnosis could not run:" in out and "Could not reach Stripe" in out
    assert PLANTED_BODY not in out
