"""The wording file is complete, uses only known glossary terms, and every rendered text is filled."""

from __future__ import annotations

import re

import pytest
from support.scenarios import all_scenarios

from assistant.diagnosis.checks import messages
from assistant.diagnosis.model import Status
from assistant.diagnosis.checks.registry import CHECK_IDS, run_checks

GLOSSARY = {
    "Customer Portal", "Payment Methods", "Subscription Management", "Billing History",
    "Portal Session", "Test Mode", "Live Mode", "Secret Key", "Restricted Key", "Publishable Key",
    "Webhook Signing Secret", "API Key Permission", "Portal Configuration", "Default Return URL",
    "Product Catalogue", "Price", "Archived Product", "Archived Price", "Recurring Price",
    "Usage-based Billing", "Webhook Endpoint", "No-code Login Link", "One-time Passcode",
    "Prefilled E-mail", "Stripe Tax", "Tax ID", "Tax Behavior", "Connect Platform",
    "Billing Email", "Subscription Schedule", "Collection Method", "Request ID", "Rate Limit",
    "Dashboard",
}
LEFTOVER = re.compile(r"\{[a-z_]+\}")
DASHBOARD = "https://dashboard.stripe.com/"


@pytest.fixture(scope="module")
def rendered() -> dict[str, object]:
    """Run every scenario once, recording which outcomes and notes were rendered."""
    outcomes: set[tuple[str, str]] = set()
    notes: set[tuple[str, str]] = set()
    real_render, real_note = messages.render, messages.note

    def spy_render(check_id, outcome, /, *args, **kw):  # type: ignore[no-untyped-def]
        outcomes.add((check_id, outcome))
        return real_render(check_id, outcome, *args, **kw)

    def spy_note(check_id, name, /, *args, **kw):  # type: ignore[no-untyped-def]
        notes.add((check_id, name))
        return real_note(check_id, name, *args, **kw)

    mp = pytest.MonkeyPatch()
    mp.setattr(messages, "render", spy_render)
    mp.setattr(messages, "note", spy_note)
    try:
        # mode here is the key's mode as the snapshot knows it (None for junk keys → test links)
        runs = [(ctx.snapshot.mode, name, run_checks(ctx)) for _, name, ctx in all_scenarios()]
    finally:
        mp.undo()
    return {"outcomes": outcomes, "notes": notes, "runs": runs}


def test_every_check_has_an_entry_with_a_title() -> None:
    checks = messages.catalogue()["checks"]
    assert set(checks) == set(CHECK_IDS)
    for cid in CHECK_IDS:
        assert checks[cid]["title"].strip()
        assert "{" not in messages.title(cid, "test")


def test_every_outcome_is_rendered_by_some_scenario(rendered) -> None:  # type: ignore[no-untyped-def]
    cat = messages.catalogue()
    wanted = {(cid, o) for cid, entry in cat["checks"].items() for o in entry["outcomes"]}
    missing = wanted - rendered["outcomes"]
    assert not missing, f"outcomes no scenario reaches: {sorted(missing)}"
    used_common = {o for _, o in rendered["outcomes"]}
    assert set(cat["common"]) - {"error_internal"} <= used_common


def test_every_note_is_used(rendered) -> None:  # type: ignore[no-untyped-def]
    cat = messages.catalogue()
    wanted = {(cid, n) for cid, entry in cat["checks"].items() for n in entry.get("notes", {})}
    assert not wanted - rendered["notes"], sorted(wanted - rendered["notes"])
    used = {n for _, n in rendered["notes"]}
    assert set(cat["common_notes"]) <= used


def test_no_scenario_hits_an_internal_error_and_placeholders_are_filled(rendered) -> None:  # type: ignore[no-untyped-def]
    internal = messages.catalogue()["common"]["error_internal"]["summary"]
    for mode, name, results in rendered["runs"]:
        assert [r.id for r in results] == list(CHECK_IDS)
        for r in results:
            assert r.summary != internal, (mode, name, r.id)
            for text in (r.title, r.summary, *r.details, *r.fix):
                assert text.strip(), (mode, name, r.id)
                assert not LEFTOVER.search(text), (mode, name, r.id, text)


def test_glossary_names_are_known() -> None:
    import json

    from assistant.resources import resource_path

    shipped = resource_path("knowledge", "glossary.json")
    if shipped.exists():  # the glossary owner's file must define every term we cite
        names = {t["name"] for t in json.loads(shipped.read_text(encoding="utf-8"))}
        assert names >= GLOSSARY, GLOSSARY - names
    cat = messages.catalogue()
    entries = list(cat["common"].values()) + [
        o for c in cat["checks"].values() for o in c["outcomes"].values()
    ]
    for entry in entries:
        assert set(entry["glossary"]) <= GLOSSARY, entry["glossary"]


def test_problems_come_with_fix_steps_linking_the_dashboard_of_the_right_mode(rendered) -> None:  # type: ignore[no-untyped-def]
    for mode, name, results in rendered["runs"]:
        for r in results:
            if r.status not in (Status.FAIL, Status.WARN):
                continue
            assert r.fix, (mode, name, r.id)
            links = [u for step in r.fix for u in re.findall(r"https://dashboard\.stripe\.com/\S*", step)]
            assert links, (mode, name, r.id, r.fix)
            if r.id == "parity.test_live":
                continue  # links to the mode that needs the fix; see test_checks_parity.py
            for link in links:
                assert ("/test/" in link) == (mode != "live"), (mode, name, r.id, link)


def test_error_results_keep_stripes_words(rendered) -> None:  # type: ignore[no-untyped-def]
    seen = 0
    for mode, name, results in rendered["runs"]:
        for r in results:
            if r.status is Status.ERROR:
                seen += 1
                assert r.stripe_error is not None, (mode, name, r.id)
                assert r.fix, (mode, name, r.id)
    assert seen


def test_summaries_are_single_lines(rendered) -> None:  # type: ignore[no-untyped-def]
    for _, _, results in rendered["runs"]:
        for r in results:
            assert "\n" not in r.summary and r.summary.strip(), r


def test_a_missing_placeholder_is_reported_not_silently_left() -> None:
    with pytest.raises(messages.MessageError):
        messages.render("portal.configuration", "pass", Status.PASS, "test")
