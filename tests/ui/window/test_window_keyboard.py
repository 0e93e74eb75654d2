"""Keyboard only: from the key field to the results without touching the mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support.practice import practice
from support.window import make_window, settled, sidebar_words, until


def _activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


async def test_type_key_tab_enter_then_ctrl_r_and_ctrl_digits(qtbot, tmp_path) -> None:
    with practice("archived_product") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        _activate(qtbot, window)
        field = window.connect_page.key_field
        field.setFocus()
        assert QApplication.focusWidget() is field

        qtbot.keyClicks(field, scenario.primary_key)
        qtbot.keyClick(field, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is window.connect_page.check_button
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # press the focused button
        await until(lambda: window.outcome is not None and settled(window))
        assert sidebar_words(window)["products"] == "1 problem"
        first = len(server.request_log)

        # Ctrl+R runs everything again
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert window.controller.busy
        await until(lambda: settled(window))
        assert len(server.request_log) > first

        # Ctrl+3 jumps to step 3; Up/Down walk the checklist
        qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
        assert window.sidebar.currentRow() == 2
        assert window.stack.currentWidget() is window.pages[2]
        assert QApplication.focusWidget() is window.sidebar
        qtbot.keyClick(window.sidebar, Qt.Key.Key_Down)
        assert window.sidebar.currentRow() == 3
        qtbot.keyClick(window.sidebar, Qt.Key.Key_Up)
        qtbot.keyClick(window.sidebar, Qt.Key.Key_Up)
        assert window.sidebar.currentRow() == 1


async def test_enter_in_the_key_field_runs_the_checks(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        field = window.connect_page.key_field
        qtbot.keyClicks(field, scenario.primary_key)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        assert window.controller.busy
        await until(lambda: settled(window))
        assert sidebar_words(window)["connect"] == "OK"


async def test_f1_toggles_the_glossary_and_f5_is_run(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    _activate(qtbot, window)
    assert not window.glossary.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.glossary.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert not window.glossary.isVisible()
    shortcuts = [s.toString() for s in window.run_action.shortcuts()]
    assert shortcuts == ["Ctrl+R", "F5"]
    assert window.cancel_action.shortcut().toString() == "Esc"
    # Run with no key: nothing starts, the agent is sent to the key field with a reason
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not window.controller.busy
    assert window.sidebar.currentRow() == 0
    assert "Paste the customer's key" in window.connect_page.result.text()
