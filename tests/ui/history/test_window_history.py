"""Every finished run lands in the case history, and the window opens it with what changed."""

from __future__ import annotations

from pathlib import Path

from support.window import make_window, settled, sidebar_words, until

from assistant.diagnosis.model import Verdict
from assistant.store.history import HistoryStore


async def _run(window) -> None:
    before = window.outcome
    assert window.run_all()
    await until(lambda: window.outcome is not before and settled(window), what="a finished run")


async def test_runs_are_saved_and_the_fix_shows_as_fixed(qtbot, tmp_path: Path) -> None:
    from assistant.practice.scenarios import load_scenario
    from assistant.practice.server import PracticeServer

    store = HistoryStore(tmp_path / "history.sqlite3")
    scenario = load_scenario("archived_product")
    with PracticeServer(scenario) as server:
        window = make_window(qtbot, tmp_path, api_base=server.base_url, history=store)
        window.connect_page.key_field.setText(scenario.primary_key)
        await _run(window)
        # The owner restores the archived product in the Dashboard; the agent runs again.
        for product in server.store.data["test"]["products"]:
            product["active"] = True
        await _run(window)

        runs = store.list_runs()
        assert len(runs) == 2 and runs[0].account_id == runs[1].account_id
        changes = {c.check_id: c for c in store.diff(runs[1].id, runs[0].id)}
        assert changes["portal.products"].kind == "fixed"
        assert scenario.primary_key.encode() not in (tmp_path / "history.sqlite3").read_bytes()

        window.history_action.trigger()
        dialog = window.history_keeper.dialog
        assert dialog is not None and dialog.isVisible()
        await until(lambda: not dialog.loading, what="the history read")
        assert dialog.current_run_id() == runs[0].id
        assert any(line.startswith("FIXED Products offered for plan switching") for line in dialog.change_lines())
        dialog.close()


async def test_the_owners_complaint_is_one_warning_in_the_window_and_in_the_history(qtbot, tmp_path: Path) -> None:
    """Quillpad Notes: one customer can only cancel, which is why the owner called. The run
    keeps exit status 0 (a warning), but nothing calls it "No problems", and the History says
    "1 warning" exactly as the window's Report step does (before, it said "1 problem")."""
    store = HistoryStore(tmp_path / "history.sqlite3", agent="Sam")
    window = make_window(qtbot, tmp_path, history=store)
    assert window.open_practice("cancel_only_subscription")  # with the customer the owner named
    await until(lambda: not window.controller.busy and window.outcome is not None, what="the run")
    assert window.outcome is not None and window.outcome.diagnosis.verdict is Verdict.CLEAR
    window.go_to_step(window.step_index("report"))
    window.flush_pages()
    report = window.pages[window.step_index("report")]
    status_line = window.status_line.summary_label.text()
    assert status_line.startswith("1 warning: Customer — The portal can only cancel")
    assert report.summary_headline.text() == "1 warning: Customer"
    assert sidebar_words(window)["report"] == "1 warning"
    for said in (status_line, report.summary_headline.text(), report.read_out.text(),
                 sidebar_words(window)["report"]):
        assert "no problem" not in said.lower(), said

    window.history_action.trigger()
    dialog = window.history_keeper.dialog
    assert dialog is not None
    await until(lambda: not dialog.loading and dialog.current_diagnosis() is not None, what="the history read")
    assert dialog.who_text().startswith("Sam, today: 1 warning"), dialog.who_text()
    assert "problem" not in dialog.who_text()
    dialog.close()
