"""The team's case history: the shared PostgreSQL database, with this computer's file in front.

Every write goes to the local SQLite file first, together with an outbox entry in the same
transaction, and is then delivered to the team database. Delivery is at-least-once and
harmless to repeat: a run (or change) is inserted only if its stable uid is not there yet, and
its outbox entry is removed only after the team database committed it. So a run made while
the server is away is kept here, said to be waiting ("saved on this computer, will be shared
when the team database is reachable"), and sent by the next delivery once it is back; a crash
between the two commits sends it again, and again it is stored once.

Reads come from the team database (every agent's runs and changes) and fall back to the local
file when it cannot be reached; after a failure, reads stay local for `RETRY_AFTER_S` so a
window is not kept waiting on every click, while `deliver()` (run off the UI thread by the
window, and by every command) keeps trying.

Ids: `save` returns the local file's id (what `update_notes` takes, besides a run_uid); ids
from `list_runs` are those of `source` (the team's, or the local file's when it is away) and
are what `load`, `previous_run`, `diff` and `statuses` take.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError

from assistant.diagnosis.model import Diagnosis
from assistant.store.case_history import TEAM_WAIT_S, WAITING, Sharing
from assistant.store.history import HistoryStore, OutboxItem, SqlHistory
from assistant.store.migrate import SchemaTooNew
from assistant.store.records import (
    DONE,
    AccountChange,
    AskRecord,
    CheckChange,
    Intent,
    NewChange,
    RunNotFound,
    RunSummary,
    new_uid,
)
from assistant.store.team_url import TeamTimedOut

log = logging.getLogger(__name__)
T = TypeVar("T")

# WAITING and Sharing belong to every case history (case_history.py); still importable from here.
__all__ = ["RETRY_AFTER_S", "WAITING", "Sharing", "TeamHistory", "TeamUnavailable"]

RETRY_AFTER_S = 20.0


MIN_WAIT_S = 1.5  # what a command that spent its --timeout on Stripe still gives the team database


def _unreachable(err: BaseException) -> bool:
    """Errors that mean "the server is away or refuses us", as opposed to bad data."""
    if isinstance(err, (OperationalError, InterfaceError, SchemaTooNew, OSError)):
        return True
    return isinstance(err, DBAPIError) and bool(err.connection_invalidated)


def _one_item(err: BaseException) -> bool:
    """A failure that belongs to one run or change (a row the team database refuses), as opposed
    to the team database's own problem: unreachable, too slow, a role without CREATE or INSERT
    (ProgrammingError), a keyring that cannot give the password. Only these skip an item and
    go on; every other failure is said as the team database's, never as this computer's file."""
    return isinstance(err, (IntegrityError, DataError, KeyError)) and not _unreachable(err)


def bounded(work: Callable[[], T], seconds: float) -> T:
    """`work()` on a daemon thread, given up after `seconds` (TeamTimedOut). libpq cannot time
    out a query whose answer never comes (a proxy that stops forwarding after the login keeps
    the TCP connection alive): the thread is left to its socket and the caller goes on."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as err:  # handed to the caller below
            box["error"] = err
        finally:
            done.set()

    threading.Thread(target=run, name="team-history", daemon=True).start()
    if not done.wait(max(seconds, 0.0)):
        raise TeamTimedOut(seconds)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


class TeamUnavailable(RunNotFound):
    """A run listed from the team database can no longer be read there (it went away)."""

    def __init__(self, run: object, sentence: str) -> None:
        super().__init__(run)
        self.sentence = sentence

    def __str__(self) -> str:
        return self.sentence


