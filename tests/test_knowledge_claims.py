"""What the agent reads out must match Stripe's current documentation (issue 16), and every new
check and outcome has its talk-track lines (issue 11): one test per claim, over the shipped
knowledge files, the wording the checks render and the Dashboard links they build."""

from __future__ import annotations

import json
import re

import pytest

from assistant.account.permissions import dashboard_words
from assistant.knowledge.base import KnowledgeBase, default_knowledge
from assistant.practice import api
from assistant.resources import read_text


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return default_knowledge()


def _all_text(kb: KnowledgeBase) -> str:
    parts: list[str] = []
    for t in kb.terms:
        parts += [t.definition, t.why_it_matters]
    for e in kb.entries:
        parts += [e.title, e.cause, *e.fix, *e.symptoms]
    for tr in kb.talk_tracks:
        parts += [*tr.ask, *tr.say, *tr.watch_out]
    return "\n".join(parts)


def _track(kb: KnowledgeBase, step: str) -> str:
    track = kb.talk_track(step)
    assert track is not None
    return "\n".join([*track.ask, *track.say, *track.watch_out])


# --- 1. tax behaviour: no change at all when it is unspecified --------------------------------

def test_tax_behaviour_texts_say_unspecified_blocks_every_change(kb: KnowledgeBase) -> None:
    term = kb.term("Tax Behavior")
    entry = kb.entry("tax-behavior-mismatch")
    assert term is not None and entry is not None
    for text in (term.why_it_matters, entry.cause, _track(kb, "products")):
        assert "unspecified" in text and "even" in text, text
    assert "share the same setting" not in term.why_it_matters


# --- 2. plan-change prerequisites ---------------------------------------------------------

def test_plan_changes_need_payment_method_updates(kb: KnowledgeBase) -> None:
    entry = kb.entry("plan-changes-need-payment-method-updates")
    assert entry is not None
    assert "cannot enable subscription updates while payment method update is disabled" in entry.symptoms
    assert "payment method updates" in " ".join(kb.entry("plan-changes-disabled").fix)  # type: ignore[union-attr]


def test_one_price_per_billing_interval_is_known(kb: KnowledgeBase) -> None:
    entry = kb.entry("same-interval-prices")
    assert entry is not None and "one price per billing interval" in entry.cause
    assert "one price per billing interval" in _track(kb, "products")


# --- 3. cancel-only: which rule ------------------------------------------------------------

def test_cancel_only_entry_names_both_rules(kb: KnowledgeBase) -> None:
    entry = kb.entry("subscription-cancel-only")
    assert entry is not None
    assert "more than one product" in entry.cause and "several items" in entry.cause
    assert "API reference" in entry.cause and "list of portal limitations" in entry.cause


# --- 4. allowed updates and pausing --------------------------------------------------------

def test_promotion_codes_alone_change_no_plan(kb: KnowledgeBase) -> None:
    assert "promotion codes alone" in kb.entry("plan-changes-disabled").cause  # type: ignore[union-attr]
    assert "promotion codes" in _track(kb, "products")


def test_pausing_counts_as_a_feature(kb: KnowledgeBase) -> None:
    assert "no pausing" in kb.entry("no-self-service-feature").cause  # type: ignore[union-attr]
    assert "Pausing subscriptions" in _track(kb, "configuration")


# --- 5. restricted-key permissions in the Dashboard's words ---------------------------------

def _permissions_the_app_can_ask_for() -> set[str]:
    asked = {permission for _, _, permission, _ in api.ROUTES if permission}
    return asked | set(api._EXPAND_PERMISSIONS.values())


def test_every_permission_the_app_can_ask_for_has_dashboard_words() -> None:
    """Routes and the expansions the diagnosis asks for (subscriptions, payment methods)."""
    for name in _permissions_the_app_can_ask_for():
        assert re.fullmatch(r"[A-Z][A-Za-z ]+: (Read|Write)", dashboard_words(name) or ""), name


def test_permission_texts_lead_with_the_dashboards_words(kb: KnowledgeBase) -> None:
    entry = kb.entry("restricted-key-missing-permission")
    assert entry is not None and entry.fix[0].startswith("Tell the owner the right in the Dashboard's words")
    assert "None, Read or Write" in kb.term("API Key Permission").definition  # type: ignore[union-attr]
    catalogue = json.loads(read_text("checks.json"))
    summary = catalogue["common"]["error.permission"]["summary"]
    # The Dashboard's words only: Stripe's name (`rak_...`) stays in the finding's facts.
    assert "{permission_words}" in summary and "{permission}" not in summary


# --- 6. session expiry: recovery since the 2026-10-28 API ---------------------------------------

def test_session_expiry_says_when_an_expired_link_can_be_recovered(kb: KnowledgeBase) -> None:
    for text in (kb.term("Portal Session").why_it_matters,  # type: ignore[union-attr]
                 kb.entry("session-link-expired").cause,  # type: ignore[union-attr]
                 _track(kb, "return_url")):
        assert "after_expiration" in text, text
    assert "28 October 2026 (endive)" in kb.entry("session-link-expired").cause  # type: ignore[union-attr]
    assert "cannot be bookmarked or reused" not in _all_text(kb)


# --- 7. return URL: https in live mode, http allowed in test mode ---------------------------

def test_return_url_texts_allow_http_in_test_mode(kb: KnowledgeBase) -> None:
    track = _track(kb, "return_url")
    assert "must be a full web address starting with https://" not in track.lower()
    assert "live mode should use https://" in track and "test mode may use http://" in track
    fixes = " ".join(kb.entry("return-url-invalid").fix)  # type: ignore[union-attr]
    assert "test mode may use http://" in fixes


