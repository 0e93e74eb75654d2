"""On a call the keyboard must go where the agent's words go (issue 13, item 4): F1 puts the
cursor in the glossary's search field, Down walks into the results, Esc puts focus back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support.window import make_window


def _activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def test_f1_focuses_and_selects_the_search_and_esc_goes_back(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    _activate(qtbot, window)
    page = window.connect_page
    page.practice_button.setFocus()  # a button a space bar would press
    assert QApplication.focusWidget() is page.practice_button

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    dock = window.glossary
    assert dock.isVisible()
    assert QApplication.focusWidget() is dock.search_field
    dock.search_field.setText("link expired")
    qtbot.keyClick(dock.search_field, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is page.practice_button
    assert dock.isVisible(), "Esc leaves the pane open, only focus goes back"

    # F1 again: the words typed before are selected, so typing replaces them
    qtbot.keyClick(page.practice_button, Qt.Key.Key_F1)
    assert QApplication.focusWidget() is dock.search_field
    assert dock.search_field.selectedText() == "link expired"
    qtbot.keyClicks(dock.search_field, "cancel")
    assert dock.search_field.text() == "cancel"
    # Spaces typed while the glossary has focus never reach the button left behind
    assert not window.controller.busy


def test_down_moves_from_the_search_into_the_results_and_up_comes_back(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    _activate(qtbot, window)
    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F1)
    dock = window.glossary
    qtbot.keyClicks(dock.search_field, "link expired")
    qtbot.keyClick(dock.search_field, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is dock.results
    assert dock.results.currentRow() == 0
    qtbot.keyClick(dock.results, Qt.Key.Key_Down)
    assert dock.results.currentRow() == 1
    qtbot.keyClick(dock.results, Qt.Key.Key_Return)
    assert dock.found()
    qtbot.keyClick(dock.results, Qt.Key.Key_Up)
    qtbot.keyClick(dock.results, Qt.Key.Key_Up)
    assert QApplication.focusWidget() is dock.search_field
    qtbot.keyClick(dock.search_field, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.sidebar


def test_f1_inside_the_pane_closes_it_and_returns_focus(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    _activate(qtbot, window)
    field = window.connect_page.key_field
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_F1)
    assert window.glossary.isVisible()
    assert window.glossary_action.isChecked()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    assert not window.glossary.isVisible()
    assert not window.glossary_action.isChecked()
    assert QApplication.focusWidget() is field


def test_esc_outside_the_pane_still_cancels(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.cancel_action.shortcut().toString() == "Esc"
    assert window.search_glossary_action.shortcut().toString() == "F1"
