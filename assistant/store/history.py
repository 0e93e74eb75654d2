"""Case history: every run kept so an agent can compare before and after, and what fixes changed.

Two stores share one interface and one schema (`assistant/store/schema.py`, created by the
Alembic migrations in `assistant/store/migrations/`):

- `HistoryStore(path)`: the embedded SQLite file on the agent's computer (the default, no
  set-up; WAL, one transaction per write).
- `SqlHistory(engine)`: any SQLAlchemy engine, e.g. the team's PostgreSQL
  (`postgresql+psycopg://agent@host/db`); `assistant.store.team.TeamHistory` puts an outbox in
  front of it so nothing is lost while the server is away.

The window and the commands hold either as a `CaseHistory` (`assistant/store/case_history.py`):
`HistoryStore` answers its sharing questions as "this computer only".

Only the masked key is ever written, and every text passes through the report redaction first
(keys and portal session links always; customer e-mails too by default, since a before/after
comparison needs no one's address). A run is written in one transaction, so a crash or a kill
mid-save leaves either the whole run or nothing.

The interface (every store; ids are that database's numbers, uids are stable everywhere):

    save(diagnosis, *, run_uid=None) -> int          # a run; same run_uid twice keeps one row
    update_notes(run, notes, ticket)                 # run: its id (int) or its run_uid (str)
    list_runs(account_id=None, limit=200) -> [RunSummary]   # newest first, every agent's
    statuses(run_ids) -> {run id: {check id: status}}
    load(run_id) -> Diagnosis; previous_run(run_id) -> int | None; diff(old, new) -> [CheckChange]
    run_uid(run_id) -> str
    record_change(NewChange) -> AccountChange         # one field a guided fix (or undo) changed
    record_changes([NewChange]) -> [AccountChange]    # several fields, one transaction
    changes(account=None, *, run_uid=None, limit=500) -> [AccountChange]   # newest first
    change(change_uid) -> AccountChange               # raises ChangeNotFound
    change_batch(change_uid) -> [AccountChange]       # the fields one fix changed together

For guided fixes (issue 10): after each applied POST call `record_change(NewChange(account_id=…,
field=…, before=…, after=…, object_id=…, check_id=…, fix_id=…, mode=…, summary="return URL
set", request_ids=(req_…,), run_uid=…, ticket=…))`; an undo sends `change.before` back and
records `NewChange.undoing(change, request_ids=…)`, after which `change(uid).undone_by` names it.
Fields recorded in one `record_changes` call form a batch (`batch_uid`), undone together.
`before`/`after` keep Stripe's exact values (an undo needs them), so a value that looks like a
key or a portal session link is refused rather than stored.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, and_, case, create_engine, event, func, select
from sqlalchemy.pool import NullPool

import assistant
from assistant.account.keys import mask_key
from assistant.diagnosis.model import AccountInfo, CheckResult, Diagnosis, Status, StripeErrorInfo
from assistant.report.redaction import RedactionOptions, redact_diagnosis, redact_text
from assistant.store import ask_table, finding_json, intent_table, migrate
from assistant.store.case_history import LOCAL_ONLY, Sharing
from assistant.store.private_files import private_file
from assistant.store.records import (
    DONE,
    STATUS_VALUES,
    AccountChange,
    AskRecord,
    ChangeNotFound,
    CheckChange,
    FindingRef,
    Intent,
    NewChange,
    RunNotFound,
    RunSummary,
    new_uid,
    problem_refs,
    utc_now,
)
from assistant.store.schema import asks as asks_t
from assistant.store.schema import changes as changes_t
from assistant.store.schema import outbox as outbox_t
from assistant.store.schema import results as results_t
from assistant.store.schema import runs as runs_t

__all__ = [
    "AccountChange", "ChangeNotFound", "CheckChange", "HistoryStore", "NewChange", "RunNotFound",
    "RunSummary", "SCHEMA_VERSION", "SqlHistory", "default_agent", "default_path",
]

APP_DIR_NAME = "portal-setup-assistant"
SCHEMA_VERSION = migrate.HEAD  # the Alembic revision this code writes

_EXACT = RedactionOptions(mask_emails=False)
WRITE = {migrate.WRITE_OPTION: True}


def default_path() -> Path:
    return platformdirs.user_data_path(APP_DIR_NAME, appauthor=False) / "history.sqlite3"


def default_agent() -> str:
    """The OS user name: who ran a run when Settings name nobody."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return ""


