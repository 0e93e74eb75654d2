"""The case history on both stores: one schema, migrations that keep today's files, changes
recorded for undo, and the team outbox that loses nothing and duplicates nothing.

PostgreSQL here is a real server started by the tests (see support/postgres.py)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from support.history_samples import moved_on
from support.team import team_rows

from assistant.diagnosis.model import AccountInfo, Status, Subject
from assistant.diagnosis.status import status_counts
from assistant.diagnosis.summary import counts_words
from assistant.report.redaction import RedactionOptions, redact_diagnosis
from assistant.report.sample import sample_diagnosis
from assistant.store import migrate
from assistant.store.history import HistoryStore, NewChange, SqlHistory, _sqlite_engine
from assistant.store.opening import open_history
from assistant.store.records import ChangeNotFound
from assistant.store.schema import LOCAL_ONLY, metadata
from assistant.store.summaries import run_line
from assistant.store.team import WAITING, TeamHistory
from assistant.store.team_engine import engine_for
from assistant.store.team_url import TeamUrlError, describe_failure, parse_team_url

DATA = Path(__file__).resolve().parent / "data"


def pg_engine(url: str):
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_store(request, tmp_path: Path):
    """The same interface on the local file and on the team server."""
    if request.param == "sqlite":
        store: SqlHistory = HistoryStore(tmp_path / "h.sqlite3", agent="sam")
    else:
        store = SqlHistory(pg_engine(request.getfixturevalue("team_db")), agent="sam")
    yield store
    store.close()


def _schema_differences(engine) -> list:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    # The outbox exists only in the local file.
    return [d for d in diffs if not (d[0] == "add_table" and d[1].name in LOCAL_ONLY)]


def test_the_revision_list_is_the_migrations_folder() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(Path(migrate.__file__).parent / "migrations"))
    walked = [r.revision for r in script.walk_revisions()]  # newest first
    assert tuple(reversed(walked)) == migrate.REVISIONS and script.get_current_head() == migrate.HEAD


def _version_table(engine) -> tuple:
    found = inspect(engine)
    return ([(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns("alembic_version")],
            found.get_pk_constraint("alembic_version"))


def test_new_databases_get_exactly_the_one_schema_on_sqlite_and_postgresql(
        tmp_path, team_db, pg_server) -> None:
    """A new database is created from the metadata and stamped, which must be exactly what the
    migrations build: same tables, and a stamp Alembic itself reads (so the next revision runs)."""
    pg_server.create_database(chain_db := f"{team_db.rsplit('/', 1)[1]}_chain")
    pairs = [  # (created from the metadata, built through every revision)
        (_sqlite_engine(tmp_path / "new.sqlite3"), _sqlite_engine(tmp_path / "chain.sqlite3")),
        (pg_engine(team_db), pg_engine(pg_server.url(chain_db))),
    ]
    for created, chained in pairs:
        assert migrate.upgrade(created) is True
        assert migrate.upgrade(chained, create_new=False) is True
        for engine in (created, chained):
            assert migrate.upgrade(engine) is False  # nothing to do the second time
            assert _schema_differences(engine) == []
            with engine.connect() as conn:
                assert migrate.current_revision(conn) == migrate.HEAD
        assert _version_table(created) == _version_table(chained)
        with created.begin() as conn:
            command.upgrade(migrate._config(conn), "head")  # Alembic agrees: already at head
            assert migrate.current_revision(conn) == migrate.HEAD
    for db in (team_db, pg_server.url(chain_db)):
        assert team_rows(db, "SELECT to_regclass('outbox')") == [(None,)]
    local = HistoryStore(tmp_path / "new.sqlite3")
    assert local.load(local.save(sample_diagnosis())).checks[0].findings


def test_a_new_file_is_made_without_loading_alembic(tmp_path) -> None:
    """The first run on a new computer does not pay for Alembic (see docs/performance.md)."""
    code = ("import sys; from pathlib import Path; from assistant.store.history import HistoryStore; "
            f"HistoryStore(Path({str(tmp_path / 'h.sqlite3')!r})); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"
    code = code.replace("h.sqlite3", "old.sqlite3")  # an existing old file is migrated by Alembic
    shutil.copy(DATA / "history-v1.sqlite3", tmp_path / "old.sqlite3")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert "alembic.command" in out.stdout


def test_a_history_file_made_by_the_code_before_migrations_keeps_every_run(tmp_path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(DATA / "history-v1.sqlite3", path)
    with sqlite3.connect(path) as conn:  # really the old format: user_version 1, no alembic
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name='alembic_version'").fetchall()

    store = HistoryStore(path)
    listing = json.loads((DATA / "history-v1.listing.json").read_text())["runs"]
    runs = [r.to_dict() for r in store.list_runs()]
    assert [r["id"] for r in runs] == [r["id"] for r in listing] == [7, 6, 5, 4, 3, 2, 1]
    for old, new in zip(listing, runs, strict=True):
        assert {k: new[k] for k in old} == old  # every field the old listing had, unchanged
        assert new["agent"] == "" and len(new["run_id"]) == 36
    assert len({r["run_id"] for r in runs}) == len(runs)
    loaded = json.loads((DATA / "history-v1.runs.json").read_text())
    for run_id, saved in loaded.items():
        got = store.load(int(run_id)).to_dict()
        for check in got["checks"]:  # schema 1 grew `findings` later; the history keeps none
            assert check.pop("findings") == []
        fatal = got.pop("fatal")  # and `fatal` (issue 14): null unless the run could not reach Stripe
        assert fatal is None or set(fatal) == {"message"}
        assert got.pop("api_version") is None  # and `api_version` (issue 25): not recorded then
        assert got.pop("connected_account") is None  # and `connected_account` (issue 23): the key's own
        assert got == saved
    # Migrated to exactly today's tables. (Reflection cannot read ON DELETE from the old
    # file's inline REFERENCES clause; the foreign key itself is checked with PRAGMA below.)
    assert [d for d in _schema_differences(store.engine) if d[0] not in ("add_fk", "remove_fk")] == []
    # Still the same before/after comparison (by status: old runs kept no findings), and
    # still taking new runs, findings and all.
    assert store.previous_run(7) == 6
    assert all(c.appeared == c.cleared == () for c in store.diff(6, 7))
    new_id = store.save(replace(sample_diagnosis(), generated_at="2027-01-01T00:00:00Z"))
    assert new_id == 8 and len(store.list_runs()) == 8
    assert store.load(8).check("portal.products").has("product.archived_prices_active")
    assert all(c.appeared == c.cleared == () for c in store.diff(7, 8))  # run 7 kept none
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        fk = conn.execute("PRAGMA foreign_key_list(results)").fetchall()
        assert [(row[2], row[6]) for row in fk] == [("runs", "CASCADE")]
    assert HistoryStore(path).list_runs()[0].id == 8  # a second open does not migrate again


def test_twenty_openers_of_a_new_team_database_migrate_it_once(team_db) -> None:
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            SqlHistory(pg_engine(team_db)).close()
        except BaseException as err:  # collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=open_it) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert team_rows(team_db, "SELECT version_num FROM alembic_version") == [(migrate.HEAD,)]


def test_saving_the_same_run_uid_twice_keeps_one_run(sql_store: SqlHistory) -> None:
    first = sql_store.save(sample_diagnosis(), run_uid="1" * 36)
    again = sql_store.save(sample_diagnosis(), run_uid="1" * 36)
    assert first == again
    runs = sql_store.list_runs()
    assert len(runs) == 1 and runs[0].total == len(sample_diagnosis().checks) and runs[0].agent == "sam"
    assert runs[0].run_uid == "1" * 36


def test_runs_list_newest_first_and_compare_across_agents(sql_store: SqlHistory) -> None:
    old = sql_store.save(replace(sample_diagnosis(), generated_at="2024-06-03T10:00:00Z"))
    sql_store.agent = "alex"
    new = sql_store.save(replace(sample_diagnosis(), generated_at="2024-06-04T10:00:00Z"))
    other = sql_store.save(replace(sample_diagnosis(), generated_at="2024-06-05T10:00:00Z",
                                   account=AccountInfo("acct_other", "Other")))
    assert [r.id for r in sql_store.list_runs()] == [other, new, old]
    assert [r.agent for r in sql_store.list_runs()] == ["alex", "alex", "sam"]
    assert sql_store.previous_run(new) == old  # another agent's run is "the previous run"
    assert sql_store.statuses([new])[new]["key.format"] == "pass"


def test_changes_keep_exact_values_and_their_undo(sql_store: SqlHistory) -> None:
    run_uid = sql_store.run_uid(sql_store.save(sample_diagnosis()))
    applied = sql_store.record_change(NewChange(
        account_id="acct_1PrCtc3Coffee00", field="default_return_url", before=None,
        after="https://coffee.example/account?mail=owner@coffee.example", object_id="bpc_123",
        check_id="return_url.default", fix_id="set_default_return_url", mode="test",
        summary="return URL set", request_ids=("req_abc",), run_uid=run_uid, ticket="ZD-1",
        applied_at="2024-06-04T10:00:00Z"))
    assert applied.after == "https://coffee.example/account?mail=owner@coffee.example"  # exact
    assert applied.before is None and applied.agent == "sam" and applied.request_ids == ("req_abc",)
    assert applied.undone_by is None

    sql_store.agent = "alex"
    undo = sql_store.record_change(replace(NewChange.undoing(applied, request_ids=("req_def",)),
                                           applied_at="2024-06-04T11:00:00Z"))
    assert (undo.before, undo.after, undo.undo_of) == (applied.after, None, applied.change_uid)
    assert undo.summary == "return URL set undone" and undo.agent == "alex"
    assert sql_store.change(applied.change_uid).undone_by == undo.change_uid
    assert [c.change_uid for c in sql_store.changes("acct_1PrCtc3Coffee00")] == [
        undo.change_uid, applied.change_uid]
    assert sql_store.changes("acct_none") == []
    assert [c.change_uid for c in sql_store.changes(run_uid=run_uid)] == [
        undo.change_uid, applied.change_uid]
    with pytest.raises(ChangeNotFound):
        sql_store.change("nope")
    # Recording the same change twice (a retried write) keeps one.
    sql_store.record_change(replace(NewChange.undoing(applied), change_uid=undo.change_uid))
    assert len(sql_store.changes()) == 2


def test_a_run_keeps_its_findings_redacted_on_both_stores(sql_store: SqlHistory) -> None:
    saved = sample_diagnosis()
    loaded = sql_store.load(sql_store.save(saved))
    assert loaded.checks == redact_diagnosis(saved, RedactionOptions(mask_emails=True)).checks
    found = loaded.check("customer.found").headline
    assert found is not None and found.code == "customer.email_shared"
    assert found.subject == Subject("customer", "cus_QcoffeeJane", "j***@example.com")
    assert found.fact("ids") == ("cus_QcoffeeJane", "cus_QcoffeeOld")  # lists come back as tuples
    archived = loaded.check("portal.products").with_code("product.archived_prices_active")[0]
    assert (archived.status, archived.field, archived.seen, archived.expected) == (
        Status.FAIL, "active", False, True)


def test_runs_are_compared_by_the_problems_found_not_only_statuses(sql_store: SqlHistory) -> None:
    before = replace(sample_diagnosis(), generated_at="2024-06-03T10:00:00Z")
    old, new = sql_store.save(before), sql_store.save(moved_on(before))
    by_id = {c.check_id: c for c in sql_store.diff(old, new)}
    assert set(by_id) == {"portal.products", "webhooks.events"}  # same statuses, other problems
    products = by_id["portal.products"]
    assert (products.old_status, products.new_status, products.kind) == (
        Status.FAIL, Status.FAIL, "changed")
    assert [r.label for r in products.appeared] == [
        'product.archived_prices_active (prod_Q3other "Other plan")']
    assert [r.subject_id for r in products.cleared] == ["prod_Q1hostile"]
    hooks = by_id["webhooks.events"]
    assert hooks.appeared == () and [r.label for r in hooks.cleared] == [
        "webhook.event_missing (customer.updated)"]
    assert sql_store.diff(new, new) == []


def test_a_change_value_holding_a_key_is_refused(sql_store: SqlHistory) -> None:
    key = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    with pytest.raises(ValueError, match="key"):
        sql_store.record_change(NewChange(account_id="acct_1", field="metadata.note",
                                          before="", after=f"use {key}"))
    assert sql_store.changes() == []


def _team(tmp_path: Path, url: str, agent: str = "sam") -> TeamHistory:
    store = open_history(url, agent=agent, local_path=tmp_path / agent / "history.sqlite3")
    assert isinstance(store, TeamHistory)
    return store


def test_a_run_delivered_twice_is_stored_once(tmp_path, team_db) -> None:
    team = _team(tmp_path, team_db)
    team.save(sample_diagnosis())
    assert team.sharing().pending == 0
    uid = team.local.list_runs()[0].run_uid
    # A crash after the team database committed but before the outbox entry was removed:
    with team.local.engine.begin() as conn:
        team.local._queue(conn, "run", uid)
        team.local._queue(conn, "notes", uid)
    assert team.sharing().pending == 2
    team.deliver()
    assert team.sharing().pending == 0
    assert team_rows(team_db, f"SELECT count(*) FROM runs WHERE run_uid = '{uid}'") == [(1,)]
    assert team_rows(team_db, "SELECT count(*) FROM results") == [(len(sample_diagnosis().checks),)]
    shared = team.list_runs()[0]  # read back from the team database: findings and all
    assert team.is_shared_view
    assert team.load(shared.id).checks == team.local.load(team.local.list_runs()[0].id).checks


def test_notes_and_changes_reach_the_team_and_other_agents_see_them(tmp_path, team_db) -> None:
    sam, alex = _team(tmp_path, team_db, "sam"), _team(tmp_path, team_db, "alex")
    sam_run = sam.save(replace(sample_diagnosis(), generated_at="2024-06-03T10:00:00Z"))
    sam.update_notes(sam_run, "Owner will add a price", "ZD-7")
    uid = sam.local.run_uid(sam_run)
    sam.record_change(NewChange(account_id="acct_1PrCtc3Coffee00", field="default_return_url",
                                before="", after="https://coffee.example/account",
                                summary="return URL set", run_uid=uid,
                                applied_at="2024-06-03T10:05:00Z"))
    alex.save(replace(sample_diagnosis(), generated_at="2024-06-04T09:00:00Z"))

    runs = alex.list_runs(account_id="acct_1PrCtc3Coffee00")
    assert alex.is_shared_view
    assert [(r.agent, r.ticket) for r in runs] == [("alex", "ZD-48213"), ("sam", "ZD-7")]
    changes = alex.changes("acct_1PrCtc3Coffee00")
    assert [(c.agent, c.summary) for c in changes] == [("sam", "return URL set")]
    line = run_line(runs[1], changes, now=datetime(2024, 6, 4, 12, tzinfo=UTC), tz=UTC)
    counted = counts_words(status_counts(c.status for c in sample_diagnosis().checks))  # as the Report step says it
    assert line == f"sam, yesterday: {counted} — return URL set by sam"
    assert alex.load(runs[1].id).notes == "Owner will add a price"


def test_when_the_server_is_away_runs_wait_and_are_sent_once_it_is_back(tmp_path) -> None:
    from support.postgres import PostgresServer

    server = PostgresServer()
    try:
        server.start()
        server.create_database("team")
        team = _team(tmp_path, server.url("team"))
        team.save(sample_diagnosis())  # migrates and delivers while up
        server.stop()

        waiting = team.save(replace(sample_diagnosis(), generated_at="2024-06-05T10:00:00Z"))
        sharing = team.sharing()
        assert sharing.pending == 1 and sharing.reachable is False
        assert sharing.message == f"1 item {WAITING}."
        assert sharing.problem == f"The team database {team.where} cannot be reached right now."
        listed = team.list_runs()  # reads fall back to this computer's runs
        assert not team.is_shared_view and [r.id for r in listed] == [waiting, 1]

        server.start()
        team._down_until = 0  # as after RETRY_AFTER_S
        assert team.deliver().pending == 0
        assert team_rows(server.url("team"), "SELECT count(*), count(DISTINCT run_uid) FROM runs") == [(2, 2)]
        team.deliver()  # nothing left: delivering again adds nothing
        assert team_rows(server.url("team"), "SELECT count(*) FROM runs") == [(2,)]
        assert team.is_shared_view is False and team.list_runs() and team.is_shared_view
    finally:
        server.remove()


def test_connection_and_migration_failures_are_one_sentence(tmp_path, team_db, pg_server) -> None:
    target = parse_team_url(team_db)
    with pytest.raises(Exception) as caught:
        SqlHistory(engine_for(target, "wrong-password"))
    assert describe_failure(caught.value, target) == (
        f"The team database {target.where} refused the login for agent: check the password "
        "in Settings (it is kept in the system keychain).")
    missing = parse_team_url(pg_server.url("no_such_db"))
    with pytest.raises(Exception) as caught:
        SqlHistory(engine_for(missing))
    assert describe_failure(caught.value, missing).startswith(
        "The team database no_such_db does not exist on 127.0.0.1")
    SqlHistory(engine_for(target)).close()
    with pg_engine(team_db).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(migrate.SchemaTooNew) as caught:
        SqlHistory(engine_for(target))
    assert describe_failure(caught.value, target) == (
        f"The team database {target.where} was set up by a newer Portal Setup Assistant "
        "(schema 0099); update this app to share runs there.")


@pytest.mark.parametrize("url, words", [
    ("mysql://u@h/db", "must be a PostgreSQL database"),
    ("postgresql://u@h", "names no database"),
    ("not a url", "not a URL"),
])
def test_unusable_urls_say_why(url: str, words: str) -> None:
    with pytest.raises(TeamUrlError, match=words):
        parse_team_url(url)


def test_the_url_is_kept_and_shown_without_its_password() -> None:
    target = parse_team_url("postgresql://agent:hunter2@db.example:5433/support")
    assert target.password == "hunter2"
    assert target.display == "postgresql://agent@db.example:5433/support"
    assert "hunter2" not in target.where + target.keychain_slot + repr(target.url)


def test_fields_recorded_together_are_one_batch_undone_together(sql_store: SqlHistory) -> None:
    fields = [("features.subscription_update.enabled", False, True),
              ("features.payment_method_update.enabled", False, True)]
    applied = sql_store.record_changes([
        NewChange(account_id="acct_1", field=f, before=b, after=a, object_id="bpc_1",
                  fix_id="portal.features.enable_switching", request_ids=("req_1",))
        for f, b, a in fields])
    alone = sql_store.record_change(NewChange(account_id="acct_1", field="default_return_url",
                                              before=None, after="https://a.example/"))
    batch = sql_store.change_batch(applied[1].change_uid)
    assert [c.field for c in batch] == [f for f, _, _ in fields]
    assert {c.batch for c in batch} == {applied[0].change_uid}
    assert sql_store.change_batch(alone.change_uid) == [alone] and alone.batch == alone.change_uid
    undo = sql_store.record_changes([NewChange.undoing(c, request_ids=("req_2",)) for c in batch])
    assert {c.batch for c in undo} == {undo[0].change_uid} != {applied[0].change_uid}
    assert [c.undone_by for c in sql_store.change_batch(applied[0].change_uid)] == [
        u.change_uid for u in undo]
    assert applied[0].to_dict()["batch_id"] == applied[0].change_uid
