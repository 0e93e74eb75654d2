"""Addresses in a card never break across lines: a Dashboard link is read, or clicked, whole."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QToolTip

from assistant.diagnosis.model import CheckResult, Status
from assistant.ui.kit.url_text import WORD_JOINER, elided, unbroken_text
from assistant.ui.results.card import CheckCard

LONG = "https://dashboard.stripe.com/test/settings/billing/portal/configurations/bpc_1PrcXm4niiJmsLw2PznrG78T"
OWNER = "https://app.practice.example/account/billing/return-from-portal"


def _lines(label: QLabel, width: int) -> list[str]:
    """The lines the label's text is laid out in at `width`, word joiners dropped."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    if "<" in label.text():
        doc.setHtml(label.text())
    else:
        doc.setPlainText(label.text())
    doc.setTextWidth(width)
    doc.size()  # lays the document out
    lines, block = [], doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(block.text()[line.textStart():line.textStart() + line.textLength()])
        block = block.next()
    return [line.replace(WORD_JOINER, "") for line in lines]


def _card(qtbot) -> CheckCard:  # type: ignore[no-untyped-def]
    result = CheckResult(
        id="portal.return_url", title="Customers have a page to return to", status=Status.FAIL,
        summary=f"Customers return to {OWNER}, which the owner's code passes when it opens the portal.",
        fix=(f"Open {LONG} and set the default return URL.",),
    )
    card = CheckCard(result)
    qtbot.addWidget(card)
    return card


def test_an_owners_address_in_the_sentence_stays_on_one_line(qtbot) -> None:  # type: ignore[no-untyped-def]
    card = _card(qtbot)
    lines = _lines(card.summary_label(), 520)
    assert len(lines) > 1, "the sentence is long enough to wrap at this width"
    assert any(OWNER in line for line in lines), lines


def test_a_long_dashboard_link_is_shown_elided_unbroken_and_whole_on_hover(qtbot) -> None:  # type: ignore[no-untyped-def]
    card = _card(qtbot)
    text = card.fix_label().text()
    assert f'href="{LONG}"' in text  # the link itself is whole
    shown = elided(LONG)
    assert shown != LONG and shown.startswith("https://dashboard.stripe.com/") and shown.endswith(LONG[-8:])
    lines = _lines(card.fix_label(), 460)
    assert any(shown in line for line in lines), lines
    card.fix_label().linkHovered.emit(LONG)
    assert QToolTip.text() == LONG


def test_copy_has_the_addresses_as_they_are(qtbot) -> None:  # type: ignore[no-untyped-def]
    card = _card(qtbot)
    assert WORD_JOINER not in card.text() and LONG in card.text() and OWNER in card.text()
    assert unbroken_text("see https://a.example/x-y now").replace(WORD_JOINER, "") == "see https://a.example/x-y now"


def test_text_selected_in_a_card_and_copied_pastes_as_a_working_address(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The label copies what it draws, joiners and all; the app cleans its own copies."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from assistant.ui.kit.clipboard import keep_copies_clean

    clipboard = QGuiApplication.clipboard()
    keep_copies_clean(clipboard)
    card = _card(qtbot)
    card.show()
    card.activateWindow()  # a copy made while the app is in front is the agent's, in this app
    qtbot.waitUntil(lambda: QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive)
    label = card.summary_label()
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert WORD_JOINER in label.text()  # drawn unbroken
    label.setFocus()
    label.setSelection(0, len(label.text()))
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: OWNER in clipboard.text())
    assert WORD_JOINER not in clipboard.text()
    assert clipboard.text() == label.selectedText().replace(WORD_JOINER, "")
