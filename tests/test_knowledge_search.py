"""Search answers the way owners talk on the phone, including half-typed words."""

from __future__ import annotations

import pytest

from assistant.knowledge.base import KnowledgeBase, default_knowledge

# (what the owner or agent types, the entry id or term name expected in the top three)
PHRASINGS: list[tuple[str, str]] = [
    ("my plans don't show", "products-not-appearing"),
    ("Products not appearing!", "products-not-appearing"),
    ("link expired", "session-link-expired"),
    ("the link says EXPIRED", "session-link-expired"),
    ("customer can't cancel", "cancellation-disabled"),
    ("customers can only cancel", "subscription-cancel-only"),
    ("can't change plan", "plan-changes-disabled"),
    ("customers can't switch plans", "plan-changes-disabled"),
    ("it says no configuration", "portal-not-saved"),
    ("where do customers go back after", "return-url-missing"),
    ("return url is not valid", "return-url-invalid"),
    ("webhook not firing", "webhooks-missing-events"),
    ("our app didn't notice the cancellation", "webhooks-missing-events"),
    ("pk_live key doesn't work", "publishable-key-pasted"),
    ("I pasted the whsec one", "webhook-secret-pasted"),
    ("they never got the code", "passcode-not-arriving"),
    ("wrong email on the login page", "login-link-duplicate-emails"),
    ("customer wants to change their email", "login-link-email-change"),
    ("test works but live doesn't", "test-live-configured-separately"),
    ("tax address rejected", "tax-address-rejected"),
    ("one plan includes tax, the other doesn't", "tax-behavior-mismatch"),
    ("schedule", "subscription-on-schedule"),
    ("too many requests", "rate-limited"),
    ("stripe is not responding", "stripe-unreachable"),
    ("api key expired", "key-rejected"),
    ("permission denied", "restricted-key-missing-permission"),
    ("no such customer", "customer-not-found"),
    ("a similar object exists in live mode", "customer-in-other-mode"),
    ("we archived the old plan", "archived-product-or-price"),
    ("the setup fee doesn't appear", "non-recurring-price"),
    ("we have more than ten plans", "too-many-products"),
    ("the card section is gone", "payment-method-section-hidden"),
    ("preview doesn't work", "preview-unavailable"),
    ("we use stripe connect", "connect-platform"),
    ("we're going live next week", "going-live"),
    ("there's nothing to click in the portal", "no-self-service-feature"),
    ("we created a new customer and the portal is empty", "fresh-customer-empty-portal"),
    ("sk_test instead of sk_live", "key-wrong-mode"),
    ("how do customers log in", "login-link-not-activated"),
    # words rather than problems: the glossary answers
    ("billing portal", "Customer Portal"),
    ("self-service page", "Customer Portal"),
    ("metered billing", "Usage-based Billing"),
    ("what is a restricted key", "Restricted Key"),
    ("VAT number", "Tax ID"),
    ("req_ id", "Request ID"),
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return default_knowledge()


def test_table_is_large_enough() -> None:
    assert len(PHRASINGS) >= 25


@pytest.mark.parametrize(("query", "expected"), PHRASINGS)
def test_owner_phrasing_finds_the_right_answer(kb: KnowledgeBase, query: str, expected: str) -> None:
    top = [hit.key for hit in kb.search(query, limit=3)]
    assert expected in top, f"{query!r} gave {top}"


@pytest.mark.parametrize(("partial", "expected"), [
    ("webho", "webhooks-missing-events"),
    ("passc", "passcode-not-arriving"),
    ("expir", "session-link-expired"),
    ("prefill", "Prefilled E-mail"),
])
def test_incremental_typing_matches_word_starts(kb: KnowledgeBase, partial: str, expected: str) -> None:
    assert expected in [hit.key for hit in kb.search(partial, limit=3)]


def test_case_and_punctuation_do_not_matter(kb: KnowledgeBase) -> None:
    a = [h.key for h in kb.search("link expired")]
    b = [h.key for h in kb.search("LINK... EXPIRED?!")]
    assert a == b


def test_plurals_and_verb_forms_match(kb: KnowledgeBase) -> None:
    assert kb.search("webhooks firing", 1)[0].key == kb.search("webhook fired", 1)[0].key


def test_stop_words_and_empty_queries_return_nothing(kb: KnowledgeBase) -> None:
    assert kb.search("") == []
    assert kb.search("   ") == []
    assert kb.search("the it my and") == []
    assert kb.search("zzzqqq") == []


def test_hits_carry_kind_title_and_snippet(kb: KnowledgeBase) -> None:
    hits = kb.search("return url", limit=10)
    assert 0 < len(hits) <= 10
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    kinds = {h.kind for h in hits}
    assert kinds <= {"term", "trouble"} and kinds == {"term", "trouble"}
    for hit in hits:
        assert hit.title and hit.snippet
        if hit.kind == "term":
            assert kb.term(hit.key) is not None and hit.title == hit.key
        else:
            assert kb.entry(hit.key).title == hit.title


def test_limit_is_respected(kb: KnowledgeBase) -> None:
    assert len(kb.search("portal", limit=2)) == 2
    assert kb.search("portal", limit=0) == []




@pytest.mark.parametrize("words", ["redirect link", "Default redirect link", "return url"])
def test_the_dashboards_own_words_lead_to_their_term(kb: KnowledgeBase, words: str) -> None:
    """The Dashboard labels the default return URL "Default redirect link" (and the cards tell
    the owner to set it): typed as it reads, it finds the term first (issue 22, item 10)."""
    assert kb.search(words, limit=1)[0].key == "Default Return URL"
