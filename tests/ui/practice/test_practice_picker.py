"""The practice picker as a trainer uses it: accounts by title, the owner's complaint in view, the
answer hidden until "Show the answer" is pressed (by mouse or keyboard), and choosing an account
still serves and runs it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from support.window import make_window, settled, until

from assistant.account.keychain import Keychain
from assistant.practice.scenarios import ScenarioInfo, list_scenarios, load_scenario, scenario_names
from assistant.store.history import HistoryStore
from assistant.ui.pages.connect import ConnectPage
from assistant.ui.practice.picker import HIDE_ANSWER, SHOW_ANSWER


def real_page(qtbot) -> ConnectPage:
    page = ConnectPage(keychain=Keychain())  # the practice accounts shipped with the app
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def shown_words(root: QWidget) -> str:
    return "\n".join(label.text() for label in root.findChildren(QLabel) if label.isVisibleTo(root))


def test_the_list_is_sorted_by_title_not_by_internal_name(qtbot) -> None:
    page = real_page(qtbot)
    titles = page.practice.titles()
    assert titles == sorted(titles, key=str.casefold)
    assert len(titles) == len(scenario_names()) and page.practice.names() != scenario_names()
    assert titles == [info.title for info in list_scenarios()]


def test_the_picker_sorts_whatever_order_it_is_given(qtbot) -> None:
    given = [ScenarioInfo("zeta", "Alpha title", "I see A.", "A."),
             ScenarioInfo("alpha", "Zulu title", "I see Z.", "Z."),
             ScenarioInfo("mid", "mango title", "I see M.", "M.")]
    page = ConnectPage(keychain=Keychain(), scenarios=given)
    qtbot.addWidget(page)
    assert page.practice.titles() == ["Alpha title", "mango title", "Zulu title"]
    assert page.practice_combo.itemData(0, Qt.ItemDataRole.ToolTipRole) == "I see A."  # never the answer


def test_the_answer_stays_hidden_until_show_the_answer_is_pressed(qtbot) -> None:
    page = real_page(qtbot)
    page.select_scenario("archived_product")
    scenario = load_scenario("archived_product")
    picker = page.practice
    assert scenario.complaint in picker.complaint.text() and picker.complaint.isVisibleTo(page)
    assert not picker.answer_shown and not picker.answer.isVisibleTo(page)
    assert scenario.answer not in shown_words(page) and "archived" not in shown_words(page).lower()
    assert picker.answer_toggle.text() == SHOW_ANSWER and picker.answer_toggle.isVisibleTo(page)

    qtbot.mouseClick(picker.answer_toggle, Qt.MouseButton.LeftButton)
    assert picker.answer.isVisibleTo(page) and scenario.answer in shown_words(page)
    assert picker.answer_toggle.text() == HIDE_ANSWER

    page.select_scenario("healthy")  # another account: its answer starts hidden again
    assert not picker.answer.isVisibleTo(page) and picker.answer_toggle.text() == SHOW_ANSWER
    assert load_scenario("healthy").answer not in shown_words(page)


def test_show_the_answer_works_from_the_keyboard(qtbot) -> None:
    page = real_page(qtbot)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=2000)
    picker = page.practice
    page.practice_button.setFocus()
    qtbot.keyClick(page.practice_button, Qt.Key.Key_Tab)  # Open practice account → Show the answer
    assert QApplication.focusWidget() is picker.answer_toggle
    assert not picker.answer.isVisibleTo(page)
    qtbot.keyClick(picker.answer_toggle, Qt.Key.Key_Space)
    assert picker.answer.isVisibleTo(page) and picker.answer_toggle.text() == HIDE_ANSWER
    qtbot.keyClick(picker.answer_toggle, Qt.Key.Key_Space)
    assert not picker.answer.isVisibleTo(page) and picker.answer_toggle.text() == SHOW_ANSWER


async def test_choosing_an_account_by_keyboard_opens_and_runs_it(qtbot, tmp_path) -> None:
    # its own case history: a run left in the shared one shows in other tests' History windows
    window = make_window(qtbot, tmp_path, history=HistoryStore(tmp_path / "history.sqlite3"))
    page = window.connect_page
    page.select_scenario("healthy")
    window.activateWindow()
    await until(lambda: QApplication.activeWindow() is window, what="the window to be active")
    page.practice_combo.setFocus()
    titles = page.practice.titles()
    wanted = titles.index(load_scenario("no_return_url").title)
    steps = wanted - titles.index(load_scenario("healthy").title)
    for _ in range(abs(steps)):
        qtbot.keyClick(page.practice_combo, Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up)
    assert page.selected_scenario() == "no_return_url"
    page.practice_button.setFocus()
    qtbot.keyClick(page.practice_button, Qt.Key.Key_Space)
    await until(lambda: window.outcome is not None and settled(window), what="the practice run")
    assert window._practice.server is not None and window._practice.server.scenario.name == "no_return_url"
    got = {c.id: c.status.value for c in window.outcome.diagnosis.checks}
    assert got["portal.return_url"] == "fail"
    assert page.practice_active and not page.practice.answer_shown
    window.close()
