"""The case history as every front end sees it: one interface, whichever history is in use.

`open_history` (assistant.store.opening) returns a `CaseHistory`: `HistoryStore` (the file on
this computer) when no team database is configured, `TeamHistory` (the team database with this
computer's file in front) when one is. Both answer the same questions, so the window and the
commands never ask which one they hold: the local file's sharing state is "this computer
only" and its delivery does nothing. The sentences about sharing are said here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: the window imports this module before the first paint
    from assistant.diagnosis.model import Diagnosis
    from assistant.store.records import AccountChange, AskRecord, CheckChange, Intent, NewChange, RunSummary

WAITING = "saved on this computer, will be shared when the team database is reachable"
# How long the window waits for the team database (a read, a delivery) before it says so with
# `no_answer_in_time`; a command waits what is left of its --timeout instead.
TEAM_WAIT_S = 10.0


def no_answer_in_time(where: str, seconds: float, reason: str = "") -> str:
    """The one sentence every front end shows when the team database did not answer in time (a
    stalled server or proxy, a table locked by another session); the caller adds what it did
    instead ("Showing the runs saved on this computer.")."""
    because = f" ({reason})" if reason else ""
    whole = max(1, round(seconds))
    return f"The team database {where} did not answer within {whole} second{'s' if whole != 1 else ''}{because}."


def history_did_not_answer(path: object) -> str:
    """This computer's history file took too long to answer a read (a stalled network drive)."""
    return f"The case history {path} did not answer in time; press F5 to try again."


@dataclass(frozen=True)
class Sharing:
    """What the window and the CLI say about sharing after a save or a refresh."""

    team: bool  # a team database is configured
    where: str = ""  # user@host:port/db
    reachable: bool | None = None  # None: not tried yet
    pending: int = 0  # runs, notes and changes waiting in this computer's outbox
    problem: str = ""  # one sentence when the last attempt failed

    @property
    def message(self) -> str:
        if not self.team:
            return ""
        if self.pending:
            return f"{self.pending} {'item' if self.pending == 1 else 'items'} {WAITING}."
        if self.reachable:
            return f"Shared with the team database {self.where}."
        return self.problem

    @property
    def saved_run_note(self) -> str:
        """What a command says after saving a run that still waits to be shared ("" when
        nothing waits: shared at once, or no team database)."""
        if not (self.team and self.pending):
            return ""
        reason = f" ({self.problem})" if self.problem else ""
        return f"this run was {WAITING}{reason}"


LOCAL_ONLY = Sharing(team=False)


class CaseHistory(Protocol):
    """Every run kept, what changed between runs, and what guided fixes changed; shared with the
    team or not. Ids are the numbers of the store the last listing came from; uids are stable
    everywhere (see assistant.store.history for the stores, assistant.store.team for sharing)."""

    @property
    def path(self) -> Path:
        """This computer's file: the one a failure to open or write names."""

    @property
    def where(self) -> str:
        """The team database as user@host:port/db; "" when the history is this computer's only."""

    @property
    def is_team(self) -> bool:
        """A team database is configured (its runs are delivered there)."""

    @property
    def is_shared_view(self) -> bool:
        """The last listing came from the team database (not this computer's file)."""

    def sharing(self) -> Sharing:
        """Where sharing stands now, without trying the team database."""

    def deliver(self) -> Sharing:
        """Send what waits for the team database (blocking: off the UI thread); a no-op locally."""

    def gave_up(self, sentence: str) -> None:
        """A read took too long for the one waiting on it (the window's deadline): read this
        computer's file for a while, and say `sentence` about sharing. A no-op locally."""

    def save(self, diagnosis: Diagnosis, *, run_uid: str | None = None, deliver: bool = True) -> int:
        """Keep a run (redacted); its id in this computer's file. `deliver` False: leave the
        sending to a later `deliver()` (the window does it on a worker thread)."""

    def update_notes(self, run: int | str, notes: str, ticket: str, *, deliver: bool = True) -> None:
        """Notes and ticket of a run, by its id in this computer's file or by its run_uid."""

    def record_changes(self, new: Sequence[NewChange], *, deliver: bool = True, intent: str | None = None,
                       intent_state: str = ...) -> list[AccountChange]:
        """Fields a guided fix (or an undo) changed, as one batch; `intent` (the write-ahead
        record of the write that changed them) is closed in the same transaction."""

    def record_change(self, new: NewChange, *, deliver: bool = True) -> AccountChange: ...

    def record_asks(self, records: Sequence[AskRecord], *, intent: str | None = None, note: str = "",
                    deliver: bool = True) -> list[AskRecord]:
        """Stripe's answers to one ask (a batch, one transaction); `intent` (the write-ahead
        record of the portal sessions it created) is closed with `note` in the same transaction."""

    def asks(self, account: str | None = None, *, run_uid: str | None = None, batch_uid: str | None = None,
             limit: int = 200) -> list[AskRecord]:
        """Answers kept, newest first."""

    def open_intent(self, intent: Intent) -> str:
        """Record a write before it is sent (in this computer's file: intents are never shared);
        ValueError when that would store a key, and then nothing may be sent."""

    def close_intent(self, intent_uid: str, state: str, *, note: str = "", change_uid: str | None = None) -> None:
        """Stripe answered (refused), or the intent was settled by reading the object."""

    def open_intents(self) -> list[Intent]:
        """Writes not yet answered nor settled, oldest first (see assistant.store.intent_log)."""

    def intent(self, intent_uid: str) -> Intent | None: ...

    def later_recorded(self, intent: Intent) -> list[Intent]:
        """Writes of the same account and mode announced after `intent` and recorded since."""

    def list_runs(self, account_id: str | None = None, limit: int = 200) -> list[RunSummary]:
        """Newest first, every agent's."""

    def statuses(self, run_ids: Iterable[int]) -> dict[int, dict[str, str]]: ...

    def load(self, run_id: int) -> Diagnosis: ...

    def previous_run(self, run_id: int) -> int | None: ...

    def diff(self, old_id: int, new_id: int) -> list[CheckChange]: ...

    def run_uid(self, run_id: int) -> str: ...

    def changes(
        self, account: str | None = None, *, run_uid: str | None = None, limit: int = 500
    ) -> list[AccountChange]:
        """Recorded changes, newest first."""

    def change(self, change_uid: str) -> AccountChange: ...

    def change_batch(self, change_uid: str) -> list[AccountChange]: ...

    def close(self) -> None: ...