def _safe_masked_key(value: str) -> str:
    """The only form of the key that may reach the disk: prefix, "…", last four."""
    value = (value or "").strip()
    if value and "…" not in value:
        value = mask_key(value)
    value = redact_text(value)
    if value and ("…" not in value or value != redact_text(value)):
        raise ValueError("Refusing to store a key that is not in masked form.")
    return value


def _exact_json(value: Any, what: str) -> str:
    """A change's before/after value as JSON, unaltered; a key or a session link is refused."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if redact_text(text, _EXACT) != text:
        raise ValueError(f"Refusing to record a {what} value that holds a key or a session link.")
    return text


def _problem_moves(old_json: str | None, new_json: str) -> tuple[tuple[FindingRef, ...],
                                                                  tuple[FindingRef, ...]]:
    """(problems only the new result found, problems only the old one found); nothing when
    either kept no findings."""
    old_findings = finding_json.loads(old_json) if old_json else ()
    new_findings = finding_json.loads(new_json)
    if not old_findings or not new_findings:
        return (), ()
    old, new = problem_refs(old_findings), problem_refs(new_findings)
    return (tuple(r for k, r in new.items() if k not in old),
            tuple(r for k, r in old.items() if k not in new))


def _dialect_insert(conn: Connection, table: Any) -> Any:
    """INSERT … ON CONFLICT DO NOTHING on the uid, for the engine at hand."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