# --- 8. webhooks live in Workbench ---------------------------------------------------------

def test_no_knowledge_link_goes_to_the_legacy_webhooks_page(kb: KnowledgeBase) -> None:
    shipped = read_text("knowledge", "glossary.json") + read_text("knowledge", "troubleshooting.json")
    assert not re.search(r"dashboard\.stripe\.com/(test/)?webhooks", shipped)
    assert "https://dashboard.stripe.com/test/workbench/webhooks" in shipped
    assert "Workbench" in _track(kb, "webhooks")


# --- 9. /test/ links and sandboxes ---------------------------------------------------------

def test_sandboxes_are_separate_accounts(kb: KnowledgeBase) -> None:
    for text in (kb.term("Dashboard").definition, kb.term("Test Mode").definition,  # type: ignore[union-attr]
                 _track(kb, "connect")):
        assert "sandbox" in text and "/test/" in text or "sk_test_" in text, text
    assert "own sk_test_ keys" in _track(kb, "connect")


def test_the_portal_preview_works_in_a_sandbox_too(kb: KnowledgeBase) -> None:
    """Stripe's guide now says the read-only preview needs a sandbox; its older wording said test
    mode. Both are said, and never live mode (issue 23, item 10)."""
    entry = kb.entry("preview-unavailable")
    assert entry is not None
    assert "sandbox" in entry.cause and "test mode" in entry.cause and "never works in live mode" in entry.cause
    assert "only works while the Dashboard is in test mode" not in entry.cause
    assert any("sandbox" in step for step in entry.fix)


@pytest.mark.parametrize(("names", "words"), [
    (("rak_plan_read", "rak_price_read"), "Prices: Read"),
    (("rak_plan_write", "rak_price_write"), "Prices: Write"),
])
def test_the_prices_permission_reads_as_prices_under_either_name(names: tuple[str, str], words: str) -> None:
    """Public code names the Prices row `rak_plan_…` (Stripe's older Plans object); this app used
    `rak_price_…`. Until Stripe confirms one, both read as the Dashboard's row, each with its source."""
    table = json.loads(read_text("stripe", "permissions.json"))["permissions"]
    for name, other in (names, names[::-1]):
        assert dashboard_words(name) == words
        assert table[name]["also_named"] == other and table[name]["source"]
    routes = {(method, permission) for method, pattern, permission, _ in api.ROUTES if "prices" in pattern.pattern}
    assert routes == {("GET", "rak_plan_read"), ("POST", "rak_plan_write")}  # the name Stripe reports


# --- 10. Public details and Branding pages ---------------------------------------------------

@pytest.mark.parametrize(("where", "page"), [
    ("Business Information", "settings/public"), ("Branding", "settings/branding"),
])
def test_business_information_and_branding_link_their_pages(kb: KnowledgeBase, where: str, page: str) -> None:
    term = kb.term(where)
    assert term is not None and term.dashboard is not None
    assert term.dashboard.test == f"https://dashboard.stripe.com/test/{page}"
    assert term.dashboard.live == f"https://dashboard.stripe.com/{page}"
    entry = kb.entry("portal-branding-not-in-settings")
    assert entry is not None and "Branding page" in entry.cause and "Public details page" in entry.cause


# --- issue 11, item 7: talk-track lines for every new check and outcome ---------------------

@pytest.mark.parametrize(("step", "phrase"), [
    ("customer", "deleted"),                       # customer.deleted
    ("customer", "paused after its trial"),        # subscription.paused
    ("customer", "Past due, unpaid or incomplete"),  # the other statuses
    ("customer", "isn't in the portal's list"),    # subscription.plan_not_offered
    ("customer", "another tax behaviour"),         # subscription.tax_behavior_differs
    ("customer", "payment method the portal doesn't support"),  # ..._unsupported
    ("customer", "several items"),                 # subscription.several_items
    ("customer", "portal sessions your site opened"),  # integration.sessions
    ("customer", "other mode's key"),              # sessions.none
    ("customer", "locale"),                        # sessions.locales
    ("customer", "at least one payment method"),   # last payment method
    ("customer", "billing e-mail is not a login"),
    ("configuration", "never the default"),        # configuration.no_default
    ("configuration", "privacy policy and terms of service"),  # portal.business_profile
    ("configuration", "Branding and Public details pages"),
    ("products", "up to 10 products; with more"),  # catalogue.too_many
    ("products", "exist but aren't offered"),      # catalogue.not_offered
    ("products", "left out of the list"),
    ("webhooks", "events still waiting after an hour"),  # webhooks.delivery
    ("webhooks", "Stripe disables an endpoint"),   # delivery.endpoint_disabled
    ("webhooks", "customer.updated tells your app about billing changes only"),
    ("connect", "Events: Read"),                   # the skip of both event checks
])
def test_talk_tracks_cover_the_new_checks(kb: KnowledgeBase, step: str, phrase: str) -> None:
    assert phrase.lower() in _track(kb, step).lower()


def test_sources_doc_dates_every_stripe_data_file() -> None:
    """docs/sources.md is where the next review starts: it names each data file of Stripe facts
    and the date its facts were checked."""
    from pathlib import Path

    sources = (Path(__file__).resolve().parents[1] / "docs" / "sources.md").read_text(encoding="utf-8")
    for parts in (("stripe", "permissions.json"), ("stripe", "portal_payment_methods.json"),
                  ("stripe", "dashboard_fields.json")):
        data = json.loads(read_text(*parts))
        assert parts[-1] in sources, parts
        assert data["checked"] in sources, parts
