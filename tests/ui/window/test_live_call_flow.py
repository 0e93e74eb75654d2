"""The window an agent can follow while talking (issue 13, items 1, 2 and 6): a pasted key runs
the checks, the first failing step opens with the sentence to read out, Copy report is one
shortcut away, the menu bar holds every command, and every Copy answers."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication
from support.practice import practice
from support.window import Recorder, make_window, paste_key, run_and_wait, until

from assistant.diagnosis.model import Status
from assistant.ui.glossary.user_guide import HelpDialog
from assistant.ui.pages.report import documents_folder

ARCHIVED_PRICE = "inactive_price"  # the practice account whose portal offers an archived price


def _activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


async def _finished(window) -> None:
    await until(lambda: window.outcome is not None and not window.controller.busy, 20.0, "the run")


async def test_a_run_opens_the_first_failing_step_and_says_what_to_read_out(qtbot, tmp_path) -> None:
    with practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await _finished(window)

        products = window.step_index("products")
        assert window.sidebar.currentRow() == products
        assert window.stack.currentWidget() is window.pages[products]
        failing = window.outcome.diagnosis.check("portal.products")
        assert failing is not None and failing.status is Status.FAIL
        # the status line: where, then the failing check's own sentence
        assert window.status_line.summary_label.text() == f"1 problem: Plans and prices — {failing.summary}"
        report = window.pages[window.step_index("report")]
        window.flush_pages()
        assert report.summary_headline.text() == "1 problem: Plans and prices"
        assert report.read_out.text() == f"Say to the owner: {failing.summary}"
        # the sidebar in words, icons kept
        assert window.sidebar.item_text(0) == "1. Connect — OK"
        assert window.sidebar.item_text(products) == "3. Plans and prices — 1 problem"
        assert window.sidebar.item_text(window.step_index("report")) == "7. Report — 1 problem to fix"
        assert not any("FAIL" in window.sidebar.item_text(r) for r in range(window.sidebar.count()))
        assert window.sidebar.status_at(products) is Status.FAIL
        assert not window.sidebar.item(products).icon().isNull()


async def test_a_run_never_takes_the_page_from_an_agent_typing_elsewhere(qtbot, tmp_path) -> None:
    with practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        _activate(qtbot, window)
        window.connect_page.key_field.setText(scenario.primary_key)
        webhooks = window.step_index("webhooks")
        window.go_to_step(webhooks)
        assert window.run_all()
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)  # the owner says a word
        search = window.glossary.search_field
        qtbot.keyClicks(search, "archived")
        await _finished(window)
        assert window.sidebar.currentRow() == webhooks  # the page stayed
        assert QApplication.focusWidget() is search  # and so did the cursor
        assert search.text() == "archived"
        assert window.status_line.summary_label.text().startswith("1 problem: Plans and prices")


async def test_two_actions_from_a_pasted_key_to_a_copied_report(qtbot, tmp_path) -> None:
    with practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        _activate(qtbot, window)
        field = window.connect_page.key_field
        QApplication.clipboard().setText(scenario.primary_key)  # copied from the Dashboard
        field.setFocus()
        actions = 0

        qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)  # 1: paste
        actions += 1
        await _finished(window)  # the read-only checks ran by themselves
        assert window.outcome.diagnosis.check("portal.products").status is Status.FAIL
        assert not any(method == "POST" for method, *_ in server.request_log)

        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_C,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # 2: copy
        actions += 1

        assert actions == 2
        copied = QApplication.clipboard().mimeData()
        failing = window.outcome.diagnosis.check("portal.products")
        assert "diagnostics report" in copied.text() and failing.title in copied.text() and copied.hasHtml()
        assert scenario.primary_key not in copied.text() and scenario.primary_key not in copied.html()
        assert window.activity_label.text().startswith("Copied the report")
        report = window.pages[window.step_index("report")]
        assert report.copy_button.text() == "Copied"
        report._copied_timer.timeout.emit()
        assert report.copy_button.text() == "Copy report"
        assert "Ctrl+Shift+C" in window.copy_report_action.toolTip()
        assert window.copy_report_action in window.toolbar.actions()


async def test_a_key_typed_a_character_at_a_time_waits_for_check(qtbot, tmp_path) -> None:
    with practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        qtbot.keyClicks(window.connect_page.key_field, scenario.primary_key)
        await asyncio.sleep(0.2)
        assert not window.controller.busy and window.outcome is None
        assert not server.request_log
        paste_key(window.connect_page.key_field, "pk_test_" + "x" * 30)  # a publishable key: refused
        await asyncio.sleep(0.2)
        assert not window.controller.busy and not server.request_log


def _menus(window) -> dict[str, dict[str, str]]:
    return {
        m.text().replace("&", ""): {
            a.text().replace("&", ""): a.shortcut().toString() for a in m.menu().actions() if not a.isSeparator()
        }
        for m in window.menuBar().actions()
    }


def test_the_menu_bar_holds_every_command_with_its_shortcut(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path, lazy=True)
    menus = _menus(window)
    assert list(menus) == ["File", "Edit", "View", "Checks", "Help"]
    assert menus["Checks"] == {"Run all checks": "Ctrl+R", "Check again": "Ctrl+Shift+R", "Cancel": "Esc",
                               "Fix the first problem…": "Ctrl+Shift+F", "Open customer portal": "Ctrl+Shift+P"}
    assert menus["File"]["Save report…"] == "Ctrl+S"
    assert menus["File"]["Quit"] == "Ctrl+Q"
    assert "Team history…" in menus["File"]
    assert menus["Edit"] == {"Copy report": "Ctrl+Shift+C"}
    steps = [(name, keys) for name, keys in menus["View"].items() if name[0].isdigit()]
    assert [keys for _name, keys in steps] == [f"Ctrl+{i}" for i in range(1, 8)]
    assert steps[2][0] == "3. Plans and prices"
    assert menus["View"]["Search the glossary"] == "F1"
    assert menus["View"]["History"] == "Ctrl+H"
    assert list(menus["Help"]) == ["User guide", "About Portal Setup Assistant"]
    # About and Team history live in the menus only: no buttons of their own
    toolbar = window.toolbar.actions()
    assert window.about_action not in toolbar and window.team_action not in toolbar

    window.step_shortcuts[4].trigger()
    assert window.sidebar.currentRow() == 4
    window.quit_action.trigger()
    assert not window.isVisible()


async def test_save_starts_in_the_documents_folder_with_a_named_file(qtbot, tmp_path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    asked: list[str] = []

    def dialog(_parent, _title, start, _filters):
        asked.append(start)
        return str(documents / "call.md"), ""

    with practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url, save_dialog=dialog,
                             documents_dir=lambda: documents)
        assert not window.save_report_action.isEnabled()  # nothing to save before a run
        window.connect_page.key_field.setText(scenario.primary_key)
        await run_and_wait(window)
        window.go_to_step(0)
        window.save_report_action.trigger()
    assert len(asked) == 1
    start = Path(asked[0])
    assert start.parent == documents and start.name.startswith("portal-report-") and start.suffix == ".md"
    assert (documents / "call.md").read_text().startswith("1 problem: Plans and prices — ")  # the note's headline
    assert window.activity_label.text() == f"Saved the report to {documents / 'call.md'}"


def test_documents_folder_is_the_users_documents_else_home() -> None:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    expected = Path(found) if found and Path(found).is_dir() else Path.home()
    assert documents_folder() == expected
    assert documents_folder() != Path.cwd() or expected == Path.cwd()


async def test_every_copy_says_copied_on_the_status_line(qtbot, tmp_path) -> None:
    with practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        window.connect_page.key_field.setText(scenario.primary_key)
        await run_and_wait(window)
        window.go_to_step(window.step_index("customer"))
        customer = window.pages[window.step_index("customer")]
        window.flush_pages()
        assert customer.copy_login_button.isEnabled()
        customer.copy_login_button.click()
        assert window.activity_label.text().startswith("Copied “https://billing.stripe.com/p/login/")
        assert QApplication.clipboard().text().startswith("https://billing.stripe.com/p/login/")

        window.go_to_step(window.step_index("products"))
        card = window.pages[window.step_index("products")].cards["portal.products"]
        card._copy.click()
        assert window.activity_label.text().startswith("Copied ")
        # the line goes back to what it said once the few seconds are over
        window.status_line._end_flash()
        assert window.activity_label.text().startswith("Done in ")


def test_the_user_guide_lists_the_flow_and_the_real_shortcuts(qtbot, tmp_path) -> None:
    recorder = Recorder()
    window = make_window(qtbot, tmp_path, lazy=True, opener=recorder.opener)
    window.user_guide_action.trigger()
    dialog = window.findChild(HelpDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.page.toPlainText()
    assert "Ctrl+Shift+C" in text and "Ctrl+Q" in text and "Ctrl+S" in text
    assert "read-only checks start by themselves" in text
    assert dialog.guide_button is not None  # a source checkout has docs/user-guide.md
    dialog.guide_button.click()
    assert recorder.calls and recorder.calls[-1].endswith("/docs/user-guide.md")
    assert recorder.calls[-1].startswith("file://")


async def test_talk_tracks_stay_as_the_agent_left_them_across_runs(qtbot, tmp_path) -> None:
    with practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        window.connect_page.key_field.setText(scenario.primary_key)
        await run_and_wait(window)
        window.flush_pages()
        products = window.pages[window.step_index("products")].talk_track
        webhooks = window.pages[window.step_index("webhooks")].talk_track
        assert not products.is_expanded() and not webhooks.is_expanded()  # results lead, once
        products._header.click()  # the agent opens one
        assert products.is_expanded()
        await run_and_wait(window)
        await run_and_wait(window)
        window.flush_pages()
        assert products.is_expanded() and not webhooks.is_expanded()


async def test_check_again_on_a_step_keeps_that_step(qtbot, tmp_path) -> None:
    with practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        window.connect_page.key_field.setText(scenario.primary_key)
        await run_and_wait(window)
        assert window.sidebar.currentRow() == window.step_index("products")
        webhooks = window.step_index("webhooks")
        window.go_to_step(webhooks)
        window.pages[webhooks].rerun_button.click()  # the owner changed an endpoint
        await until(lambda: not window.controller.busy, 20.0, "the run")
        assert window.sidebar.currentRow() == webhooks
        assert window.run_all()  # Run all checks (Ctrl+R) opens the first problem again
        await until(lambda: not window.controller.busy, 20.0, "the run")
        assert window.sidebar.currentRow() == window.step_index("products")


async def test_term_links_never_look_like_action_buttons(qtbot, tmp_path) -> None:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QPushButton

    with practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        window.connect_page.key_field.setText(scenario.primary_key)
        await run_and_wait(window)
        window.flush_pages()
        card = window.pages[window.step_index("products")].cards["portal.products"]
        links = card.glossary_chips()
        buttons = [b for b in card.findChildren(QPushButton) if b.isVisibleTo(card)]
        assert links and {"Known causes", "Copy"} <= {b.text() for b in buttons}
        role = QPalette.ColorRole.ButtonText
        for link in links:
            assert link.font().underline() and link.autoRaise()
            assert link.cursor().shape() is Qt.CursorShape.PointingHandCursor
            assert link.palette().color(role) == link.palette().color(QPalette.ColorRole.Link)
        for button in buttons:
            assert not button.font().underline()
            assert button.palette().color(role) != links[0].palette().color(role)


async def test_a_key_pasted_during_a_run_checks_the_new_key_once_the_old_run_stops(qtbot, tmp_path) -> None:
    with practice("healthy", latency=0.3) as (slow, slow_server), practice(ARCHIVED_PRICE) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=slow_server.base_url)
        paste_key(window.connect_page.key_field, slow.primary_key)
        await until(lambda: window.controller.busy, 5.0, "the first run")
        window.controller.set_gateway_factory(window._factory_maker(server.base_url))
        paste_key(window.connect_page.key_field, scenario.primary_key)  # the owner pasted the other key
        await until(lambda: window.outcome is not None and not window.controller.busy, 20.0, "the new run")
        assert window.outcome.diagnosis.masked_key.endswith(scenario.primary_key[-4:])
        assert window.outcome.diagnosis.check("portal.products").status is Status.FAIL
