"""Issue 21, item 3: every wait on the team database is bounded. A server that stalls after the
login (a proxy that stops forwarding) and a table locked by another session cost a command what
is left of its --timeout, never minutes; the report is printed first, and one sentence says the
team database did not answer in time. `fix` prints the change id before it delivers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from support.practice import practice
from support.stall_proxy import StallingProxy

ROOT = Path(__file__).resolve().parents[1]


def main_py(*argv: str, timeout: float = 60, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **env}, timeout=timeout)
    return done, time.monotonic() - start


def _through(proxy: StallingProxy, url: str) -> str:
    head, tail = url.rsplit("@", 1)
    database = tail.split("/", 1)[1]
    return f"{head}@127.0.0.1:{proxy.port}/{database}"


def _migrated(url: str) -> None:
    done, _ = main_py("diagnose", "--demo", "healthy", "--history-url", url)
    assert done.returncode == 0 and "will be shared" not in done.stderr, done.stderr


def test_diagnose_behind_a_stalling_proxy_ends_within_its_timeout(team_db, pg_server) -> None:
    with StallingProxy(pg_server.port) as proxy:
        done, took = main_py("diagnose", "--demo", "healthy", "--timeout", "5", "--history-url",
                             _through(proxy, team_db))
    assert took < 8, took
    assert done.returncode == 0 and "PASS" in done.stdout  # the report, whole
    assert proxy.logins >= 1  # it did log in, then heard nothing
    assert "did not answer within" in done.stderr and "saved on this computer" in done.stderr


def test_diagnose_with_the_team_tables_locked_ends_within_its_timeout(team_db) -> None:
    _migrated(team_db)
    with psycopg.connect(team_db, autocommit=False) as other:
        other.execute("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE")  # held until the block ends
        done, took = main_py("diagnose", "--demo", "healthy", "--timeout", "5", "--history-url", team_db)
    assert took < 8, took
    assert done.returncode == 0 and "PASS" in done.stdout
    assert "did not answer within" in done.stderr, done.stderr


def test_history_with_the_team_tables_locked_lists_this_computers_runs_in_time(team_db) -> None:
    _migrated(team_db)
    with psycopg.connect(team_db, autocommit=False) as other:
        other.execute("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE")
        done, took = main_py("history", "--timeout", "5", "--history-url", team_db)
    assert took < 8, took
    assert done.returncode == 0 and "acct_" in done.stdout
    assert "did not answer within" in done.stderr and "Showing the runs saved on this computer" in done.stderr


def test_history_behind_a_stalling_proxy_is_bounded(team_db, pg_server) -> None:
    with StallingProxy(pg_server.port) as proxy:
        done, took = main_py("history", "--timeout", "3", "--history-url", _through(proxy, team_db))
    assert took < 6, took
    assert done.returncode == 0 and "did not answer within" in done.stderr


def test_fix_prints_the_change_id_before_it_waits_on_the_team_database(team_db, pg_server) -> None:
    with practice("no_return_url") as (scenario, server), StallingProxy(pg_server.port) as proxy:
        done, took = main_py("fix", "--apply", "portal.return_url", "--return-url", "https://app.practice.example/b",
                             "--yes", "--timeout", "10", "--api-base", server.base_url,
                             "--history-url", _through(proxy, team_db), STRIPE_API_KEY=scenario.primary_key)
    assert took < 14, took
    assert done.returncode == 0, done.stderr
    assert "Recorded as change" in done.stdout and "main.py fix --undo" in done.stdout
    assert "did not answer within" in done.stderr
