"""The ticket note the window copies says what was done on the call: on no_return_url, Fix →
type the URL → Apply → Undo → Copy report gives a note that starts with the headline and lists
the change and its undo, before → after; History's Copy of the same call says the same."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support.practice import practice
from support.window import make_window, run_on_step, until

from assistant.diagnosis.model import Status
from assistant.diagnosis.summary import summarise
from assistant.report.markdown import md_inline
from assistant.store.history import HistoryStore

RETURN_URL = "https://app.practice.example/billing"


def _changes_section(markdown: str) -> list[str]:
    lines = markdown.splitlines()
    start = lines.index("## Changes made in this call") + 2
    return lines[start:lines.index("", start)]


async def test_the_copied_note_lists_the_fix_and_its_undo(qtbot, tmp_path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3", agent="Sam")
    with practice("no_return_url") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url, history=store)
        opened = await run_on_step(window, scenario.primary_key, "return_url")
        card = window.pages[window.step_index("return_url")].cards["portal.return_url"]
        await until(lambda: card.fix_button().isVisible(), what="Fix… on the failing card")

        qtbot.mouseClick(card.fix_button(), Qt.MouseButton.LeftButton)
        await until(lambda: bool(opened), what="the preview")
        qtbot.keyClicks(opened[0].input, RETURN_URL)
        qtbot.mouseClick(opened[0].apply_button, Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.PASS and card.undo_button().isVisible(), what="the fix")
        qtbot.mouseClick(card.undo_button(), Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.FAIL and not card.undo_button().isVisible()
                    and not window.fix_controller.busy, what="the undo")

        assert window.copy_report_action.isEnabled()
        window.copy_report_action.trigger()  # Edit → Copy report (Ctrl+Shift+C)
        copied = QApplication.clipboard().mimeData()
        markdown, html = copied.text(), copied.html()

    assert markdown.splitlines()[0] == md_inline(window.status_line.summary_label.text())
    assert markdown.splitlines()[0] == md_inline(summarise(window.outcome.diagnosis).line)
    assert markdown.startswith("1 problem: Return URL — ")
    made, undone = _changes_section(markdown)
    assert f"Default redirect link: (none) → `{RETURN_URL}` (default_return_url of portal configuration bpc_" in made
    assert ", by Sam — undone at " in made and made.endswith(" UTC")
    assert f"Undo: Default redirect link: `{RETURN_URL}` → (none)" in undone
    assert "Default redirect link: (none) → " in html and "undone at" in html
    assert scenario.primary_key not in markdown and scenario.primary_key not in html

    # History's Copy of the run after the undo finds the same call in the case history.
    window.history_action.trigger()
    dialog = window.history_keeper.dialog
    assert dialog is not None
    await until(lambda: not dialog.loading and dialog.current_diagnosis() is not None, what="the history read")
    assert dialog.current_run_id() == store.list_runs()[0].id  # the newest: the run after the undo
    assert _changes_section(dialog.render_report("markdown")) == [made, undone]
    dialog.close()
