"""The History window gives up on a team database that does not answer, on a real PostgreSQL.

A colleague's maintenance job (or a stuck migration) holding `LOCK TABLE runs IN ACCESS
EXCLUSIVE MODE` makes every read of the team's runs wait, with no error and no end: the History
window said "Reading the team history…" forever. Now, past its deadline, it says the team
database did not answer in time, in the words the command line uses, and shows this computer's
runs, which can be opened; the window keeps answering throughout.
"""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
from PySide6.QtCore import QTimer
from support.history_dialog import pick
from support.ui_outcomes import FakeClipboard

from assistant.report.sample import sample_diagnosis
from assistant.store.case_history import no_answer_in_time
from assistant.store.opening import open_history
from assistant.ui.history.dialog import HistoryDialog

DEADLINE_S = 1.0


def test_a_locked_team_table_times_out_with_the_commands_sentence(qtbot, tmp_path: Path, team_db: str) -> None:
    store = open_history(team_db, agent="Sam", local_path=tmp_path / "sam.sqlite3")
    store.save(sample_diagnosis(ticket="ZD-9"))  # on this computer and delivered to the team
    assert store.sharing().pending == 0 and store.reachable
    holder = psycopg.connect(team_db, autocommit=False)
    holder.execute("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    try:
        dialog = HistoryDialog(store, clipboard=FakeClipboard(), read_deadline=DEADLINE_S)
        qtbot.addWidget(dialog)
        sentence = no_answer_in_time(store.where, DEADLINE_S)  # what `history --timeout 1` says
        assert sentence.endswith("did not answer within 1 second.")
        said = f"Showing the runs saved on this computer. {sentence}"
        qtbot.waitUntil(lambda: dialog.sharing_label.text().startswith(said) and not dialog.loading,
                        timeout=int(DEADLINE_S * 1000) + 8000)
        [run] = dialog.runs()  # this computer's copy of the run
        assert run.ticket == "ZD-9"
        assert pick(qtbot, dialog, run.id) and dialog.current_diagnosis() is not None
        assert dialog.current_diagnosis().ticket == "ZD-9"
        longest = max(b - a for a, b in zip(ticks, ticks[1:], strict=False))
        assert longest < 0.5, f"the window stopped for {longest:.2f} s"
    finally:
        timer.stop()
        holder.rollback()
        holder.close()
        store.close()
