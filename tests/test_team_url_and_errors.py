"""Issue 21, item 6: a team database password with any characters in the URL is taken out of it
(into the keychain), used, and never printed, logged or stored; a role that may not create or
write the tables, and a keyring that cannot be opened, are the team database's problem, said in
its own sentence, while this computer's file keeps the run (and `history` still lists it)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from support.memory_keyring import MemoryKeyring
from support.team import cli, local_history, log_file

from assistant.account.keychain import Keychain
from assistant.store.opening import open_history
from assistant.store.team_engine import engine_for
from assistant.store.team_url import parse_team_url

HARD = "p@ss:w/rd%zz@x"  # every character a naive URL split trips on


@pytest.mark.parametrize(("url", "where", "password"), [
    (f"postgresql://agent:{HARD}@db.example:5432/support", "agent@db.example:5432/support", HARD),
    ("postgres://agent:p%40ss@db.example/support", "agent@db.example/support", "p@ss"),
    ("postgresql://agent:50%off@[::1]:5433/support", "agent@[::1]:5433/support", "50%off"),
    ("postgresql://agent@db.example/support", "agent@db.example/support", None),
])
def test_the_password_is_taken_out_of_the_url_whatever_it_holds(url: str, where: str, password: str | None) -> None:
    target = parse_team_url(url)
    assert target.where == where and target.password == password
    assert target.display == f"postgresql://{where}"
    if password:
        assert password not in target.display and password not in target.keychain_slot


@pytest.mark.parametrize("url", [
    "postgresql://agent:pw@db.example:5432/support?sslmode=require&target_session_attrs=read-write",
    "postgresql://agent@[::1]:5433/support",
    "postgresql://agent@/support",  # the local socket
    "postgresql://agent@db.example/sup%20port",
    "postgresql://db.example/support?options=-c%20a%3D1&options=-c%20b%3D2",
])
def test_the_engine_connects_where_sqlalchemys_own_parser_would(url: str) -> None:
    """The URL is read without SQLAlchemy (the window reads it before its first paint); the
    engine built from it must still point where SQLAlchemy's parser points."""
    from sqlalchemy.engine import make_url

    built = engine_for(parse_team_url(url))
    try:
        expected = make_url(url).set(drivername="postgresql+psycopg")
        assert built.url.render_as_string(hide_password=False) == expected.render_as_string(hide_password=False)
    finally:
        built.dispose()


def test_a_password_in_the_url_is_moved_to_the_keychain(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    said: list[str] = []
    url = f"postgresql://agent:{HARD}@db.example:5432/support"
    store = open_history(url, agent="sam", keychain=Keychain(keyring), local_path=tmp_path / "h.sqlite3",
                         said=said.append)
    assert keyring.get_password("portal-setup-assistant", "history-db:agent@db.example:5432/support") == HARD
    assert said and "moved to the system keychain" in said[0] and HARD not in said[0]
    store.close()


def _role(pg_server, password: str, *, owner: bool) -> str:
    """A login role with `password`, and a database it owns (or one it may only connect to)."""
    name = f"r_{uuid.uuid4().hex[:8]}"
    with pg_server.admin() as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        conn.execute(f'CREATE DATABASE "{name}" OWNER {name if owner else "postgres"}')
    return name


def test_a_password_with_at_signs_works_and_is_never_written(tmp_path: Path, pg_server) -> None:
    role = _role(pg_server, HARD, owner=True)
    url = f"postgresql://{role}:{HARD}@127.0.0.1:{pg_server.port}/{role}"
    home = tmp_path / "sam"
    done = cli(home, "sam", "diagnose", "--demo", "healthy", "--history-url", url)
    assert done.returncode == 0 and done.stderr == "", done.stderr  # shared at once
    with psycopg.connect(host="127.0.0.1", port=pg_server.port, user=role, password=HARD, dbname=role) as conn:
        assert conn.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    listed = cli(home, "sam", "history", "--format", "json", "--history-url", url)
    assert json.loads(listed.stdout)["source"] == "team"
    for text in (done.stdout, done.stderr, listed.stdout, listed.stderr,
                 local_history(home).read_bytes().decode("utf-8", "replace"),
                 *(p.read_text() for p in log_file(home).glob("*"))):
        assert HARD not in text and "w/rd" not in text


def test_a_role_that_may_not_create_the_tables_is_the_team_databases_problem(tmp_path: Path, pg_server) -> None:
    role = _role(pg_server, "plain-password", owner=False)
    url = f"postgresql://{role}:plain-password@127.0.0.1:{pg_server.port}/{role}"
    home = tmp_path / "sam"
    done = cli(home, "sam", "diagnose", "--demo", "healthy", "--history-url", url)
    assert done.returncode == 0
    assert "history.sqlite3" not in done.stderr and "could not be written" not in done.stderr
    assert f"does not let {role} create or write the history tables" in done.stderr
    assert "saved on this computer" in done.stderr
    listed = cli(home, "sam", "history", "--history-url", url)
    assert listed.returncode == 0 and "acct_" in listed.stdout
    assert f"does not let {role}" in listed.stderr


def test_a_keyring_that_cannot_be_opened_is_said_as_the_team_databases_login_problem(
        tmp_path: Path, team_db: str) -> None:
    without_password = team_db.replace(":s3cret-for-tests@", "@")
    home = tmp_path / "sam"
    done = cli(home, "sam", "diagnose", "--demo", "healthy", "--history-url", without_password,
               PYTHON_KEYRING_BACKEND="no.such.module.Keyring")
    assert done.returncode == 0
    assert "history.sqlite3" not in done.stderr and "could not be written" not in done.stderr
    assert "keychain could not be opened" in done.stderr and "saved on this computer" in done.stderr
