"""Practice that can be finished (issue 22, item 8): on the practice account "portal never saved",
the guided fix waits for the owner to save in the Dashboard. The practice server plays the owner:
"Save in the Dashboard (practice)" creates the default configuration as Stripe would, so the wait
completes and the configuration check passes. Against anything but a served practice account the
button is not there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, until

from assistant.diagnosis.model import Status
from assistant.store.history import HistoryStore


def _configuration_card(window):
    window.go_to_step(window.step_index("configuration"))
    window.flush_pages()
    return window.pages[window.step_index("configuration")].cards["portal.configuration"]


async def test_the_practice_server_saves_as_the_owner_and_the_wait_completes(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path, history=HistoryStore(tmp_path / "history.sqlite3"))
    window.fix_controller.wait_seconds = 0.05
    opened: list = []
    window.fix_flow.dialog_opened.connect(opened.append)
    assert window.open_practice("portal_never_saved")
    await until(lambda: not window.controller.busy and window.outcome is not None, what="the first run")
    card = _configuration_card(window)
    assert card.result.status is Status.FAIL
    await until(lambda: card.fix_button().isVisible(), what="Fix… on the configuration card")
    qtbot.mouseClick(card.fix_button(), Qt.MouseButton.LeftButton)
    await until(lambda: bool(opened) and opened[0].isVisible(), what="the guided fix")
    preview = opened[0]
    assert preview.wait_button.isVisible() and preview.practice_save.isVisible()
    assert preview.practice_save.text() == "Save in the Dashboard (practice)"

    qtbot.mouseClick(preview.practice_save, Qt.MouseButton.LeftButton)
    await until(lambda: window.fix_flow.dialog is None and not window.controller.busy
                and card.result is not None and card.result.status is Status.PASS,
                timeout=20, what="the wait to complete and the checks to pass")
    server = window._practice.server
    [conf] = server.store.objects("test", "configurations")
    assert conf["is_default"] and conf["active"] and conf["id"].startswith("bpc_")
    assert server.writes == []  # the owner saved; the assistant wrote nothing


async def test_against_a_real_key_there_is_no_practice_save(qtbot, tmp_path) -> None:
    with practice("portal_never_saved") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url,
                             history=HistoryStore(tmp_path / "history.sqlite3"))
        paste_key(window.connect_page.key_field, scenario.primary_key)  # not a practice account here
        await run_and_wait(window)
        card = _configuration_card(window)
        opened: list = []
        window.fix_flow.dialog_opened.connect(opened.append)
        await until(lambda: card.fix_button().isVisible())
        card.fix_button().click()
        await until(lambda: bool(opened) and opened[0].isVisible())
        assert opened[0].wait_button.isVisible() and not opened[0].practice_save.isVisible()
        opened[0].reject()
