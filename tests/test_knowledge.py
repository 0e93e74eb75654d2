"""The knowledge base an agent reads aloud: complete, cross-linked, schema-valid, safely rendered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from assistant.diagnosis.checks.registry import CHECK_IDS
from assistant.knowledge import html as knowledge_html
from assistant.knowledge.base import (
    GLOSSARY_FILE,
    REQUIRED_TERMS,
    SCHEMA_FILE,
    STEP_IDS,
    TALK_TRACKS_FILE,
    TROUBLESHOOTING_FILE,
    DashboardLinks,
    KnowledgeBase,
    KnowledgeError,
    Term,
    TroubleshootingEntry,
    default_knowledge,
    validate,
)
from assistant.resources import resource_path

FILES = {"glossary": GLOSSARY_FILE, "troubleshooting": TROUBLESHOOTING_FILE,
         "talk_tracks": TALK_TRACKS_FILE}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def _json(name: str) -> Any:
    return json.loads(resource_path("knowledge", name).read_text(encoding="utf-8"))


def _all_dashboards(kb: KnowledgeBase) -> list[tuple[str, DashboardLinks]]:
    links = [(t.name, t.dashboard) for t in kb.terms if t.dashboard]
    links += [(e.id, e.dashboard) for e in kb.entries if e.dashboard]
    return links


# --------------------------------------------------------------------------- files and schema


def test_validate_finds_no_problems(kb: KnowledgeBase) -> None:
    assert validate(kb, CHECK_IDS) == []


@pytest.mark.parametrize("part", sorted(FILES))
def test_each_file_matches_its_schema(part: str) -> None:
    schema = _json(SCHEMA_FILE)
    jsonschema.Draft202012Validator.check_schema(schema)
    sub_schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{part}"}
    jsonschema.Draft202012Validator(sub_schema).validate(_json(FILES[part]))


def test_the_three_files_together_match_the_schema() -> None:
    bundle = {part: _json(name) for part, name in FILES.items()}
    jsonschema.Draft202012Validator(_json(SCHEMA_FILE)).validate(bundle)


def test_schema_rejects_check_links_inside_an_entry() -> None:
    """Which checks link to an entry is declared once, with the checks in checks.json."""
    schema = _json(SCHEMA_FILE)
    entries = _json(TROUBLESHOOTING_FILE)
    entries[0]["checks"] = ["portal.products"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/troubleshooting"}
                                        ).validate(entries)


def test_is_loaded_once_and_cached() -> None:
    assert default_knowledge() is default_knowledge()


def test_misshapen_file_names_the_file_and_field(tmp_path: Path) -> None:
    for name in FILES.values():
        (tmp_path / name).write_text(resource_path("knowledge", name).read_text("utf-8"), "utf-8")
    terms = _json(GLOSSARY_FILE)
    del terms[2]["definition"]
    (tmp_path / GLOSSARY_FILE).write_text(json.dumps(terms), "utf-8")
    with pytest.raises(KnowledgeError, match=r"glossary\.json\[2\].*definition"):
        KnowledgeBase.load(tmp_path)


def test_missing_folder_is_a_knowledge_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="glossary.json"):
        KnowledgeBase.load(tmp_path / "nowhere")


# --------------------------------------------------------------------------- glossary


@pytest.mark.parametrize("name", REQUIRED_TERMS)
def test_required_term_exists_with_every_field_filled(kb: KnowledgeBase, name: str) -> None:
    term = kb.term(name)
    assert term is not None and term.name == name
    for field in ("definition", "why_it_matters"):
        assert getattr(term, field).strip(), field
    assert term.synonyms and all(s.strip() for s in term.synonyms)
    assert term.related


def test_every_cross_link_resolves(kb: KnowledgeBase) -> None:
    names = {t.name for t in kb.terms}
    for term in kb.terms:
        assert set(term.related) <= names, term.name
    for entry in kb.entries:
        assert set(entry.terms) <= names, entry.id
    for track in kb.talk_tracks:
        assert set(track.terms) <= names, track.step


def test_term_lookup_ignores_case_and_accepts_synonyms(kb: KnowledgeBase) -> None:
    assert kb.term("customer portal") is kb.term("Customer Portal")
    assert kb.term("BILLING PORTAL").name == "Customer Portal"
    assert kb.term("manage billing link").name == "Customer Portal"
    assert kb.term("prefilled email").name == "Prefilled E-mail"
    assert kb.term("usage based billing").name == "Usage-based Billing"
    assert kb.term("metered billing").name == "Usage-based Billing"
    assert kb.term("no such thing") is None


def test_dashboard_links_point_to_the_right_mode(kb: KnowledgeBase) -> None:
    links = _all_dashboards(kb)
    assert len(links) > 20
    for owner, link in links:
        assert link.test.startswith("https://dashboard.stripe.com/test/"), owner
        assert "/test/" in link.test, owner
        assert link.live.startswith("https://dashboard.stripe.com/"), owner
        assert "/test/" not in link.live, owner
        assert link.for_mode("test") == link.test and link.for_mode("live") == link.live


def test_portal_settings_link_is_the_documented_page(kb: KnowledgeBase) -> None:
    links = kb.term("Portal Configuration").dashboard
    assert links == DashboardLinks("https://dashboard.stripe.com/test/settings/billing/portal",
                                   "https://dashboard.stripe.com/settings/billing/portal")


# --------------------------------------------------------------------------- troubleshooting


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_every_check_has_an_entry_with_glossary_terms(kb: KnowledgeBase, check_id: str) -> None:
    entries = kb.entries_for_check(check_id)
    assert entries, f"no troubleshooting entry for {check_id}"
    for entry in entries:
        assert any(kb.term(t) is not None for t in entry.terms), entry.id


def test_entries_have_several_owner_phrasings_and_steps(kb: KnowledgeBase) -> None:
    for entry in kb.entries:
        assert len(entry.symptoms) >= 3, entry.id
        assert entry.fix and entry.cause.strip(), entry.id
        assert kb.entry(entry.id) is entry


@pytest.mark.parametrize("entry_id", [
    "test-live-configured-separately", "portal-not-saved", "products-not-appearing",
    "archived-product-or-price", "non-recurring-price", "return-url-missing", "return-url-invalid",
    "session-link-expired", "subscription-cancel-only", "subscription-on-schedule",
    "tax-address-rejected", "tax-behavior-mismatch", "payment-method-section-hidden",
    "connect-platform", "login-link-duplicate-emails", "login-link-email-change",
    "passcode-not-arriving", "preview-unavailable", "webhooks-missing-events", "going-live",
    "publishable-key-pasted", "webhook-secret-pasted", "key-rejected",
    "restricted-key-missing-permission", "rate-limited", "stripe-unreachable",
    "customer-in-other-mode", "no-self-service-feature", "fresh-customer-empty-portal",
    "too-many-products",
])
def test_every_known_pitfall_is_covered(kb: KnowledgeBase, entry_id: str) -> None:
    assert kb.entry(entry_id) is not None


def test_session_expiry_entry_states_all_three_lifetimes(kb: KnowledgeBase) -> None:
    cause = kb.entry("session-link-expired").cause
    assert "5 minutes" in cause and "1 hour" in cause and "2 hours" in cause


def test_webhook_entry_lists_the_events_to_listen_to(kb: KnowledgeBase) -> None:
    text = " ".join(kb.entry("webhooks-missing-events").fix)
    for event in ("customer.subscription.updated", "customer.subscription.deleted",
                  "payment_method.attached", "payment_method.detached", "customer.updated",
                  "customer.tax_id.created", "billing_portal.configuration.updated",
                  "billing_portal.session.created"):
        assert event in text


def test_no_entry_advises_creating_customers(kb: KnowledgeBase) -> None:
    for entry in kb.entries:
        for step in entry.fix:
            lowered = step.lower()
            assert not (lowered.startswith("create") and "customer" in lowered), entry.id


def test_validate_reports_broken_links_and_unknown_checks(kb: KnowledgeBase) -> None:
    broken_term = Term("Customer Portal", ("x",), "d", "w", ("Nowhere",))
    broken_entry = TroubleshootingEntry("Bad Id", "t", ("s",), "c", ("portal.nonsense",), ("f",),
                                        DashboardLinks("https://dashboard.stripe.com/products",
                                                       "https://dashboard.stripe.com/test/products"),
                                        ("Missing Term",))
    bad = KnowledgeBase([*kb.terms, broken_term], [*kb.entries, broken_entry], kb.talk_tracks[:-1])
    problems = "\n".join(validate(bad, CHECK_IDS))
    for expected in ("duplicate name", "'Nowhere' does not exist", "not kebab-case",
                     "unknown check id 'portal.nonsense'", "'Missing Term' does not exist",
                     "test Dashboard link", "live Dashboard link", "no talk track for step 'report'"):
        assert expected in problems


def test_validate_reports_empty_fields() -> None:
    empty = KnowledgeBase([Term("X", (), " ", "", ())], [], [])
    problems = "\n".join(validate(empty, CHECK_IDS))
    assert "synonyms is empty" in problems and "definition is empty" in problems
    assert "no troubleshooting entry for check 'key.format'" in problems


# --------------------------------------------------------------------------- talk tracks


@pytest.mark.parametrize("step", STEP_IDS)
def test_every_checklist_step_has_a_talk_track(kb: KnowledgeBase, step: str) -> None:
    track = kb.talk_track(step)
    assert track is not None and track.step == step
    assert track.ask and track.say and track.watch_out and track.terms


def test_no_talk_track_for_unknown_step(kb: KnowledgeBase) -> None:
    assert kb.talk_track("nonsense") is None


# --------------------------------------------------------------------------- rendering


def test_entry_renders_with_title_links_and_steps(kb: KnowledgeBase) -> None:
    entry = kb.entry("products-not-appearing")
    html = knowledge_html.render_entry(entry)
    assert "<h3>Plans do not show up in the portal</h3>" in html
    assert '<a href="term:Product%20Catalogue">Product Catalogue</a>' in html
    assert 'href="https://dashboard.stripe.com/test/settings/billing/portal"' in html
    assert "<li>" in html and "Products offered for plan switching can be used" in html
    assert "portal.products" not in html


def test_hostile_term_text_is_escaped() -> None:
    hostile = Term(
        name="<script>alert(1)</script>",
        synonyms=("<b>x</b>",),
        definition='"quoted" & <img src=x onerror=alert(1)>',
        why_it_matters="<script>",
        related=('"><script>',),
        dashboard=DashboardLinks("javascript:alert(1)", 'https://dashboard.stripe.com/"><script>'),
    )
    html = knowledge_html.render_term(hostile)
    assert "<script>" not in html
    assert "<img" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html  # only https becomes a link
    assert '"><' not in html


def test_links_round_trip(kb: KnowledgeBase) -> None:
    for term in kb.terms:
        assert knowledge_html.parse_link(knowledge_html.term_href(term.name)) == ("term", term.name)
    for entry in kb.entries:
        assert knowledge_html.parse_link(knowledge_html.trouble_href(entry.id)) == ("trouble", entry.id)
    assert knowledge_html.parse_link("https://dashboard.stripe.com/test/products") is None


def test_rendering_uses_only_the_small_html_subset(kb: KnowledgeBase) -> None:
    import re

    pieces = [knowledge_html.render_term(t) for t in kb.terms]
    pieces += [knowledge_html.render_entry(e) for e in kb.entries]
    pieces += [knowledge_html.render_talk_track(t) for t in kb.talk_tracks]
    pieces.append(knowledge_html.render_hits(kb.search("link expired")))
    pieces.append(knowledge_html.render_hits([]))
    tags = {m.lower() for p in pieces for m in re.findall(r"</?([a-zA-Z0-9]+)", p)}
    assert tags <= {"h3", "p", "ul", "li", "b", "a"}


def test_talk_track_renders_its_questions(kb: KnowledgeBase) -> None:
    track = kb.talk_track("connect")
    html = knowledge_html.render_talk_track(track)
    assert f"<h3>{track.title}</h3>" in html
    assert "Ask:" in html and "Watch out:" in html


def test_validate_reports_a_check_linking_a_missing_entry(kb: KnowledgeBase) -> None:
    """Troubleshooting links are declared with the checks: one pointing nowhere is a problem."""
    linked = kb.entries_for_check("portal.products")[0]
    without = KnowledgeBase(kb.terms, [e for e in kb.entries if e.id != linked.id], kb.talk_tracks)
    problems = "\n".join(validate(without, CHECK_IDS))
    assert f"links troubleshooting entry {linked.id!r}, which does not exist" in problems
