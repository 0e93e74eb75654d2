"""The ticket note's section on what Stripe said when asked (issue 24): each flow on a line with
Stripe's verdict, the finding's sentence and Stripe's words quoted as sent (a key or a session link
removed, control characters written as escapes, HTML escaped), the disagreement line, and how
many portal sessions the asks created; no section when Stripe was not asked."""

from __future__ import annotations

import dataclasses

from assistant.diagnosis.status import Status
from assistant.report.asked import Asked
from assistant.report.render import render
from assistant.report.sample import sample_diagnosis

ACCEPTED = Asked("Update the payment method", "accepted", predicted="accepted")
REFUSED = Asked("Cancel the subscription to \"Pro\" (29.00 USD / month)", "refused",
                "Stripe refuses the cancel deep link, for a reason the assistant does not know yet.",
                "Already set <b>to</b> end\x1b[31m; see https://billing.stripe.com/p/session/test_abc and "
                "sk_test_51AbCdEfGhIjKlMnOpQrStUvWx", "req_123", "accepted")


def test_the_note_says_what_stripe_said_flow_by_flow() -> None:
    note = render(sample_diagnosis(), "markdown", asks=[ACCEPTED, REFUSED])
    assert "## What Stripe said when asked" in note
    assert "- Update the payment method: Stripe opens it" in note
    assert "The checks expected this to work; Stripe refused it." in note
    assert "(request req_123)" in note
    assert "\\u001b" in note and "\x1b" not in note
    assert "billing.stripe.com/p/session" not in note and "sk_test_51AbCdEfGhIjKlMnOpQrStUvWx" not in note
    assert "1 portal session was created to ask" in note


def test_the_html_note_escapes_stripes_words() -> None:
    html = render(sample_diagnosis(), "html", asks=[REFUSED])
    assert "<h2>What Stripe said when asked</h2>" in html
    assert "&lt;b&gt;to&lt;/b&gt;" in html and "<b>to</b>" not in html


def test_no_section_when_stripe_was_not_asked() -> None:
    for fmt in ("markdown", "html"):
        assert "What Stripe said when asked" not in render(sample_diagnosis(), fmt)
        assert "What Stripe said when asked" not in render(sample_diagnosis(), fmt, asks=[])


def test_a_refusal_is_in_the_headline_and_the_to_do_even_when_every_check_passed() -> None:
    """A colleague reading "No problems" and "Nothing" to do above a refused flow would close the
    ticket: the refusal is in the headline and in what the owner still has to do."""
    passed = dataclasses.replace(sample_diagnosis(), checks=tuple(
        dataclasses.replace(c, status=Status.PASS) for c in sample_diagnosis().checks))
    refused = dataclasses.replace(REFUSED, fix=("Switch cancellations on in the portal settings.",))
    note = render(passed, "markdown", asks=[ACCEPTED, refused])
    first = note.splitlines()[0]
    assert first.startswith("No problems") and "Stripe refused 1 of the 2 portal flows it was asked about." in first
    to_do = note.split("## What the owner still has to do", 1)[1].split("##", 1)[0]
    assert "Nothing" not in to_do
    assert '**Stripe refuses: Cancel the subscription to "Pro" (29.00 USD / month)**' in to_do
    assert "1. Switch cancellations on in the portal settings." in to_do
    html = render(passed, "html", asks=[ACCEPTED, refused])
    assert "Stripe refused 1 of the 2 portal flows" in html and "<li>Switch cancellations on" in html
    assert "Nothing: no check failed" not in html


def test_every_flow_opened_leaves_the_verdict_as_the_checks_gave_it() -> None:
    note = render(sample_diagnosis(), "markdown", asks=[ACCEPTED])
    assert "Stripe refused" not in note and "Stripe refuses:" not in note
