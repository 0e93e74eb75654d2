"""The window by keyboard alone, while talking (issue 22, item 9).

Fix… used to be 9 Tabs from the top of a step (every read-only label and each link took
focus), Tab stayed inside a table cell by cell, and Fix…, Check again and Open customer portal
had no key; Run all checks and Cancel were in no menu, so Help's table did not list them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, until

from assistant.ui.glossary.user_guide import shortcut_rows

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


async def _practice_window(qtbot, tmp_path, account: str, **kwargs):
    window = make_window(qtbot, tmp_path, **kwargs)
    _activate(qtbot, window)
    assert window.open_practice(account)
    await until(lambda: window.outcome is not None and not window.controller.busy, what="the run")
    window.flush_pages()
    return window


def _tab(qtbot) -> object:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    return QApplication.focusWidget()


def _reads_only(widget) -> bool:
    """A label with nothing to act on: no link in it."""
    return isinstance(widget, QLabel) and "<a " not in widget.text()


async def test_fix_is_three_tabs_from_the_top_of_a_step_and_tab_skips_read_only_text(qtbot, tmp_path) -> None:
    window = await _practice_window(qtbot, tmp_path, "no_return_url")
    window.go_to_step(window.step_index("return_url"))
    page = window.pages[window.step_index("return_url")]
    fix = page.cards["portal.return_url"].fix_button()
    await until(lambda: fix.isVisible(), what="Fix… on the failing card")
    page.rerun_button.setFocus(Qt.FocusReason.TabFocusReason)  # the top of the step
    visited = [_tab(qtbot) for _ in range(3)]
    assert fix in visited, [type(w).__name__ + ":" + (w.accessibleName() or "") for w in visited]
    # a whole round of the step: no read-only text on the way
    for _ in range(25):
        widget = _tab(qtbot)
        assert not _reads_only(widget), widget.text()


async def test_tab_leaves_a_table(qtbot, tmp_path) -> None:
    window = await _practice_window(qtbot, tmp_path, "healthy")
    window.go_to_step(window.step_index("customer"))
    table = window.pages[window.step_index("customer")].matches
    assert table.rowCount() >= 1
    table.setFocus(Qt.FocusReason.TabFocusReason)
    table.setCurrentCell(0, 0)
    assert _tab(qtbot) is not table


async def test_one_key_opens_the_first_problems_fix(qtbot, tmp_path) -> None:
    window = await _practice_window(qtbot, tmp_path, "no_return_url")
    opened: list = []
    window.fix_flow.dialog_opened.connect(opened.append)
    window.go_to_step(window.step_index("webhooks"))  # a step without a problem
    await until(lambda: window.state.fixes is not None and window.state.fixes.plan is not None, what="the plan")
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
    await until(lambda: bool(opened), what="the preview of the first problem's fix")
    assert opened[0].fix.check == "portal.return_url"
    assert window.sidebar.currentRow() == window.step_index("return_url")


async def test_check_again_and_open_customer_portal_have_keys(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        opened: list[str] = []
        window = make_window(qtbot, tmp_path, api_base=server.base_url,
                             opener=lambda url: opened.append(url) or True)
        _activate(qtbot, window)
        window.state.update_inputs(customer=scenario.customer)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await until(lambda: window.outcome is not None and not window.controller.busy, what="the run")
        webhooks = window.step_index("webhooks")
        window.go_to_step(webhooks)
        requests = len(server.request_log)
        qtbot.keyClick(window, Qt.Key.Key_R, CTRL_SHIFT)  # Check again: every check, this step stays
        assert window.controller.busy
        await until(lambda: not window.controller.busy, what="the second run")
        assert len(server.request_log) > requests and window.sidebar.currentRow() == webhooks

        qtbot.keyClick(window, Qt.Key.Key_P, CTRL_SHIFT)  # Open customer portal
        await until(lambda: bool(opened), what="the portal to open")
        assert opened[0].startswith("http")
        assert window.sidebar.currentRow() == window.step_index("customer")


async def test_help_lists_every_command_with_a_key(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
    listed = {(command, keys) for _menu, command, keys in shortcut_rows(window)}
    commands = {command for command, _keys in listed}
    for needed in ("Run all checks", "Cancel", "Check again", "Fix the first problem…", "Open customer portal"):
        assert needed in commands
    keyed = [a for a in window.findChildren(type(window.run_action)) if a.shortcuts()]
    for action in keyed:
        text = action.text().replace("&", "")
        assert any(command == text and keys for command, keys in listed), f"{text} is missing from Help"


async def test_the_keys_wait_for_a_run_in_flight_like_the_buttons(qtbot, tmp_path) -> None:
    with practice("no_return_url", latency=0.3) as (scenario, server):
        opened: list = []
        window = make_window(qtbot, tmp_path, api_base=server.base_url, opener=lambda url: True)
        _activate(qtbot, window)
        window.fix_flow.dialog_opened.connect(opened.append)
        window.state.update_inputs(customer=scenario.customer)
        window.connect_page.key_field.setText(scenario.primary_key)
        await run_and_wait(window)
        sessions = len(server.sessions)
        assert window.run_all(keep_page=True)
        qtbot.keyClick(window, Qt.Key.Key_F, CTRL_SHIFT)
        qtbot.keyClick(window, Qt.Key.Key_P, CTRL_SHIFT)
        assert "Wait for the checks to finish" in window.statusBar().currentMessage()
        await until(lambda: not window.controller.busy, what="the run")
        assert opened == [] and len(server.sessions) == sessions
