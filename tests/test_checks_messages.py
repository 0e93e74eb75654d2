"""The wording file is complete, uses only known glossary terms, and every rendered text is filled."""

from __future__ import annotations

import re

import pytest
from support.scenarios import all_scenarios

from assistant.diagnosis.checks import messages
from assistant.diagnosis.checks.registry import CHECK_IDS, run_checks
from assistant.diagnosis.model import Finding, Status

GLOSSARY = {
    "Customer Portal", "Payment Methods", "Subscription Management", "Billing History",
    "Portal Session", "Test Mode", "Live Mode", "Secret Key", "Restricted Key", "Publishable Key",
    "Webhook Signing Secret", "API Key Permission", "Portal Configuration", "Default Return URL",
    "Product Catalogue", "Price", "Archived Product", "Archived Price", "Recurring Price",
    "Usage-based Billing", "Webhook Endpoint", "No-code Login Link", "One-time Passcode",
    "Prefilled E-mail", "Stripe Tax", "Tax ID", "Tax Behavior", "Connect Platform",
    "Billing Email", "Subscription Schedule", "Collection Method", "Request ID", "Rate Limit",
    "Dashboard", "Deleted Customer", "Subscription Status", "Locale", "Business Information",
    "Branding", "Customer Account", "Event Destination",
}
LEFTOVER = re.compile(r"\{[a-z_]+\}")
DASHBOARD = "https://dashboard.stripe.com/"


@pytest.fixture(scope="module")
def rendered() -> dict[str, object]:
    """Run every scenario once; the findings say which wording was used."""
    runs = [(ctx.snapshot.mode, name, run_checks(ctx)) for _, name, ctx in all_scenarios()]
    codes = {(r.id, f.code) for _, _, results in runs for r in results for f in r.findings}
    return {"codes": codes, "runs": runs}


def test_every_check_has_an_entry_with_a_title() -> None:
    checks = messages.catalogue()["checks"]
    assert set(checks) == set(CHECK_IDS)
    for cid in CHECK_IDS:
        assert checks[cid]["title"].strip()
        assert "{" not in messages.title(cid, "test")


def test_every_declared_finding_is_reported_by_some_scenario(rendered) -> None:
    cat = messages.catalogue()
    wanted = {(cid, code) for cid, entry in cat["checks"].items() for code in entry["findings"]}
    missing = wanted - rendered["codes"]
    assert not missing, f"findings no scenario reaches: {sorted(missing)}"
    used_common = {code for _, code in rendered["codes"]}
    assert set(cat["common"]) - {"error.internal"} <= used_common, set(cat["common"]) - used_common


def test_every_finding_is_declared_for_its_check_and_means_something() -> None:
    cat = messages.catalogue()
    entries = {**cat["common"], **{c: e for spec in cat["checks"].values() for c, e in spec["findings"].items()}}
    for code, entry in entries.items():
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", code), code
        assert entry["means"].strip(), code
        known = {"means", "summary", "fix", "glossary", "detail", "also_fix", "label", "said", "repeats", "waits"}
        assert set(entry) <= known, code
        if "summary" in entry:
            assert "glossary" in entry and "fix" in entry, code


def test_the_headline_gives_the_status_and_evidence_is_never_worse(rendered) -> None:
    for mode, name, results in rendered["runs"]:
        for r in results:
            assert r.findings, (mode, name, r.id)
            assert r.status is r.findings[0].status, (mode, name, r.id)
            assert "summary" in messages.entry(r.id, r.findings[0].code), (mode, name, r.id)
            for f in r.evidence:
                assert f.status.severity <= r.status.severity, (mode, name, r.id, f.code)


def test_no_scenario_hits_an_internal_error_and_placeholders_are_filled(rendered) -> None:
    internal = messages.catalogue()["common"]["error.internal"]["summary"]
    for mode, name, results in rendered["runs"]:
        assert [r.id for r in results] == list(CHECK_IDS)
        for r in results:
            assert r.summary != internal, (mode, name, r.id)
            for text in (r.title, r.summary, *r.details, *r.fix):
                assert text.strip(), (mode, name, r.id)
                assert not LEFTOVER.search(text), (mode, name, r.id, text)


def test_glossary_names_are_known() -> None:
    """Every term a result cites is a glossary entry (the glossary file is the one list)."""
    import json

    from assistant.resources import resource_path

    shipped = resource_path("knowledge", "glossary.json")
    names = {t["name"] for t in json.loads(shipped.read_text(encoding="utf-8"))}
    assert names >= GLOSSARY, GLOSSARY - names  # the terms the conventions promise stay
    cat = messages.catalogue()
    entries = list(cat["common"].values()) + [
        o for c in cat["checks"].values() for o in c["findings"].values()
    ]
    for entry in entries:
        assert set(entry.get("glossary", ())) <= names, entry["glossary"]


def test_problems_come_with_fix_steps_linking_the_dashboard_of_the_right_mode(rendered) -> None:
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


def test_error_results_keep_stripes_words(rendered) -> None:
    seen = 0
    for mode, name, results in rendered["runs"]:
        for r in results:
            if r.status is Status.ERROR:
                seen += 1
                assert r.stripe_error is not None, (mode, name, r.id)
                assert r.fix, (mode, name, r.id)
    assert seen


def test_summaries_are_single_lines(rendered) -> None:
    for _, _, results in rendered["runs"]:
        for r in results:
            assert "\n" not in r.summary and r.summary.strip(), r


def test_a_missing_placeholder_is_reported_not_silently_left() -> None:
    with pytest.raises(messages.MessageError):
        messages.render("portal.configuration", "test", [Finding("configuration.saved", Status.PASS)])


def test_a_finding_another_check_declares_is_refused() -> None:
    with pytest.raises(messages.MessageError):
        messages.render("portal.features", "test", [Finding("configuration.saved", Status.PASS)])
