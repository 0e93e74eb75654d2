"""Two practice accounts are two businesses: the case history never compares one with another
(it used to say "REGRESSED customer.found" after Healthy account, then Customer deleted)."""

from __future__ import annotations

from pathlib import Path

from support.history_dialog import open_dialog, pick
from support.practice import run_scenario
from support.ui_outcomes import FakeClipboard

from assistant.practice.scenarios import scenario_names
from assistant.store.history import HistoryStore


async def test_every_practice_account_is_a_first_run_in_the_history(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    saved = {name: store.save((await run_scenario(name)).diagnosis) for name in scenario_names()}
    assert {name: store.previous_run(run) for name, run in saved.items()} == dict.fromkeys(saved)
    again = store.save((await run_scenario("healthy")).diagnosis)
    assert store.previous_run(again) == saved["healthy"]  # the same account still compares


async def test_the_history_window_does_not_compare_two_practice_accounts(qtbot, tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    store.save((await run_scenario("healthy")).diagnosis)
    deleted = store.save((await run_scenario("deleted_customer")).diagnosis)
    dialog = open_dialog(qtbot, store, clipboard=FakeClipboard())
    assert pick(qtbot, dialog, deleted)
    lines = dialog.change_lines()
    assert lines[0].startswith("First run for this account") and len(lines) == 1
    assert not any(line.startswith(("REGRESSED", "FIXED")) for line in lines)