class SqlHistory:
    """The case history in any SQL database SQLAlchemy reaches (SQLite file, PostgreSQL)."""

    def __init__(
        self,
        engine: Engine,
        *,
        redaction: RedactionOptions | None = None,
        agent: str | None = None,
        migrate_now: bool = True,
    ) -> None:
        self.engine = engine
        self.redaction = redaction or RedactionOptions(mask_emails=True)
        self.agent = default_agent() if agent is None else agent
        if migrate_now:
            migrate.upgrade(engine)

    # -- writing runs ------------------------------------------------------------------------

    def _run_rows(self, diagnosis: Diagnosis, run_uid: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        run = redact_diagnosis(diagnosis, self.redaction)
        row = {
            "run_uid": run_uid,
            "created_at": run.generated_at,
            "account_id": run.account.id if run.account else None,
            "account_name": run.account.name if run.account else None,
            "mode": run.mode,
            "masked_key": _safe_masked_key(diagnosis.masked_key),
            "notes": run.notes,
            "ticket": run.ticket,
            "app_version": run.app_version or assistant.__version__,
            "api_version": run.api_version,
            "request_count": run.request_count,
            "customer_query": run.customer_query,
            "fatal": run.fatal,
            "agent": redact_text(self.agent, self.redaction),
            "connected_account": run.connected_account,
        }
        results = [
            {
                "position": pos,
                "check_id": c.id,
                "title": c.title,
                "status": c.status.value,
                "summary": c.summary,
                "details_json": json.dumps(list(c.details), ensure_ascii=False),
                "fix_json": json.dumps(list(c.fix), ensure_ascii=False),
                "glossary_json": json.dumps(list(c.glossary), ensure_ascii=False),
                "stripe_error_json": (
                    json.dumps(c.stripe_error.to_dict(), ensure_ascii=False) if c.stripe_error else None
                ),
                "findings_json": finding_json.dumps(c.findings),
            }
            for pos, c in enumerate(run.checks)
        ]
        return row, results

    @staticmethod
    def _insert_run(conn: Connection, row: dict[str, Any], results: list[dict[str, Any]]) -> int:
        """Insert unless a run with this uid is there already; the run's id either way."""
        stmt = (
            _dialect_insert(conn, runs_t)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["run_uid"])
            .returning(runs_t.c.id)
        )
        run_id = conn.execute(stmt).scalar()
        if run_id is None:  # delivered before: keep the first copy, add nothing
            return int(conn.execute(
                select(runs_t.c.id).where(runs_t.c.run_uid == row["run_uid"])).scalar_one())
        if results:
            conn.execute(results_t.insert(), [{"run_id": run_id, **r} for r in results])
        return int(run_id)

    def _write(self) -> Any:
        """A write transaction (SQLite takes its write lock at BEGIN, not half-way through)."""
        return self.engine.execution_options(**WRITE).begin()

    def save(self, diagnosis: Diagnosis, *, run_uid: str | None = None) -> int:
        """Store a run (redacted) and return its id. Saving the same `run_uid` twice keeps one."""
        row, results = self._run_rows(diagnosis, run_uid or new_uid())
        with self._write() as conn:
            run_id = self._insert_run(conn, row, results)
            self._queue(conn, "run", row["run_uid"])
            return run_id

    def _queue(self, conn: Connection, kind: str, uid: str) -> None:
        """Hook for the local store's outbox (same transaction as the write it records)."""

    def _run_where(self, run: int | str) -> Any:
        return runs_t.c.run_uid == run if isinstance(run, str) else runs_t.c.id == run

    def update_notes(self, run: int | str, notes: str, ticket: str) -> None:
        """Notes and ticket of a run, by its id in this store or by its run_uid."""
        with self._write() as conn:
            done = conn.execute(
                runs_t.update().where(self._run_where(run)).values(
                    notes=redact_text(notes, self.redaction),
                    ticket=redact_text(ticket, self.redaction),
                )
            )
            if done.rowcount == 0:
                raise RunNotFound(run)
            uid = run if isinstance(run, str) else conn.execute(
                select(runs_t.c.run_uid).where(runs_t.c.id == run)).scalar_one()
            self._queue(conn, "notes", uid)

    # -- writing changes ---------------------------------------------------------------------

    def _change_row(self, change: NewChange) -> dict[str, Any]:
        if not change.account_id or not change.field:
            raise ValueError("A change needs the account and the field it changed.")
        return {
            "change_uid": change.change_uid or new_uid(),
            "run_uid": change.run_uid,
            "account_id": change.account_id,
            "mode": change.mode,
            "check_id": change.check_id,
            "fix_id": change.fix_id,
            "object_id": redact_text(change.object_id, _EXACT),
            "field": change.field,
            "before_json": _exact_json(change.before, "before"),
            "after_json": _exact_json(change.after, "after"),
            "summary": redact_text(change.summary, self.redaction),
            "request_ids_json": json.dumps(list(change.request_ids)),
            "applied_at": change.applied_at or utc_now(),
            "agent": redact_text(self.agent if change.agent is None else change.agent, self.redaction),
            "ticket": redact_text(change.ticket, self.redaction),
            "undo_of": change.undo_of,
            "batch_uid": change.batch_uid,
            "left_json": None if change.left is None else _exact_json(change.left, "created object's"),
        }

    @staticmethod
    def _insert_change(conn: Connection, row: dict[str, Any]) -> None:
        conn.execute(
            _dialect_insert(conn, changes_t).values(**row)
            .on_conflict_do_nothing(index_elements=["change_uid"])
        )

    def record_changes(self, new: Sequence[NewChange], *, intent: str | None = None,
                       intent_state: str = DONE) -> list[AccountChange]:
        """Record several changed fields in one transaction; returns them as stored.

        Fields recorded together are one batch (one fix, or one undo): each gets the first
        one's uid as `batch_uid` unless the caller gave one. `intent`: the write-ahead intent
        these fields answer, closed (`intent_state`) in the same transaction."""
        rows = [self._change_row(c) for c in new]
        if len(rows) > 1:
            first = rows[0]["batch_uid"] or rows[0]["change_uid"]
            for row in rows:
                row["batch_uid"] = row["batch_uid"] or first
        with self._write() as conn:
            taken = self._recorded_by_other(conn, intent) if intent is not None else None
            if taken is not None:  # another process settled this write meanwhile: recorded once
                rows = []
            for row in rows:
                self._insert_change(conn, row)
                self._queue(conn, "change", row["change_uid"])
            if intent is not None and rows:
                self._close_intent(conn, intent, intent_state, rows[0]["change_uid"], rows[0]["object_id"])
        if taken is not None:
            return self.change_batch(taken)
        return [self.change(row["change_uid"]) for row in rows]

    def _close_intent(self, conn: Connection, intent: str, state: str, change_uid: str, object_id: str) -> None:
        """Hook for the local file's intents (the team database keeps none)."""

    def _recorded_by_other(self, conn: Connection, intent: str) -> str | None:
        """Hook: the change an intent was closed with already (the window settled a write of
        another process on this computer while its answer was on the way), else None."""
        return None

    def record_change(self, new: NewChange) -> AccountChange:
        return self.record_changes([new])[0]

    # -- Stripe's answers to asks -----------------------------------------------------------

    def record_asks(self, records: Sequence[AskRecord], *, intent: str | None = None,
                    note: str = "") -> list[AskRecord]:
        """Keep the answers of one ask (one batch, one transaction); `intent` (the write-ahead
        record of the sessions they created) is closed in the same transaction with `note`."""
        table_rows = ask_table.rows(records, self.agent, self.redaction)
        with self._write() as conn:
            ask_table.insert(conn, _dialect_insert(conn, asks_t), table_rows)
            if table_rows:
                self._queue(conn, "asks", table_rows[0]["batch_uid"])
            if intent is not None:
                self._answer_intent(conn, intent, note)
        return self.asks(batch_uid=table_rows[0]["batch_uid"]) if table_rows else []

    def _answer_intent(self, conn: Connection, intent: str, note: str) -> None:
        """Hook for the local file's intents (the team database keeps none)."""

    def asks(self, account: str | None = None, *, run_uid: str | None = None, batch_uid: str | None = None,
             limit: int = 200) -> list[AskRecord]:
        """Answers kept, newest first."""
        with self.engine.connect() as conn:
            found = conn.execute(ask_table.select_asks(account, run_uid=run_uid, batch_uid=batch_uid, limit=limit))
            return [ask_table.record(r) for r in found]

    def export_asks(self, batch_uid: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return ask_table.export_batch(conn, batch_uid)

    def import_asks(self, table_rows: Sequence[dict[str, Any]]) -> None:
        with self._write() as conn:
            ask_table.insert(conn, _dialect_insert(conn, asks_t), table_rows)

    # -- reading runs ------------------------------------------------------------------------

    @staticmethod
    def _summary(row: Any) -> RunSummary:
        return RunSummary(
            id=row.id,
            created_at=row.created_at,
            account_id=row.account_id,
            account_name=row.account_name,
            mode=row.mode,
            masked_key=row.masked_key,
            ticket=row.ticket,
            notes=row.notes,
            app_version=row.app_version,
            api_version=row.api_version,
            counts={v: int(getattr(row, f"n_{v}") or 0) for v in STATUS_VALUES},
            run_uid=row.run_uid,
            agent=row.agent,
            connected_account=row.connected_account,
        )

    def list_runs(self, account_id: str | None = None, limit: int = 200) -> list[RunSummary]:
        """Newest first, with the number of checks per status."""
        counts = [
            func.coalesce(func.sum(case((results_t.c.status == v, 1), else_=0)), 0).label(f"n_{v}")
            for v in STATUS_VALUES
        ]
        stmt = (
            select(runs_t, *counts)
            .select_from(runs_t.outerjoin(results_t, results_t.c.run_id == runs_t.c.id))
            .group_by(runs_t.c.id)
            .order_by(runs_t.c.created_at.desc(), runs_t.c.id.desc())
            .limit(limit)
        )
        if account_id:
            stmt = stmt.where(runs_t.c.account_id == account_id)
        with self.engine.connect() as conn:
            runs = [self._summary(row) for row in conn.execute(stmt)]
            asked = self._asks_by_run(conn, [r.run_uid for r in runs if r.run_uid])
        return [replace(r, asks=asked[r.run_uid]) if r.run_uid in asked else r for r in runs]

    @staticmethod
    def _asks_by_run(conn: Connection, run_uids: list[str]) -> dict[str, dict[str, int]]:
        """How Stripe answered the asks planned from each run (outcome -> number): one grouped
        read for the whole listing, so a refusal shows in the list, not only in the run."""
        if not run_uids:
            return {}
        stmt = (select(asks_t.c.run_uid, asks_t.c.outcome, func.count())
                .where(asks_t.c.run_uid.in_(run_uids))
                .group_by(asks_t.c.run_uid, asks_t.c.outcome))
        out: dict[str, dict[str, int]] = {}
        for run_uid, outcome, count in conn.execute(stmt):
            out.setdefault(str(run_uid), {})[str(outcome)] = int(count)
        return out

    def statuses(self, run_ids: Iterable[int]) -> dict[int, dict[str, str]]:
        """Each run's checks as {check id: status value}, in the run's order."""
        ids = list(run_ids)
        out: dict[int, dict[str, str]] = {i: {} for i in ids}
        if not ids:
            return out
        stmt = (
            select(results_t.c.run_id, results_t.c.check_id, results_t.c.status)
            .where(results_t.c.run_id.in_(ids))
            .order_by(results_t.c.run_id, results_t.c.position)
        )
        with self.engine.connect() as conn:
            for run_id, check_id, status in conn.execute(stmt):
                out[run_id][check_id] = status
        return out

    def run_uid(self, run_id: int) -> str:
        with self.engine.connect() as conn:
            uid = conn.execute(select(runs_t.c.run_uid).where(runs_t.c.id == run_id)).scalar()
        if uid is None:
            raise RunNotFound(run_id)
        return str(uid)

    def load(self, run_id: int) -> Diagnosis:
        """A past run as a Diagnosis (frozen, so a read-only view) for the report and the window."""
        with self.engine.connect() as conn:
            run = conn.execute(select(runs_t).where(runs_t.c.id == run_id)).first()
            if run is None:
                raise RunNotFound(run_id)
            results = conn.execute(
                select(results_t).where(results_t.c.run_id == run_id).order_by(results_t.c.position)
            ).all()
        checks = tuple(
            CheckResult(
                id=r.check_id,
                title=r.title,
                status=Status(r.status),
                summary=r.summary,
                details=tuple(json.loads(r.details_json)),
                fix=tuple(json.loads(r.fix_json)),
                glossary=tuple(json.loads(r.glossary_json)),
                stripe_error=(
                    StripeErrorInfo(**json.loads(r.stripe_error_json)) if r.stripe_error_json else None
                ),
                findings=finding_json.loads(r.findings_json),
            )
            for r in results
        )
        account = AccountInfo(run.account_id, run.account_name) if run.account_id else None
        return Diagnosis(
            generated_at=run.created_at,
            mode=run.mode,
            masked_key=run.masked_key,
            account=account,
            checks=checks,
            request_count=run.request_count,
            customer_query=run.customer_query,
            notes=run.notes,
            ticket=run.ticket,
            app_version=run.app_version,
            api_version=run.api_version,
            fatal=run.fatal,
            connected_account=run.connected_account,
        )

    def previous_run(self, run_id: int) -> int | None:
        """The run before this one for the same account in the same mode, by anyone, if any."""
        with self.engine.connect() as conn:
            run = conn.execute(
                select(runs_t.c.account_id, runs_t.c.mode, runs_t.c.created_at)
                .where(runs_t.c.id == run_id)
            ).first()
            if run is None:
                raise RunNotFound(run_id)
            if run.account_id is None:
                return None  # no account read: nothing can be called "the same account"
            same_mode = runs_t.c.mode.is_(None) if run.mode is None else runs_t.c.mode == run.mode
            earlier = (runs_t.c.created_at < run.created_at) | and_(
                runs_t.c.created_at == run.created_at, runs_t.c.id < run_id)
            found = conn.execute(
                select(runs_t.c.id)
                .where(runs_t.c.account_id == run.account_id, same_mode, earlier)
                .order_by(runs_t.c.created_at.desc(), runs_t.c.id.desc())
                .limit(1)
            ).scalar()
        return int(found) if found is not None else None

    def diff(self, old_id: int, new_id: int) -> list[CheckChange]:
        """Checks whose status or problems differ, then checks only one run has; in the new
        run's order. Problems are compared by finding code and subject when both runs kept
        findings (see `CheckChange`)."""
        with self.engine.connect() as conn:
            sides = []
            for run_id in (old_id, new_id):
                if conn.execute(select(runs_t.c.id).where(runs_t.c.id == run_id)).first() is None:
                    raise RunNotFound(run_id)
                sides.append(conn.execute(
                    select(results_t.c.check_id, results_t.c.title, results_t.c.status,
                           results_t.c.findings_json)
                    .where(results_t.c.run_id == run_id).order_by(results_t.c.position)
                ).all())
        old = {r.check_id: r for r in sides[0]}
        new = {r.check_id: r for r in sides[1]}
        out: list[CheckChange] = []
        for check_id, r in new.items():
            before = old.get(check_id)
            old_status = Status(before.status) if before else None
            new_status = Status(r.status)
            appeared, cleared = _problem_moves(before.findings_json if before else None,
                                               r.findings_json)
            if old_status is not new_status or appeared or cleared:
                out.append(CheckChange(check_id, r.title, old_status, new_status, appeared, cleared))
        for check_id, r in old.items():
            if check_id not in new:
                out.append(CheckChange(check_id, r.title, Status(r.status), None))
        return out

    # -- reading changes ---------------------------------------------------------------------

    @staticmethod
    def _account_change(row: Any) -> AccountChange:
        return AccountChange(
            id=row.id,
            change_uid=row.change_uid,
            account_id=row.account_id,
            field=row.field,
            before=json.loads(row.before_json),
            after=json.loads(row.after_json),
            applied_at=row.applied_at,
            agent=row.agent,
            object_id=row.object_id,
            check_id=row.check_id,
            fix_id=row.fix_id,
            mode=row.mode,
            summary=row.summary,
            request_ids=tuple(json.loads(row.request_ids_json)),
            run_uid=row.run_uid,
            ticket=row.ticket,
            undo_of=row.undo_of,
            undone_by=row.undone_by,
            batch_uid=row.batch_uid,
            left=json.loads(row.left_json) if getattr(row, "left_json", None) else None,
        )

    def _changes_select(self) -> Any:
        undo = changes_t.alias("undo")
        undone_by = (
            select(func.min(undo.c.change_uid)).where(undo.c.undo_of == changes_t.c.change_uid)
            .scalar_subquery().label("undone_by")
        )
        return select(changes_t, undone_by)

    def changes(
        self, account: str | None = None, *, run_uid: str | None = None, limit: int = 500
    ) -> list[AccountChange]:
        """Recorded changes, newest first, optionally of one account or one run."""
        stmt = self._changes_select().order_by(changes_t.c.applied_at.desc(), changes_t.c.id.desc())
        if account:
            stmt = stmt.where(changes_t.c.account_id == account)
        if run_uid:
            stmt = stmt.where(changes_t.c.run_uid == run_uid)
        with self.engine.connect() as conn:
            return [self._account_change(r) for r in conn.execute(stmt.limit(limit))]

    def change(self, change_uid: str) -> AccountChange:
        with self.engine.connect() as conn:
            row = conn.execute(
                self._changes_select().where(changes_t.c.change_uid == change_uid)).first()
        if row is None:
            raise ChangeNotFound(change_uid)
        return self._account_change(row)

    def change_batch(self, change_uid: str) -> list[AccountChange]:
        """Every field changed together with this one (itself included), in recorded order."""
        one = self.change(change_uid)
        if one.batch_uid is None:
            return [one]
        stmt = self._changes_select().where(changes_t.c.batch_uid == one.batch_uid).order_by(changes_t.c.id)
        with self.engine.connect() as conn:
            return [self._account_change(r) for r in conn.execute(stmt)]

    # -- copying between stores (the outbox) -------------------------------------------------

    def export_run(self, run_uid: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A stored run's rows as they are (already redacted), to copy to another store."""
        with self.engine.connect() as conn:
            run = conn.execute(select(runs_t).where(runs_t.c.run_uid == run_uid)).mappings().first()
            if run is None:
                raise RunNotFound(run_uid)
            results = conn.execute(
                select(results_t).where(results_t.c.run_id == run["id"]).order_by(results_t.c.position)
            ).mappings().all()
        row = {k: v for k, v in run.items() if k != "id"}
        return row, [{k: v for k, v in r.items() if k != "run_id"} for r in results]

    def import_run(self, row: dict[str, Any], results: list[dict[str, Any]]) -> int:
        with self._write() as conn:
            return self._insert_run(conn, row, results)

    def export_change(self, change_uid: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(changes_t).where(changes_t.c.change_uid == change_uid)).mappings().first()
        if row is None:
            raise ChangeNotFound(change_uid)
        return {k: v for k, v in row.items() if k != "id"}

    def import_change(self, row: dict[str, Any]) -> None:
        with self._write() as conn:
            self._insert_change(conn, row)

    def set_notes_exact(self, run_uid: str, notes: str, ticket: str) -> bool:
        """Copy notes already redacted elsewhere; False when the run is not here (yet)."""
        with self._write() as conn:
            done = conn.execute(
                runs_t.update().where(runs_t.c.run_uid == run_uid).values(notes=notes, ticket=ticket))
        return bool(done.rowcount > 0)

    def integrity_ok(self) -> bool:
        return True

    def close(self) -> None:
        self.engine.dispose()


# -- the local file ------------------------------------------------------------------------------

def _sqlite_engine(path: Path) -> Engine:
    """One short-lived connection per operation (NullPool), WAL, foreign keys on, and real
    transactions: pysqlite's own would start them only at the first write, so BEGIN is
    ours (IMMEDIATE for writes: the write lock is taken up front, never upgraded half-way)."""
    engine = create_engine(
        f"sqlite:///{path}", poolclass=NullPool,
        connect_args={"timeout": 10.0, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(migrate.WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str  # "run", "notes", "change" or "asks" (a batch of answers)
    uid: str  # the run_uid or change_uid to send
    attempts: int


class HistoryStore(SqlHistory):
    """The local case history: a private SQLite file in the agent's profile.

    With `outbox=True` (a team database is configured) every write also queues, in the same
    transaction, what the team database still has to receive; `TeamHistory` delivers it.
    """

    default_path = staticmethod(default_path)

    def __init__(
        self,
        path: Path,
        *,
        redaction: RedactionOptions | None = None,
        agent: str | None = None,
        outbox: bool = False,
    ) -> None:
        self.path = Path(path)
        self.outbox = outbox
        private_file(self.path)  # customer data: readable by the agent only
        super().__init__(_sqlite_engine(self.path), redaction=redaction, agent=agent)

    # -- what every case history answers (CaseHistory): this file on its own shares nothing ----

    where = ""
    is_team = False
    is_shared_view = False

    def sharing(self) -> Sharing:
        return LOCAL_ONLY

    def deliver(self) -> Sharing:
        """Nothing to send from here: an outbox, when there is one, is the TeamHistory's to deliver."""
        return LOCAL_ONLY

    def gave_up(self, sentence: str) -> None:
        """This file is the only one there is: nothing to fall back to."""

    def save(self, diagnosis: Diagnosis, *, run_uid: str | None = None, deliver: bool = True) -> int:
        """`deliver` is the team history's switch; a file on its own has nowhere to send the run."""
        return super().save(diagnosis, run_uid=run_uid)

    def update_notes(self, run: int | str, notes: str, ticket: str, *, deliver: bool = True) -> None:
        super().update_notes(run, notes, ticket)

    def record_changes(self, new: Sequence[NewChange], *, deliver: bool = True, intent: str | None = None,
                       intent_state: str = DONE) -> list[AccountChange]:
        return super().record_changes(new, intent=intent, intent_state=intent_state)

    def record_change(self, new: NewChange, *, deliver: bool = True) -> AccountChange:
        return super().record_change(new)

    def record_asks(self, records: Sequence[AskRecord], *, intent: str | None = None, note: str = "",
                    deliver: bool = True) -> list[AskRecord]:
        return super().record_asks(records, intent=intent, note=note)

    # -- write-ahead intents (this computer's own record of what it sent) --------------------------

    def open_intent(self, intent: Intent) -> str:
        """Record a write before it is sent; its uid (the same for a re-send with the same
        idempotency key). Refused (ValueError) when it would store a key: then nothing is sent."""
        masked = _safe_masked_key(intent.masked_key)
        with self._write() as conn:
            return intent_table.insert(conn, replace(intent, masked_key=masked), self.agent)

    def close_intent(self, intent_uid: str, state: str, *, note: str = "", change_uid: str | None = None) -> None:
        with self._write() as conn:
            intent_table.close(conn, intent_uid, state, note=note, change_uid=change_uid)

    def open_intents(self) -> list[Intent]:
        """Writes still waiting to be settled, oldest first."""
        with self.engine.connect() as conn:
            return intent_table.open_ones(conn)

    def intent(self, intent_uid: str) -> Intent | None:
        with self.engine.connect() as conn:
            return intent_table.by_uid(conn, intent_uid)

    def _close_intent(self, conn: Connection, intent: str, state: str, change_uid: str, object_id: str) -> None:
        intent_table.close(conn, intent, state, change_uid=change_uid, object_id=object_id)

    def _answer_intent(self, conn: Connection, intent: str, note: str) -> None:
        intent_table.close(conn, intent, DONE, note=note)

    def _recorded_by_other(self, conn: Connection, intent: str) -> str | None:
        found = intent_table.by_uid(conn, intent)
        return found.change_uid if found is not None and not found.is_open and found.change_uid else None

    def later_recorded(self, intent: Intent) -> list[Intent]:
        """Writes of the same account and mode announced after `intent` and recorded."""
        with self.engine.connect() as conn:
            return intent_table.later_recorded(conn, intent)

    # -- the outbox ------------------------------------------------------------------------------

    def _queue(self, conn: Connection, kind: str, uid: str) -> None:
        if self.outbox:
            conn.execute(
                _dialect_insert(conn, outbox_t)
                .values(kind=kind, uid=uid, queued_at=utc_now())
                .on_conflict_do_nothing(index_elements=["kind", "uid"])
            )

    def outbox_items(self, limit: int = 1000) -> list[OutboxItem]:
        """What still has to reach the team database, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(outbox_t).order_by(outbox_t.c.id).limit(limit)).all()
        return [OutboxItem(r.id, r.kind, r.uid, r.attempts) for r in rows]

    def outbox_pending(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(outbox_t)).scalar_one())

    def outbox_done(self, item: OutboxItem) -> None:
        with self._write() as conn:
            conn.execute(outbox_t.delete().where(outbox_t.c.id == item.id))

    def outbox_failed(self, item: OutboxItem) -> None:
        with self._write() as conn:
            conn.execute(outbox_t.update().where(outbox_t.c.id == item.id)
                         .values(attempts=outbox_t.c.attempts + 1))

    def integrity_ok(self) -> bool:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
