"""Browsing the glossary's results by keyboard while the owner talks (issue 22, item 10).

The arrow keys used to move the highlight without showing anything (only Enter opened an
entry), a new search left the last entry on screen under results it no longer matched, and
the results list was squeezed to a few rows under a large empty entry.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from assistant.ui.glossary.dock import RESULT_ROWS, GlossaryDock


def _dock(qtbot) -> GlossaryDock:
    dock = GlossaryDock()
    qtbot.addWidget(dock)
    dock.resize(dock.fontMetrics().averageCharWidth() * 40, dock.fontMetrics().height() * 40)
    dock.show()
    dock.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dock, timeout=2000)
    return dock


def test_the_arrow_keys_show_each_entry_without_enter(qtbot) -> None:
    dock = _dock(qtbot)
    dock.focus_search()
    qtbot.keyClicks(dock.search_field, "link expired")
    qtbot.keyClick(dock.search_field, Qt.Key.Key_Down)  # into the results: the first is shown
    assert dock.current_reference() == "trouble:session-link-expired"
    assert "What the owner might say" in dock.entry_text()
    second = dock.results.item(1).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(dock.results, Qt.Key.Key_Down)
    assert dock.current_reference() == second
    qtbot.keyClick(dock.results, Qt.Key.Key_Up)
    assert dock.current_reference() == "trouble:session-link-expired"


def test_a_new_search_clears_the_entry_it_no_longer_matches(qtbot) -> None:
    dock = _dock(qtbot)
    dock.search("link expired")
    dock.search_field.returnPressed.emit()  # Enter opens the first result
    assert dock.current_reference() == "trouble:session-link-expired"
    dock.search_field.clear()
    qtbot.keyClicks(dock.search_field, "webhook")
    assert dock.current_reference() == ""
    assert "expired" not in dock.entry_text().lower()
    assert dock.location.text() == ""
    dock.back_button.click()  # the entry read before is one Back away
    assert dock.current_reference() == "trouble:session-link-expired"


def test_the_results_list_shows_its_rows(qtbot) -> None:
    dock = _dock(qtbot)
    dock.search("portal")
    assert dock.results.count() > RESULT_ROWS
    qtbot.waitUntil(lambda: dock.results.isVisible())
    viewport = dock.results.viewport().rect()
    last = dock.results.visualItemRect(dock.results.item(RESULT_ROWS - 1))
    assert viewport.contains(last), f"only part of {RESULT_ROWS} rows in view: {viewport} / {last}"


def test_enter_on_the_dashboards_words_opens_their_term(qtbot) -> None:
    dock = _dock(qtbot)
    dock.search("redirect link")
    dock.search_field.returnPressed.emit()
    assert dock.current_reference() == "term:Default%20Return%20URL"
