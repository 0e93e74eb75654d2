"""Case history: every run kept in a local SQLite file so an agent can compare before and after.

Only the masked key is ever written, and every text passes through the report redaction first
(keys and portal session links always; customer e-mails too by default, since a before/after
comparison needs no one's address). A run is written in one transaction, so a crash or a kill mid-save
leaves either the whole run or nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

import assistant
from assistant.diagnosis.model import (
    AccountInfo,
    CheckResult,
    Diagnosis,
    Status,
    StripeErrorInfo,
)
from assistant.account.keys import mask_key
from assistant.report.redaction import RedactionOptions, redact_diagnosis, redact_text

APP_DIR_NAME = "portal-setup-assistant"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id             INTEGER PRIMARY KEY,
    created_at     TEXT NOT NULL,
    account_id     TEXT NULL,
    account_name   TEXT NULL,
    mode           TEXT NULL,
    masked_key     TEXT NOT NULL,
    notes          TEXT NOT NULL DEFAULT '',
    ticket         TEXT NOT NULL DEFAULT '',
    app_version    TEXT NOT NULL DEFAULT '',
    request_count  INTEGER NOT NULL DEFAULT 0,
    customer_query TEXT NULL,
    fatal          TEXT NULL
);
CREATE TABLE IF NOT EXISTS results (
    run_id            INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    check_id          TEXT NOT NULL,
    title             TEXT NOT NULL,
    status            TEXT NOT NULL,
    summary           TEXT NOT NULL,
    details_json      TEXT NOT NULL DEFAULT '[]',
    fix_json          TEXT NOT NULL DEFAULT '[]',
    glossary_json     TEXT NOT NULL DEFAULT '[]',
    stripe_error_json TEXT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX IF NOT EXISTS runs_by_account ON runs(account_id, mode, id);
"""

_STATUS_VALUES = tuple(s.value for s in Status)


def default_path() -> Path:
    return platformdirs.user_data_path(APP_DIR_NAME, appauthor=False) / "history.sqlite3"


class RunNotFound(KeyError):
    """No saved run has this id."""


@dataclass(frozen=True)
class RunSummary:
    """One line of the `history` listing."""

    id: int
    created_at: str
    account_id: str | None
    account_name: str | None
    mode: str | None
    masked_key: str
    ticket: str
    notes: str
    app_version: str
    counts: dict[str, int] = field(default_factory=dict)  # status value -> number of checks

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: Status) -> int:
        return self.counts.get(status.value, 0)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "account": (
                {"id": self.account_id, "name": self.account_name} if self.account_id else None
            ),
            "mode": self.mode,
            "key": self.masked_key,
            "ticket": self.ticket,
            "notes": self.notes,
            "app_version": self.app_version,
            "counts": {s: self.counts.get(s, 0) for s in _STATUS_VALUES},
            "total": self.total,
        }


@dataclass(frozen=True)
class CheckChange:
    """How one check moved between two runs; a status of None means absent from that run."""

    check_id: str
    title: str
    old_status: Status | None
    new_status: Status | None

    @property
    def kind(self) -> str:
        """"new", "removed", "fixed", "regressed" or "changed" (e.g. warn → fail, skip → pass)."""
        if self.old_status is None:
            return "new"
        if self.new_status is None:
            return "removed"
        if self.old_status.is_problem and not self.new_status.is_problem:
            return "fixed"
        if not self.old_status.is_problem and self.new_status.is_problem:
            return "regressed"
        return "changed"

    def to_dict(self) -> dict[str, object]:
        return {
            "check_id": self.check_id,
            "title": self.title,
            "old_status": self.old_status.value if self.old_status else None,
            "new_status": self.new_status.value if self.new_status else None,
            "kind": self.kind,
        }


def _safe_masked_key(value: str) -> str:
    """The only form of the key that may reach the disk: prefix, "…", last four."""
    value = (value or "").strip()
    if value and "…" not in value:
        value = mask_key(value)
    value = redact_text(value)
    if value and ("…" not in value or value != redact_text(value)):
        raise ValueError("Refusing to store a key that is not in masked form.")
    return value


