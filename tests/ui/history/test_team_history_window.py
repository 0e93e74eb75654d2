"""The History window on a real team PostgreSQL: other agents' runs with their names and what
they changed, the settings that point the window there, and the waiting line while it is away."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QSettings
from support.history_dialog import open_dialog, pick
from support.memory_keyring import MemoryKeyring
from support.postgres import PASSWORD, PostgresServer
from support.team import team_rows
from support.window import make_window, settled, until

from assistant.account.keychain import Keychain
from assistant.diagnosis.status import status_counts
from assistant.diagnosis.summary import counts_words
from assistant.report.sample import sample_diagnosis
from assistant.store.history import NewChange
from assistant.store.opening import open_history
from assistant.store.team import WAITING
from assistant.store.team_url import parse_team_url
from assistant.ui.history.team_settings import NO_KEYCHAIN_NOTE, PASSWORD_NOTE, TeamSettingsDialog


def _yesterday() -> str:
    return (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_each_agent_sees_the_others_runs_and_changes_with_names(qtbot, tmp_path: Path, team_db) -> None:
    sam = open_history(team_db, agent="Sam", local_path=tmp_path / "sam.sqlite3")
    alex = open_history(team_db, agent="Alex", local_path=tmp_path / "alex.sqlite3")
    sam_run = sam.save(replace(sample_diagnosis(), generated_at=_yesterday()))
    sam.record_change(NewChange(account_id="acct_1PrCtc3Coffee00", field="default_return_url",
                                before=None, after="https://coffee.example/account",
                                summary="return URL set", run_uid=sam.local.run_uid(sam_run)))
    alex.save(sample_diagnosis(ticket="ZD-2"))

    for store, other in ((alex, "Sam"), (sam, "Alex")):
        dialog = open_dialog(qtbot, store, account_id="acct_1PrCtc3Coffee00")
        rows = dialog.row_texts()
        assert len(rows) == 2 and any(f" | {other} | " in row for row in rows)
        assert dialog.sharing_label.text().startswith("Team history: agent@127.0.0.1:")
        sams = next(r for r in dialog.runs() if r.agent == "Sam")
        assert pick(qtbot, dialog, sams.id)
        counted = counts_words(status_counts(c.status for c in sample_diagnosis().checks))  # as the Report step says it
        assert dialog.who_text() == f"Sam, yesterday: {counted} — return URL set by Sam"
        assert dialog.account_change_lines()[0].endswith(
            "return URL set by Sam: Default redirect link (default_return_url): (empty) → "
            "https://coffee.example/account")


def test_settings_keep_the_url_without_password_and_the_password_in_the_keychain(qtbot, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    keyring = MemoryKeyring()
    from assistant.ui.history.settings import SessionSecrets

    secrets = SessionSecrets(Keychain(keyring))
    dialog = TeamSettingsDialog(settings, secrets)
    qtbot.addWidget(dialog)
    assert dialog.message.text() == PASSWORD_NOTE
    dialog.agent_edit.setText("Sam")
    dialog.url_edit.setText("mysql://nope/db")
    dialog.save()
    assert "must be a PostgreSQL database" in dialog.message.text()
    assert settings.value("team/url") is None  # nothing kept from a refused address
    dialog.url_edit.setText("postgresql://agent:hunter2@db.example:5433/support")
    dialog.save()
    assert settings.value("team/url") == "postgresql://agent@db.example:5433/support"
    assert settings.value("team/agent") == "Sam"
    assert keyring.store == {("portal-setup-assistant", "history-db:agent@db.example:5433/support"): "hunter2"}
    settings.sync()
    assert b"hunter2" not in (tmp_path / "s.ini").read_bytes()

    bare = TeamSettingsDialog(settings, SessionSecrets(Keychain()))  # the fail backend
    qtbot.addWidget(bare)
    assert bare.message.text() == NO_KEYCHAIN_NOTE


async def test_the_window_shares_its_runs_and_says_when_they_must_wait(qtbot, tmp_path: Path) -> None:
    from assistant.practice.scenarios import load_scenario
    from assistant.practice.server import PracticeServer

    server = PostgresServer()
    try:
        server.start()
        server.create_database("team")
        url = server.url("team", password=False)
        target = parse_team_url(url)
        keyring = MemoryKeyring()
        keyring.set_password("portal-setup-assistant", target.keychain_slot, PASSWORD)
        ini = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        ini.setValue("team/url", url)
        ini.setValue("team/agent", "Sam")
        ini.sync()
        scenario = load_scenario("no_return_url")
        with PracticeServer(scenario) as practice:
            window = make_window(qtbot, tmp_path, api_base=practice.base_url,
                                 keychain=Keychain(keyring))
            keeper = window.history_keeper

            async def run() -> None:
                before = window.outcome
                assert window.run_all()
                await until(lambda: window.outcome is not before and settled(window), what="a run")

            window.connect_page.key_field.setText(scenario.primary_key)
            await run()
            await until(lambda: keeper.sharing is not None and keeper.sharing.pending == 0
                        and keeper.sharing.reachable, what="delivery")
            assert team_rows(server.url("team"), "SELECT agent FROM runs") == [("Sam",)]
            assert window.activity_label.text().startswith("Done in")
            assert WAITING not in window.activity_label.text()

            server.stop()
            await run()
            await until(lambda: keeper.sharing.reachable is False, what="the failed delivery")
            assert window.activity_label.text().endswith(f"({WAITING})")
            window.history_action.trigger()
            dialog = keeper.dialog
            assert dialog is not None
            await until(lambda: not dialog.loading, what="the history read")
            assert dialog.sharing_label.text().startswith(  # why, as the command line says it
                f"Showing the runs saved on this computer. {keeper.store.sharing().problem}")
            assert "cannot be reached right now" in dialog.sharing_label.text()
            assert WAITING in dialog.sharing_label.text()
            assert len(dialog.runs()) == 2  # this computer's runs, both

            server.start()
            keeper.store._down_until = 0  # as after the retry pause
            keeper.deliver_in_background()
            await until(lambda: keeper.sharing.pending == 0 and keeper.sharing.reachable, what="redelivery")
            assert team_rows(server.url("team"), "SELECT count(*), count(DISTINCT run_uid) FROM runs") == [(2, 2)]
            dialog.refresh()
            await until(lambda: not dialog.loading, what="the history read")
            assert dialog.sharing_label.text().startswith("Team history: agent@127.0.0.1:")
            assert [r.agent for r in dialog.runs()] == ["Sam", "Sam"]
            dialog.close()
    finally:
        server.remove()


def test_the_window_takes_the_history_url_flag_like_every_command(qtbot) -> None:
    from assistant.cli.main import build_parser
    from assistant.entry import apply_history_url
    from assistant.ui.history.keeper import HistoryKeeper

    environ = {"PORTAL_ASSISTANT_HISTORY_URL": "postgresql://old@elsewhere/db"}
    args = build_parser().parse_args(["--history-url", "postgresql://sam@db.example:5433/support"])
    apply_history_url(args, environ)
    keeper = HistoryKeeper(settings=None, keychain=Keychain(MemoryKeyring()), environ=environ)
    assert keeper.is_team and keeper.store.where == "sam@db.example:5433/support"
    keeper.store.close()

    bare: dict[str, str] = {}
    apply_history_url(build_parser().parse_args([]), bare)
    assert bare == {}  # without the flag, the variable and Settings decide as before
