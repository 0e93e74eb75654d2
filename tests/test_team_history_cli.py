"""Acceptance, from the command line: agents on their own computers (own HOME) sharing one
real PostgreSQL server; a server that goes away and comes back; the password never written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from support.postgres import PASSWORD, PostgresServer
from support.team import cli, local_history, team_rows

from assistant.store.team import WAITING


def test_two_agents_see_each_others_runs_with_their_names(tmp_path: Path, team_db: str) -> None:
    sam, alex = tmp_path / "sam", tmp_path / "alex"
    first = cli(sam, "sam", "diagnose", "--demo", "no_return_url", "--history-url", team_db)
    assert first.returncode == 1, first.stderr  # the practice account has a failing check
    second = cli(alex, "alex", "diagnose", "--demo", "no_return_url", "--format", "json",
                 PORTAL_ASSISTANT_HISTORY_URL=team_db)
    assert second.returncode == 1, second.stderr
    account = json.loads(second.stdout)["account"]["id"]
    assert first.stderr == second.stderr == ""  # shared at once: nothing to say

    for home, me in ((sam, "sam"), (alex, "alex")):
        done = cli(home, me, "history", "--history-url", team_db, "--account", account,
                   "--format", "json")
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        assert data["source"] == "team" and data["pending"] == 0
        runs = data["runs"]
        assert [r["agent"] for r in runs] == ["alex", "sam"]  # newest first, every agent
        for r in runs:
            assert r["account"]["id"] == account and r["mode"] == "test"
            assert r["statuses"]["portal.return_url"] == "fail" and r["ticket"] == ""
        text = cli(home, me, "history", "--history-url", team_db).stdout
        assert "Agent" in text.splitlines()[0]
        assert [line.split()[3] for line in text.splitlines()[2:]] == ["alex", "sam"]
    # Each computer also kept its own run locally, as before.
    for home in (sam, alex):
        with sqlite3.connect(local_history(home)) as conn:
            assert conn.execute("SELECT count(*) FROM runs").fetchone() == (1,)
            assert conn.execute("SELECT count(*) FROM outbox").fetchone() == (0,)


def test_without_a_url_history_stays_on_this_computer(tmp_path: Path, team_db: str) -> None:
    home = tmp_path / "solo"
    assert cli(home, "sam", "diagnose", "--demo", "healthy").returncode == 0
    data = json.loads(cli(home, "sam", "history", "--format", "json").stdout)
    assert data["source"] == "local" and [r["agent"] for r in data["runs"]] == ["sam"]
    assert team_rows(team_db, "SELECT to_regclass('runs')") == [(None,)]  # nothing went there


def test_runs_made_while_the_server_is_down_are_shared_once_it_is_back(tmp_path: Path) -> None:
    server = PostgresServer()
    try:
        server.start()
        server.create_database("team")
        url = server.url("team")
        sam, alex = tmp_path / "sam", tmp_path / "alex"
        assert cli(sam, "sam", "diagnose", "--demo", "healthy", "--history-url", url).returncode == 0
        server.stop()

        down = cli(sam, "sam", "diagnose", "--demo", "no_return_url", "--history-url", url)
        assert down.returncode == 1  # the diagnosis itself is unaffected
        assert down.stderr.strip() == (
            f"portal-assistant: this run was saved on this computer, will be shared when the team "
            f"database is reachable (The team database agent@127.0.0.1:{server.port}/team cannot "
            "be reached right now.)")
        listing = cli(sam, "sam", "history", "--history-url", url, "--format", "json")
        assert listing.returncode == 0
        data = json.loads(listing.stdout)
        assert data["source"] == "local" and data["pending"] == 1 and len(data["runs"]) == 2
        assert f"Showing the runs saved on this computer. 1 item {WAITING}." in listing.stderr
        waiting_uid = data["runs"][0]["run_id"]

        server.start()
        # Another agent does not see it yet: it is still on sam's computer...
        other = json.loads(cli(alex, "alex", "history", "--history-url", url, "--format", "json").stdout)
        assert waiting_uid not in {r["run_id"] for r in other["runs"]}
        # ...until sam's next command delivers it, exactly once.
        back = cli(sam, "sam", "history", "--history-url", url, "--format", "json")
        assert back.stderr == "" and json.loads(back.stdout)["pending"] == 0
        for _ in range(2):
            cli(sam, "sam", "history", "--history-url", url)
        assert team_rows(url, f"SELECT count(*) FROM runs WHERE run_uid = '{waiting_uid}'") == [(1,)]
        assert team_rows(url, "SELECT count(*), count(DISTINCT run_uid) FROM runs") == [(2, 2)]
        seen = json.loads(cli(alex, "alex", "history", "--history-url", url, "--format", "json").stdout)
        assert [r["agent"] for r in seen["runs"]] == ["sam", "sam"]
    finally:
        server.remove()


def test_the_password_comes_from_the_keychain_and_is_written_nowhere(tmp_path: Path, team_db: str,
                                                                    pg_server) -> None:
    """The URL carries no password; the keychain (an in-memory backend here) has it."""
    home = tmp_path / "sam"
    no_password = team_db.replace(f":{PASSWORD}@", "@")
    assert PASSWORD not in no_password
    refused = cli(home, "sam", "diagnose", "--demo", "healthy", "--history-url", no_password,
                  PGPASSWORD="wrong")
    assert "refused the login for agent" in refused.stderr
    keyring_setup = (
        "import sys, keyring; sys.path.insert(0, 'tests');"
        "from support.memory_keyring import MemoryKeyring; k = MemoryKeyring();"
        f"k.set_password('portal-setup-assistant', 'history-db:{no_password.split('//')[1]}', '{PASSWORD}');"
        "keyring.set_keyring(k); from assistant.entry import main;"
        f"sys.exit(main(sys.argv[1:]))"
    )
    import subprocess
    import sys

    from support.team import ROOT, agent_env

    done = subprocess.run(
        [sys.executable, "-c", keyring_setup, "diagnose", "--demo", "healthy", "--history-url",
         no_password], env=agent_env(home, "sam"), capture_output=True, text=True, cwd=ROOT,
        timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert team_rows(team_db, "SELECT count(*) FROM runs") == [(2,)]  # the refused run, delivered
    for path in home.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_an_unusable_url_is_a_usage_error_before_stripe_is_read(tmp_path: Path) -> None:
    done = cli(tmp_path / "sam", "sam", "diagnose", "--demo", "healthy", "--history-url", "mysql://x/y")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == ("portal-assistant: The team history must be a PostgreSQL database "
                                   "(postgresql://user@host/database), not 'mysql'.")
