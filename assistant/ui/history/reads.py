"""The History window's reads, off the Qt thread: a slow or vanished team database never freezes it.

The pattern is the history keeper's deliveries: the work runs on a daemon thread and its answer
comes back through a Qt signal, which Qt queues to the thread the receiver lives in (the
window's), where the callback runs. One thread reads at a time, in the order asked, and stops
when there is nothing left to read. Each read has a topic ("runs", "run"): a read overtaken by
a newer one of its topic (the agent arrowed past a run before it arrived) is skipped if it has
not started, and its answer is dropped if it has, so what is shown is always the last thing
asked for.

`read_runs` and `read_run` are what the window asks for: plain functions of the store, run on
that thread, returning everything one refresh or one open run needs in one go.

The history keeper writes through one of these too (each run its own topic, so no save is ever
skipped; notes of one run share a topic, so only the newest is written).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from assistant.diagnosis.model import Diagnosis
from assistant.store.case_history import CaseHistory
from assistant.store.records import AccountChange, CheckChange, RunNotFound, RunSummary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runs:
    """One refresh of the list: the runs shown, and every account (for the filter) if asked."""

    runs: list[RunSummary]
    accounts: dict[str, str | None] | None = None  # account id -> name; None: not re-read


@dataclass(frozen=True)
class RunRead:
    """One run as the right-hand side shows it, or the sentence saying why it cannot be."""

    run_id: int
    diagnosis: Diagnosis | None = None
    problem: str = ""  # the run could not be read (deleted, the team database went away)
    account_changes: list[AccountChange] = field(default_factory=list)
    previous: int | None = None  # the run before it (same account and mode), if any
    previous_at: str = ""  # when that run was made ("" if unknown)
    changes: list[CheckChange] = field(default_factory=list)  # since `previous`
    compare_problem: str = ""  # the comparison could not be read


def read_runs(store: CaseHistory, account_id: str | None, *, with_accounts: bool) -> Runs:
    accounts: dict[str, str | None] | None = None
    if with_accounts:
        accounts = {}
        for run in store.list_runs(limit=10_000):
            if run.account_id and run.account_id not in accounts:
                accounts[run.account_id] = run.account_name
    return Runs(store.list_runs(account_id=account_id), accounts)


def _sentence(err: RunNotFound, fallback: str) -> str:
    return getattr(err, "sentence", "") or fallback


def read_run(store: CaseHistory, run_id: int, listed_at: dict[int, str]) -> RunRead:
    """The run, the changes made to its account, and what changed since the run before it.
    `listed_at`: when each listed run was made, so the previous run's time needs no read."""
    try:
        diagnosis = store.load(run_id)
    except RunNotFound as err:
        return RunRead(run_id, problem=_sentence(err, f"Run #{run_id} is no longer in the history."))
    account = diagnosis.account.id if diagnosis.account else None
    try:
        account_changes = list(store.changes(account)) if account else []
    except Exception:  # a history without changes (an old store in a test) shows none
        account_changes = []
    read = RunRead(run_id, diagnosis, account_changes=account_changes)
    if account is None:
        return read
    try:
        previous = store.previous_run(run_id)
        if previous is None:
            return read
        changes = store.diff(previous, run_id)
        stamp = listed_at.get(previous)
        if stamp is None:
            try:
                stamp = store.load(previous).generated_at
            except RunNotFound:
                stamp = ""
    except RunNotFound as err:
        return RunRead(run_id, diagnosis, account_changes=account_changes,
                       compare_problem=_sentence(err, str(err)))
    return RunRead(run_id, diagnosis, account_changes=account_changes, previous=previous,
                   previous_at=stamp, changes=changes)


@dataclass
class _Read:
    topic: str
    ticket: int
    work: Callable[[], Any]


class HistoryReads(QObject):
    """Runs reads on a worker thread; calls back on the Qt thread (see the module doc)."""

    _answered = Signal(object)  # (topic, ticket, ok, value), queued to the Qt thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._queue: deque[_Read] = deque()
        self._running = False
        self._tickets = 0
        self._latest: dict[str, int] = {}  # topic -> the ticket whose answer is wanted
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._idle = threading.Event()  # set while no thread is working
        self._idle.set()
        self._answered.connect(self._on_answer)

    @property
    def busy(self) -> bool:
        """A read whose answer is still wanted has not come back yet."""
        return bool(self._callbacks)

    def pending(self, topic: str) -> bool:
        return self._latest.get(topic) in self._callbacks

    def submit(self, topic: str, work: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None]) -> None:
        """Run `work()` on the worker thread; then `on_done(answer)` or `on_error(exception)`
        here, unless a newer read of `topic` was submitted meanwhile. `work` must not touch
        widgets (it runs on another thread)."""
        self._tickets += 1
        ticket = self._tickets
        stale = self._latest.get(topic)
        if stale is not None:
            self._callbacks.pop(stale, None)
        self._latest[topic] = ticket
        self._callbacks[ticket] = (on_done, on_error)
        with self._lock:
            self._queue.append(_Read(topic, ticket, work))
            if self._running:
                return
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._work, name="history-read", daemon=True).start()

    def cancel(self, topic: str) -> None:
        """The answer to the last read of `topic` is no longer wanted."""
        ticket = self._latest.pop(topic, None)
        if ticket is not None:
            self._callbacks.pop(ticket, None)

    def forget(self) -> None:
        """Drop every answer still to come (the window now shows another store)."""
        self._callbacks.clear()
        self._latest.clear()

    def wait_idle(self, timeout: float) -> bool:
        """Block until the worker has nothing left to do, or `timeout` seconds (closing the
        window: notes typed last are written before the app exits). True if it finished."""
        return self._idle.wait(timeout)

    def _wanted(self, read: _Read) -> bool:
        return self._latest.get(read.topic) == read.ticket

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._running = False
                    self._idle.set()
                    return
                read = self._queue.popleft()
            if not self._wanted(read):
                continue  # overtaken before it started
            try:
                answer: tuple[str, int, bool, Any] = (read.topic, read.ticket, True, read.work())
            except Exception as err:  # reported on the Qt thread as one sentence
                answer = (read.topic, read.ticket, False, err)
            try:
                self._answered.emit(answer)
            except RuntimeError:  # the window was destroyed while this thread read
                with self._lock:
                    self._running = False
                    self._idle.set()
                return

    def _on_answer(self, answer: tuple[str, int, bool, Any]) -> None:
        topic, ticket, ok, value = answer
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks is None or self._latest.get(topic) != ticket:
            return  # overtaken while it ran
        del self._latest[topic]
        on_done, on_error = callbacks
        if ok:
            on_done(value)
        else:
            log.warning("history read failed: %s", type(value).__name__)
            on_error(value)
