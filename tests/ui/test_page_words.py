"""The words a page shows for a status (a table's marks, the verdict beside the return URL
field) are declared in `resources/checks.json` with the findings they stand for; a page that
spelled them itself would drift from the report and the JSON the day the wording changes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import assistant
from assistant.diagnosis.checks.return_url import CID as RETURN_URL
from assistant.diagnosis.checks.return_url import RETURN_URL_INVALID, RETURN_URL_OK
from assistant.knowledge.checklist import catalogue

PAGES = Path(assistant.__file__).resolve().parent / "ui" / "pages"
# The `labels` groups that hold pages' marks (the others are words inside sentences).
MARKS = ("event_marks", "customer_marks", "parity_marks", "catalogue_marks")


def declared_words() -> set[str]:
    """Every mark and every finding label without a placeholder, as a page would show it."""
    words = {w for group in MARKS for w in catalogue()["labels"][group].values()}
    for spec in catalogue()["checks"].values():
        words |= {e["label"] for e in spec["findings"].values() if "label" in e and "{" not in e["label"]}
    return {w for w in words if any(ch.isalpha() for ch in w)}  # "—" is every page's empty cell


def spelled_words(source: str, words: set[str]) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and node.value in words}


def test_the_word_finder_sees_a_planted_word() -> None:
    assert spelled_words('MARK = "✓ covered"\n', declared_words()) == {"✓ covered"}


def test_no_page_spells_a_status_word_the_declaration_holds() -> None:
    words = declared_words()
    spelled = {p.name: found for p in sorted(PAGES.glob("*.py")) if (found := spelled_words(p.read_text(), words))}
    assert not spelled, spelled


@pytest.mark.parametrize(("url", "code"), [("https://example.com/account", RETURN_URL_OK),
                                           ("example.com/account", RETURN_URL_INVALID)])
def test_the_return_url_verdict_word_is_the_findings_label(monkeypatch, url: str, code: str) -> None:
    from assistant.ui.pages.return_url import assess_return_url

    entry = catalogue()["checks"][RETURN_URL]["findings"][code]
    assert assess_return_url(url, "test").word == entry["label"]
    monkeypatch.setitem(entry, "label", "Reworded")
    assert assess_return_url(url, "test").word == "Reworded"
