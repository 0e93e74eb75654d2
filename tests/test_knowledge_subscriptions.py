"""Issue 23, item 10: what the knowledge says about subscriptions matches Stripe since 2024-2026.
A pause is not always a trial's, a schedule blocks the portal only while a change is ahead (and
the portal makes some itself), an app has to read both cancellation fields, and a subscription's
own payment method outranks the customer's default."""

from __future__ import annotations

import re

import pytest

from assistant.diagnosis.checks import messages
from assistant.knowledge.base import KnowledgeBase, default_knowledge


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return default_knowledge()


def _everything(kb: KnowledgeBase) -> str:
    parts = [t.definition + " " + t.why_it_matters for t in kb.terms]
    parts += [" ".join([e.title, e.cause, *e.fix]) for e in kb.entries]
    parts += [" ".join([*tr.ask, *tr.say, *tr.watch_out]) for tr in kb.talk_tracks]
    return "\n".join(parts)


def _track(kb: KnowledgeBase, step: str) -> str:
    track = kb.talk_track(step)
    assert track is not None
    return " ".join([*track.ask, *track.say, *track.watch_out])


def test_a_pause_is_explained_by_each_of_its_causes(kb: KnowledgeBase) -> None:
    status = kb.term("Subscription Status")
    entry = kb.entry("subscription-paused")
    assert status is not None and entry is not None
    for text in (status.why_it_matters, entry.cause):
        for cause in ("on request", "failed payment", "trial", "Stripe itself"):
            assert cause in text, (cause, text)
    assert "Paused payment collection" in status.why_it_matters and "stays active" in status.why_it_matters
    assert "A subscription pauses when its free trial ends" not in _everything(kb)
    means = messages.catalogue()["checks"]["customer.subscriptions"]["findings"]
    assert "only" not in means["subscription.paused"]["means"]


def test_a_schedule_blocks_the_portal_only_while_a_change_is_ahead(kb: KnowledgeBase) -> None:
    term = kb.term("Subscription Schedule")
    entry = kb.entry("subscription-on-schedule")
    assert term is not None and entry is not None
    for text in (term.why_it_matters, entry.cause, _track(kb, "customer")):
        assert "change ahead" in text and "While" in text, text
        assert "portal makes" in text or "the portal's own" in text, text
    assert "has a schedule attached. The owner" not in term.why_it_matters
    assert "cannot be changed or cancelled from the portal at all" not in entry.cause
    wording = messages.catalogue()["checks"]["customer.subscriptions"]["findings"]["subscription.on_schedule"]
    assert "while that change is scheduled" in wording["detail"]


def test_the_webhooks_knowledge_names_both_cancellation_fields(kb: KnowledgeBase) -> None:
    entry = kb.entry("webhooks-missing-events")
    other = kb.entry("cancellation-not-seen-by-app")
    assert entry is not None and other is not None
    for text in (" ".join(entry.fix), _track(kb, "webhooks"), other.cause):
        assert "cancel_at_period_end" in text and re.search(r"\bcancel_at\b(?!_)", text), text
        assert "flexible billing mode" in text, text
    term = kb.term("Billing Mode")
    assert term is not None and kb.term("cancel_at") is term and kb.term("pending cancellation") is term


def test_a_subscriptions_own_payment_method_is_known(kb: KnowledgeBase) -> None:
    entry = kb.entry("subscription-charges-old-card")
    assert entry is not None and "before the customer's default" in entry.cause
    assert "own" in kb.term("Payment Methods").why_it_matters  # type: ignore[union-attr]
    assert "own payment method" in _track(kb, "customer")


def test_the_check_lists_the_new_entries_and_the_customer_track_covers_each_outcome(kb: KnowledgeBase) -> None:
    declared = messages.catalogue()["checks"]["customer.subscriptions"]["troubleshooting"]
    assert {"subscription-collection-paused", "subscription-charges-old-card",
            "cancellation-not-seen-by-app"} <= set(declared)
    track = _track(kb, "customer")
    for phrase in ("paused after its trial", "from a request", "from failed payments", "Stripe itself",
                   "Paused payment collection", "own payment method", "clears on that date"):
        assert phrase in track, phrase
