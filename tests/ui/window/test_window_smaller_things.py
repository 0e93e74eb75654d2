"""The smaller things a new user met in the window (issue 22, item 12): the Connect page after a
key is loaded, the headline above the checks on Connect, the fix input's validation message,
and passing messages that hid who the window is about."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from support.window import make_window, paste_key, until

from assistant.diagnosis.model import Status
from assistant.knowledge import checklist
from assistant.ui.kit.palette import contrast


async def _ran(window) -> None:
    await until(lambda: window.outcome is not None and not window.controller.busy, what="the run")


async def test_connect_after_a_key_is_loaded_has_no_empty_band_and_no_stale_ready(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.open_practice("healthy")
    await _ran(window)
    window.go_to_step(0)
    connect = window.connect_page
    QApplication.processEvents()
    heading = connect.findChildren(QLabel)[0]
    assert heading.text() == "1. Connect"
    key_box = connect.key_field.parentWidget()
    gap = key_box.mapTo(connect, key_box.rect().topLeft()).y() - heading.mapTo(connect, heading.rect().bottomLeft()).y()
    assert gap < heading.fontMetrics().height() * 2, f"{gap} px between the heading and the key"
    assert "Ready to check" not in connect.key_status.text()
    assert "test mode" in connect.key_status.text()


async def test_a_key_pasted_says_ready_until_its_run_is_shown(qtbot, tmp_path) -> None:
    from support.practice import practice

    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        window.connect_page.key_field.setText(scenario.primary_key)
        assert "Ready to check" in window.connect_page.key_status.text()
        assert window.run_all()
        await _ran(window)
        assert "Ready to check" not in window.connect_page.key_status.text()
        window.connect_page.key_field.setText("sk_test_" + "Z" * 30)  # another key: not checked yet
        assert "Ready to check" in window.connect_page.key_status.text()


async def test_connect_heads_its_lines_with_the_worst_check_by_its_title(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    paste_key(window.connect_page.key_field, "pk_test_" + "Q" * 30)  # a publishable key
    qtbot.keyClick(window.connect_page.key_field, Qt.Key.Key_Return)
    await _ran(window)
    connect = window.connect_page
    titles = [checklist.check_title(cid) for cid in connect.check_ids]
    shown = [connect.result, *[line for line in connect.check_lines if not line.isHidden()]]
    assert shown[0].icon_name == Status.FAIL.value  # the FAIL leads, never a SKIP
    for line in shown:
        assert any(title in line.text() for title in titles), f"a line without its check: {line.text()}"
    texts = [line.text() for line in shown]
    assert len(set(texts)) == len(texts)  # nothing said twice


async def test_passing_messages_never_hide_the_mode_and_the_account(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.open_practice("healthy")
    await _ran(window)
    identity = (window.mode_badge, window.account_label, window.key_label)
    assert all(w.isVisible() for w in identity)
    window.statusBar().showMessage("A status tip, or a hint, for a while")
    assert all(w.isVisible() for w in identity)
    window.status_line.say("No browser opened; the address is copied: https://dashboard.stripe.com/test")
    assert all(w.isVisible() for w in identity)
    assert window.mode_badge.text() == "TEST"


async def test_the_fix_inputs_problem_is_a_sentence_marked_as_a_problem(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    opened: list = []
    window.fix_flow.dialog_opened.connect(opened.append)
    assert window.open_practice("no_return_url")
    await _ran(window)
    window.go_to_step(window.step_index("return_url"))
    window.flush_pages()
    card = window.pages[window.step_index("return_url")].cards["portal.return_url"]
    await until(lambda: card.fix_button().isVisible(), what="Fix…")
    card.fix_button().click()
    await until(lambda: bool(opened), what="the preview")
    qtbot.keyClicks(opened[0].input, "not a url")
    problem = opened[0].findChild(QWidget, "fixProblem")
    assert problem.isVisible()
    text = problem.text()
    assert text[:1].isupper(), text
    label = problem.text_label if hasattr(problem, "text_label") else problem
    colour = label.palette().color(QPalette.ColorRole.WindowText)
    ground = opened[0].palette().color(QPalette.ColorRole.Window)
    assert colour != opened[0].palette().color(QPalette.ColorRole.WindowText)  # not the text's own black
    assert contrast(colour, ground) >= 4.5
    assert getattr(problem, "icon_name", "") == "fail"  # an icon (and its shape), not colour alone
