"""Nothing the agent reads on a step page is an internal name: no check id (`portal.products`)
and no Stripe permission name (`rak_webhook_read`), on any practice account, before or after a
run, nor in the glossary's known causes of a check. Ids of the owner's objects may appear in
the details (they are evidence); the names of the app's own machinery may not."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)
from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.knowledge.checklist import check_ids
from assistant.practice.scenarios import list_scenarios
from assistant.ui.glossary.dock import GlossaryDock
from assistant.ui.pages import registry as page_registry

SCENARIOS = [info.name for info in list_scenarios()]
INTERNAL = re.compile(r"\brak_[a-z_]+|(?<![\w.])(" + "|".join(re.escape(c) for c in check_ids()) + r")(?![\w.])")


def shown_texts(root: QWidget) -> list[str]:
    """Every text a widget tree draws or shows as a tooltip (rich text as the words it shows)."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel):
            doc = QTextDocument()
            if widget.textFormat() != widget.textFormat().PlainText:
                doc.setHtml(widget.text())
            else:
                doc.setPlainText(widget.text())
            texts.append(doc.toPlainText())
        elif isinstance(widget, (QAbstractButton, QLineEdit)):
            texts.append(widget.text())
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QListWidget):
            texts += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QTableWidget):
            for r in range(widget.rowCount()):
                for c in range(widget.columnCount()):
                    item = widget.item(r, c)
                    if item is not None:
                        texts += [item.text(), item.toolTip()]
    return [t for t in texts if t]


def internal_names(texts: list[str]) -> list[str]:
    return [t for t in texts if INTERNAL.search(t)]


def _pages(qtbot):  # type: ignore[no-untyped-def]
    pages = []
    for spec in page_registry.STEPS:
        kwargs = {"clipboard": FakeClipboard()} if spec.step_id != "connect" else {}
        page = page_registry.build_page(spec.step_id, **kwargs)
        qtbot.addWidget(page)
        pages.append((spec.step_id, page))
    return pages


def test_the_pattern_sees_internal_names() -> None:
    assert internal_names(["NOT RUN portal.products", "needs 'rak_webhook_read'"]) == [
        "NOT RUN portal.products", "needs 'rak_webhook_read'"]
    assert internal_names(["customer.subscription.updated", "app.practice.example/portal.products.html"]) == []


def test_pages_before_a_run_show_titles_not_check_ids(qtbot) -> None:  # type: ignore[no-untyped-def]
    for step_id, page in _pages(qtbot):
        assert internal_names(shown_texts(page)) == [], step_id


@pytest.mark.parametrize("name", SCENARIOS)
async def test_no_page_of_a_practice_account_shows_an_internal_name(qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    outcome, _ = await run_scenario(name)
    for step_id, page in _pages(qtbot):
        page.show_outcome(outcome)
        for card in getattr(page, "cards", {}).values():
            if card.is_folded():
                card.details_toggle().setChecked(True)  # what is behind Details counts too
        assert internal_names(shown_texts(page)) == [], (name, step_id)


def test_the_glossary_names_a_check_by_its_title(qtbot) -> None:  # type: ignore[no-untyped-def]
    dock = GlossaryDock()
    qtbot.addWidget(dock)
    for cid in check_ids():
        dock.show_reference(f"check:{cid}")
        assert internal_names([dock.entry_text(), *shown_texts(dock)]) == [], cid
