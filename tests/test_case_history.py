"""Whichever history `open_history` gives, it answers the same questions (`CaseHistory`): the
file on this computer says it shares nothing and delivering does nothing; the team history
says what waits and why, in the sentence the commands print after a save."""

from __future__ import annotations

import socket
from pathlib import Path

from assistant.report.sample import sample_diagnosis
from assistant.store.case_history import WAITING, CaseHistory, Sharing
from assistant.store.opening import open_history


def _closed_port() -> int:
    """A port on this computer nothing listens on: a team database that is away."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_local_history_shares_nothing_and_delivering_does_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store: CaseHistory = open_history(None, agent="sam", local_path=path)
    assert (store.is_team, store.where, store.path) == (False, "", path)
    run = store.save(sample_diagnosis(), deliver=False)  # the window's call, as on a team store
    store.update_notes(run, "Owner will add a price", "ZD-7", deliver=False)
    assert store.deliver() == store.sharing() == Sharing(team=False)
    assert store.sharing().message == store.sharing().saved_run_note == ""
    assert [(r.id, r.ticket) for r in store.list_runs()] == [(run, "ZD-7")]
    assert not store.is_shared_view
    store.close()


def test_a_team_history_that_is_away_keeps_the_run_and_says_it_waits(tmp_path: Path) -> None:
    port = _closed_port()
    store: CaseHistory = open_history(f"postgresql://agent@127.0.0.1:{port}/team", agent="sam",
                                      local_path=tmp_path / "history.sqlite3")
    assert store.is_team and store.where == f"agent@127.0.0.1:{port}/team"
    assert store.path == tmp_path / "history.sqlite3"
    run = store.save(sample_diagnosis())  # tries to deliver, and cannot
    sharing = store.sharing()
    assert (sharing.team, sharing.pending, sharing.reachable) == (True, 1, False)
    assert sharing.problem  # one sentence naming the server, never a traceback
    assert sharing.saved_run_note == f"this run was {WAITING} ({sharing.problem})"
    assert sharing.message == f"1 item {WAITING}."
    assert [r.id for r in store.list_runs()] == [run]  # this computer's runs meanwhile
    assert not store.is_shared_view
    assert store.deliver().pending == 1  # still away: still waiting, nothing lost
    store.close()
