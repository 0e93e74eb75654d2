"""Error messages owners paste whole, from their logs or their site, find the entry that explains
them (the glossary pane's search): the sentence is a symptom, not only its key words."""

from __future__ import annotations

import pytest

from assistant.knowledge.base import KnowledgeBase, default_knowledge

NO_TEST_DEFAULT = ("No configuration provided and your test mode default configuration has not been created. "
                   "Provide a configuration or create your default by saving your customer portal settings in "
                   "test mode at https://dashboard.stripe.com/test/settings/billing/portal.")
NO_LIVE_DEFAULT = ("No configuration provided and your live mode default configuration has not been created. "
                   "Provide a configuration or create your default by saving your customer portal settings in "
                   "live mode at https://dashboard.stripe.com/settings/billing/portal.")
OLDER_WORDING = ("You can't create a portal session in test mode until you save your customer portal settings "
                 "in test mode at https://dashboard.stripe.com/test/settings/billing/portal.")
SWITCHING_OFF = ("This subscription cannot be updated because the subscription update feature in the portal "
                 "configuration is disabled.")
PASTED: list[tuple[str, str]] = [
    (SWITCHING_OFF, "portal-deep-link-refused"),
    ("Cannot update the subscription because there are no changes to confirm.", "portal-deep-link-refused"),
    (NO_TEST_DEFAULT, "portal-not-saved"),
    (NO_LIVE_DEFAULT, "portal-not-saved"),
    (OLDER_WORDING, "portal-not-saved"),
    ("the privacy policy link goes to example.com", "legal-links-placeholder"),
    ("we have thousands of portal configurations", "portal-configuration-per-visit"),
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return default_knowledge()


@pytest.mark.parametrize(("pasted", "expected"), PASTED)
def test_a_pasted_error_finds_its_entry_first(kb: KnowledgeBase, pasted: str, expected: str) -> None:
    top = [hit.key for hit in kb.search(pasted, limit=3)]
    assert top and top[0] == expected, f"{pasted!r} gave {top}"


def test_the_login_link_is_no_longer_said_to_need_a_default_configuration(kb: KnowledgeBase) -> None:
    entry = kb.entry("portal-no-default-configuration")
    assert entry is not None and "login link does not exist" not in entry.cause
    assert "every configuration has its own" in entry.cause
