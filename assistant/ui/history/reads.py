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

A read may have a deadline: past it, its caller hears `ReadTimedOut` and stops waiting, and the
reads after it go to a new thread (a team table someone holds locked answers nothing, ever,
and the thread waiting on it is left to it). The history keeper writes through one of these
too, without deadlines (each run its own topic, so no save is ever skipped; notes of one run
share a topic, so only the newest is written).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from assistant.diagnosis.model import Diagnosis
from assistant.store.case_history import CaseHistory, Sharing
from assistant.store.records import AccountChange, AskRecord, CheckChange, RunNotFound, RunSummary

log = logging.getLogger(__name__)

WATCHDOG_MS = 100  # how often the running read's deadline is looked at


@dataclass(frozen=True)
class Runs:
    """One refresh of the list: the runs shown, and every account (for the filter) if asked."""

    runs: list[RunSummary]
    accounts: dict[str, str | None] | None = None  # account id -> name; None: not re-read
    sharing: Sharing | None = None  # the team database's state after this read (None: local only)


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
    asks: list[AskRecord] = field(default_factory=list)  # what Stripe said when asked, from this run


def read_runs(store: CaseHistory, account_id: str | None, *, with_accounts: bool) -> Runs:
    accounts: dict[str, str | None] | None = None
    if with_accounts:
        accounts = {}
        for run in store.list_runs(limit=10_000):
            if run.account_id and run.account_id not in accounts:
                accounts[run.account_id] = run.account_name
    runs = store.list_runs(account_id=account_id)
    return Runs(runs, accounts, store.sharing() if store.is_team else None)


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
    asks = _asks_of(store, run_id)
    read = RunRead(run_id, diagnosis, account_changes=account_changes, asks=asks)
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
                       compare_problem=_sentence(err, str(err)), asks=asks)
    return RunRead(run_id, diagnosis, account_changes=account_changes, previous=previous,
                   previous_at=stamp, changes=changes, asks=asks)


def _asks_of(store: CaseHistory, run_id: int) -> list[AskRecord]:
    """The asks planned from this run (none for a history kept before asks were)."""
    try:
        return list(store.asks(run_uid=store.run_uid(run_id)))
    except Exception:  # an old store in a test, a team database without the table yet
        return []


class ReadTimedOut(Exception):
    """A read took longer than its deadline: nobody waits for its answer any more."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s")
        self.seconds = seconds


@dataclass
class _Read:
    topic: str
    ticket: int
    work: Callable[[], Any]
    deadline: float | None = None  # seconds from its start


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
        self._generation = 0  # the worker thread of another generation was given up on
        self._current: tuple[_Read, float] | None = None  # the read running, and since when
        self._watchdog = QTimer(self)  # looks at the running read's deadline
        self._watchdog.setInterval(WATCHDOG_MS)
        self._watchdog.timeout.connect(self._check_deadline)
        self._answered.connect(self._on_answer)

    @property
    def busy(self) -> bool:
        """A read whose answer is still wanted has not come back yet."""
        return bool(self._callbacks)

    def pending(self, topic: str) -> bool:
        return self._latest.get(topic) in self._callbacks

    def submit(self, topic: str, work: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None], *, deadline: float | None = None) -> None:
        """Run `work()` on the worker thread; then `on_done(answer)` or `on_error(exception)`
        here, unless a newer read of `topic` was submitted meanwhile; `on_error(ReadTimedOut)`
        once it has run `deadline` seconds. `work` must not touch widgets (it runs on another
        thread)."""
        self._tickets += 1
        ticket = self._tickets
        stale = self._latest.get(topic)
        if stale is not None:
            self._callbacks.pop(stale, None)
        self._latest[topic] = ticket
        self._callbacks[ticket] = (on_done, on_error)
        if deadline is not None and not self._watchdog.isActive():
            self._watchdog.start()
        with self._lock:
            self._queue.append(_Read(topic, ticket, work, deadline))
            if self._running:
                return
            self._running = True
            self._idle.clear()
            generation = self._generation
        self._start(generation)

    def _start(self, generation: int) -> None:
        threading.Thread(target=self._work, args=(generation,), name="history-read", daemon=True).start()

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

    def _work(self, generation: int) -> None:
        while True:
            with self._lock:
                if generation != self._generation:
                    return  # given up on: a newer thread serves the queue
                if not self._queue:
                    self._running = False
                    self._idle.set()
                    return
                read = self._queue.popleft()
                wanted = self._wanted(read)
                self._current = (read, time.monotonic()) if wanted else None
            if not wanted:
                continue  # overtaken before it started
            try:
                answer: tuple[str, int, bool, Any] = (read.topic, read.ticket, True, read.work())
            except Exception as err:  # reported on the Qt thread as one sentence
                answer = (read.topic, read.ticket, False, err)
            with self._lock:
                if generation != self._generation:
                    return  # its deadline passed: nobody waits for this answer
                self._current = None
            try:
                self._answered.emit(answer)
            except RuntimeError:  # the window was destroyed while this thread read
                with self._lock:
                    self._running = False
                    self._idle.set()
                return

    def _check_deadline(self) -> None:
        """On the Qt thread: give up on a read past its deadline, and go on with the rest."""
        with self._lock:
            read, started = self._current or (None, 0.0)
            deadline = read.deadline if read is not None else None
            if read is None or deadline is None or time.monotonic() - started < deadline:
                if not self._callbacks:
                    self._watchdog.stop()
                return
            self._generation += 1
            self._current = None
            restart = self._running = bool(self._queue)
            if not restart:
                self._idle.set()
            generation = self._generation
        if restart:
            self._start(generation)
        self._on_answer((read.topic, read.ticket, False, ReadTimedOut(deadline)))

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