class TeamHistory:
    """The `CaseHistory` over the team database and the local outbox (see the module doc)."""

    def __init__(
        self,
        local: HistoryStore,
        connect: Callable[[], SqlHistory],
        *,
        where: str,
        describe: Callable[[BaseException], str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        deliver_on_read: bool = True,
        wait: float = TEAM_WAIT_S,
        deadline: float | None = None,
    ) -> None:
        local.outbox = True
        self.local = local
        self._connect = connect
        self.where = where
        self._describe = describe or (lambda err: f"The team database {where} cannot be reached right now.")
        self._clock = clock
        self._remote: SqlHistory | None = None
        self._down_until = 0.0
        self._epoch = 0  # raised by gave_up: reads begun before it do not move `source`
        self._lock = threading.Lock()  # one delivery at a time from this process
        self.reachable: bool | None = None
        self.problem = ""
        self.source: SqlHistory = local
        # The window delivers on a worker thread and reads only what is known to be up, so
        # its Qt thread never waits on a connection attempt; a command delivers as it reads.
        self.deliver_on_read = deliver_on_read
        # Every exchange with the team database is given up after `wait` seconds, or, for a
        # command, what is left until `deadline` (time.monotonic()), at least MIN_WAIT_S.
        self.wait = wait
        self.deadline = deadline

    @property
    def agent(self) -> str:
        return self.local.agent

    @property
    def path(self) -> Path:
        return self.local.path

    @property
    def is_team(self) -> bool:
        return True

    @property
    def redaction(self) -> Any:
        return self.local.redaction

    # -- the connection ----------------------------------------------------------------------

    def _remote_store(self) -> SqlHistory:
        if self._remote is None:
            self._remote = self._connect()  # migrates the team database on first use
        return self._remote

    def time_left(self) -> float:
        """How long the next exchange with the team database may take."""
        if self.deadline is None:
            return self.wait
        return max(self.deadline - time.monotonic(), MIN_WAIT_S)

    def _bounded(self, work: Callable[[], T]) -> T:
        return bounded(work, self.time_left())

    def _went_down(self, err: BaseException) -> None:
        self.reachable = False
        self.problem = self._describe(err)
        self._down_until = self._clock() + RETRY_AFTER_S
        log.warning("team history unavailable: %s", self.problem)

    def _came_up(self) -> None:
        self.reachable = True
        self.problem = ""
        self._down_until = 0.0

    def gave_up(self, sentence: str) -> None:
        """The window stopped waiting for a read (a locked table answers nothing): read this
        computer's file for `RETRY_AFTER_S`, and a read still running there no longer decides
        where later reads by id go (its ids are the team's)."""
        self.reachable = False
        self.problem = sentence
        self._down_until = self._clock() + RETRY_AFTER_S
        self._epoch += 1
        self.source = self.local
        log.warning("team history read abandoned: %s", sentence)

    # -- delivery ----------------------------------------------------------------------------

    def _push(self, remote: SqlHistory, item: OutboxItem) -> None:
        if item.kind == "run":
            row, results = self.local.export_run(item.uid)
            remote.import_run(row, results)
        elif item.kind == "notes":
            row, _ = self.local.export_run(item.uid)
            if not remote.set_notes_exact(item.uid, row["notes"], row["ticket"]):
                remote.import_run(*self.local.export_run(item.uid))
        elif item.kind == "change":
            remote.import_change(self.local.export_change(item.uid))
        elif item.kind == "asks":
            remote.import_asks(self.local.export_asks(item.uid))

    def deliver(self) -> Sharing:
        """Send what the outbox holds, oldest first, within `time_left()`; stops at the first
        failure that is the team database's (never raised: said in `sharing().problem`)."""
        with self._lock:
            items = self.local.outbox_items()
            try:
                self._bounded(lambda: self._deliver_items(items))
            except Exception as err:
                self._went_down(err)
                return self.sharing()
            self._came_up()
            return self.sharing()

    def _deliver_items(self, items: list[OutboxItem]) -> None:
        remote = self._remote_store()
        for item in items:
            try:
                self._push(remote, item)
            except Exception as err:
                if not _one_item(err):
                    raise
                log.warning("outbox item %s %s not accepted: %s", item.kind, item.uid, type(err).__name__)
                self.local.outbox_failed(item)
                continue
            self.local.outbox_done(item)  # only after the team database committed it

    def sharing(self) -> Sharing:
        return Sharing(True, self.where, self.reachable, self.local.outbox_pending(), self.problem)

    # -- writes: local first, then delivered -------------------------------------------------

    def save(self, diagnosis: Diagnosis, *, run_uid: str | None = None, deliver: bool = True) -> int:
        run_id = self.local.save(diagnosis, run_uid=run_uid or new_uid())
        if deliver:
            self.deliver()
        return run_id

    def update_notes(self, run: int | str, notes: str, ticket: str, *, deliver: bool = True) -> None:
        self.local.update_notes(run, notes, ticket)
        if deliver:
            self.deliver()

    def record_changes(self, new: Sequence[NewChange], *, deliver: bool = True, intent: str | None = None,
                       intent_state: str = DONE) -> list[AccountChange]:
        recorded = self.local.record_changes(new, intent=intent, intent_state=intent_state)
        if deliver:
            self.deliver()
        return recorded

    def record_asks(self, records: Sequence[AskRecord], *, intent: str | None = None, note: str = "",
                    deliver: bool = True) -> list[AskRecord]:
        kept = self.local.record_asks(records, intent=intent, note=note)
        if deliver:
            self.deliver()
        return kept

    # -- write-ahead intents: this computer's own (never shared) ------------------------------

    def open_intent(self, intent: Intent) -> str:
        return self.local.open_intent(intent)

    def close_intent(self, intent_uid: str, state: str, *, note: str = "", change_uid: str | None = None) -> None:
        self.local.close_intent(intent_uid, state, note=note, change_uid=change_uid)

    def open_intents(self) -> list[Intent]:
        return self.local.open_intents()

    def intent(self, intent_uid: str) -> Intent | None:
        return self.local.intent(intent_uid)

    def later_recorded(self, intent: Intent) -> list[Intent]:
        return self.local.later_recorded(intent)

    def record_change(self, new: NewChange, *, deliver: bool = True) -> AccountChange:
        return self.record_changes([new], deliver=deliver)[0]

    # -- reads: the team's, or this computer's while it is away -------------------------------

    def _reader(self) -> SqlHistory:
        if self._clock() < self._down_until:
            return self.local
        if self.deliver_on_read:
            self.deliver()  # our own runs first, so the shared listing has them
        return self._remote if self.reachable and self._remote is not None else self.local

    def _read(self, fn: Callable[[SqlHistory], T], *, choose: bool = False,
              remember: bool = False) -> T:
        """Run a read on the chosen store (or the one the last listing came from); when the
        team database fails mid-way, on the local file instead. `remember`: later reads by id
        go to the store this one used."""
        epoch = self._epoch
        store = self._reader() if choose else self.source
        try:
            result = fn(store) if store is self.local else self._bounded(lambda: fn(store))
        except Exception as err:
            if store is self.local or _one_item(err):
                raise
            self._went_down(err)
            if not choose:  # an id of the team database means nothing in the local file
                raise TeamUnavailable("?", self.problem) from None
            store = self.local
            result = fn(store)
        if remember and epoch == self._epoch:
            self.source = store
        return result

    def list_runs(self, account_id: str | None = None, limit: int = 200) -> list[RunSummary]:
        return self._read(lambda s: s.list_runs(account_id=account_id, limit=limit),
                          choose=True, remember=True)

    def statuses(self, run_ids: Iterable[int]) -> dict[int, dict[str, str]]:
        ids = list(run_ids)
        return self._read(lambda s: s.statuses(ids))

    def load(self, run_id: int) -> Diagnosis:
        return self._read(lambda s: s.load(run_id))

    def previous_run(self, run_id: int) -> int | None:
        return self._read(lambda s: s.previous_run(run_id))

    def diff(self, old_id: int, new_id: int) -> list[CheckChange]:
        return self._read(lambda s: s.diff(old_id, new_id))

    def run_uid(self, run_id: int) -> str:
        return self._read(lambda s: s.run_uid(run_id))

    def changes(
        self, account: str | None = None, *, run_uid: str | None = None, limit: int = 500
    ) -> list[AccountChange]:
        return self._read(lambda s: s.changes(account, run_uid=run_uid, limit=limit), choose=True)

    def asks(self, account: str | None = None, *, run_uid: str | None = None, batch_uid: str | None = None,
             limit: int = 200) -> list[AskRecord]:
        return self._read(lambda store: store.asks(account, run_uid=run_uid, batch_uid=batch_uid, limit=limit),
                          choose=True)

    def change(self, change_uid: str) -> AccountChange:
        return self._read(lambda s: s.change(change_uid), choose=True)

    def change_batch(self, change_uid: str) -> list[AccountChange]:
        return self._read(lambda s: s.change_batch(change_uid), choose=True)

    @property
    def is_shared_view(self) -> bool:
        """True when the last listing came from the team database."""
        return self.source is not self.local

    def integrity_ok(self) -> bool:
        return self.local.integrity_ok()

    def close(self) -> None:
        if self._remote is not None:
            self._remote.close()