class HistoryStore:
    """Local case history. One short-lived connection per operation, serialised by a lock."""

    default_path = staticmethod(default_path)

    def __init__(self, path: Path, *, redaction: RedactionOptions | None = None) -> None:
        self.path = Path(path)
        self.redaction = redaction or RedactionOptions(mask_emails=True)
        self._lock = threading.RLock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                conn.executescript(_SCHEMA)
                if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if created and os.name == "posix":
            os.chmod(self.path, 0o600)  # customer data: readable by the agent only

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = sqlite3.connect(self.path, timeout=10.0)
            try:
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
                yield conn
            finally:
                conn.close()

    # -- writing ---------------------------------------------------------------------------

    def save(self, diagnosis: Diagnosis) -> int:
        """Store a run (redacted) and return its id."""
        run = redact_diagnosis(diagnosis, self.redaction)
        masked = _safe_masked_key(diagnosis.masked_key)
        rows = [
            (
                pos,
                c.id,
                c.title,
                c.status.value,
                c.summary,
                json.dumps(list(c.details), ensure_ascii=False),
                json.dumps(list(c.fix), ensure_ascii=False),
                json.dumps(list(c.glossary), ensure_ascii=False),
                json.dumps(c.stripe_error.to_dict(), ensure_ascii=False)
                if c.stripe_error
                else None,
            )
            for pos, c in enumerate(run.checks)
        ]
        with self._connect() as conn, conn:
            cur = conn.execute(
                "INSERT INTO runs (created_at, account_id, account_name, mode, masked_key, notes,"
                " ticket, app_version, request_count, customer_query, fatal)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.generated_at,
                    run.account.id if run.account else None,
                    run.account.name if run.account else None,
                    run.mode,
                    masked,
                    run.notes,
                    run.ticket,
                    run.app_version or assistant.__version__,
                    run.request_count,
                    run.customer_query,
                    run.fatal,
                ),
            )
            run_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO results (run_id, position, check_id, title, status, summary,"
                " details_json, fix_json, glossary_json, stripe_error_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, *row) for row in rows],
            )
        return run_id

    def update_notes(self, run_id: int, notes: str, ticket: str) -> None:
        with self._connect() as conn, conn:
            cur = conn.execute(
                "UPDATE runs SET notes = ?, ticket = ? WHERE id = ?",
                (redact_text(notes, self.redaction), redact_text(ticket, self.redaction), run_id),
            )
            if cur.rowcount == 0:
                raise RunNotFound(run_id)

    # -- reading ---------------------------------------------------------------------------

    def list_runs(self, account_id: str | None = None, limit: int = 200) -> list[RunSummary]:
        """Newest first, with the number of checks per status."""
        where = "WHERE r.account_id = ?" if account_id else ""
        params: tuple[object, ...] = (account_id, limit) if account_id else (limit,)
        counts = ", ".join(
            f"COALESCE(SUM(s.status = '{v}'), 0) AS n_{v}" for v in _STATUS_VALUES
        )
        sql = (
            f"SELECT r.*, {counts} FROM runs r LEFT JOIN results s ON s.run_id = r.id "
            f"{where} GROUP BY r.id ORDER BY r.id DESC LIMIT ?"
        )
        with self._connect() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [
            RunSummary(
                id=row["id"],
                created_at=row["created_at"],
                account_id=row["account_id"],
                account_name=row["account_name"],
                mode=row["mode"],
                masked_key=row["masked_key"],
                ticket=row["ticket"],
                notes=row["notes"],
                app_version=row["app_version"],
                counts={v: int(row[f"n_{v}"]) for v in _STATUS_VALUES},
            )
            for row in rows
        ]

    def load(self, run_id: int) -> Diagnosis:
        """A past run as a Diagnosis (frozen, so a read-only view) for the report and the window."""
        with self._connect() as conn:
            run = conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
            if run is None:
                raise RunNotFound(run_id)
            results = conn.execute(
                "SELECT * FROM results WHERE run_id = ? ORDER BY position", (run_id,)
            ).fetchall()
        checks = tuple(
            CheckResult(
                id=r["check_id"],
                title=r["title"],
                status=Status(r["status"]),
                summary=r["summary"],
                details=tuple(json.loads(r["details_json"])),
                fix=tuple(json.loads(r["fix_json"])),
                glossary=tuple(json.loads(r["glossary_json"])),
                stripe_error=(
                    StripeErrorInfo(**json.loads(r["stripe_error_json"]))
                    if r["stripe_error_json"]
                    else None
                ),
            )
            for r in results
        )
        account = (
            AccountInfo(run["account_id"], run["account_name"]) if run["account_id"] else None
        )
        return Diagnosis(
            generated_at=run["created_at"],
            mode=run["mode"],
            masked_key=run["masked_key"],
            account=account,
            checks=checks,
            request_count=run["request_count"],
            customer_query=run["customer_query"],
            notes=run["notes"],
            ticket=run["ticket"],
            app_version=run["app_version"],
            fatal=run["fatal"],
        )

    def previous_run(self, run_id: int) -> int | None:
        """The run before this one for the same account in the same mode, if any."""
        with self._connect() as conn:
            run = conn.execute(
                "SELECT account_id, mode FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
            if run is None:
                raise RunNotFound(run_id)
            if run["account_id"] is None:
                return None  # no account read: nothing can be called "the same account"
            row = conn.execute(
                "SELECT id FROM runs WHERE account_id = ? AND mode IS ? AND id < ?"
                " ORDER BY id DESC LIMIT 1",
                (run["account_id"], run["mode"], run_id),
            ).fetchone()
        return int(row["id"]) if row else None

    def diff(self, old_id: int, new_id: int) -> list[CheckChange]:
        """Checks whose status differs, then checks only one run has; in the new run's order."""
        with self._connect() as conn:
            sides = []
            for run_id in (old_id, new_id):
                if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                    raise RunNotFound(run_id)
                sides.append(
                    conn.execute(
                        "SELECT check_id, title, status FROM results WHERE run_id = ?"
                        " ORDER BY position",
                        (run_id,),
                    ).fetchall()
                )
        old = {r["check_id"]: r for r in sides[0]}
        new = {r["check_id"]: r for r in sides[1]}
        changes: list[CheckChange] = []
        for check_id, r in new.items():
            before = old.get(check_id)
            old_status = Status(before["status"]) if before else None
            new_status = Status(r["status"])
            if old_status is not new_status:
                changes.append(CheckChange(check_id, r["title"], old_status, new_status))
        for check_id, r in old.items():
            if check_id not in new:
                changes.append(CheckChange(check_id, r["title"], Status(r["status"]), None))
        return changes

    def integrity_ok(self) -> bool:
        with self._connect() as conn:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
