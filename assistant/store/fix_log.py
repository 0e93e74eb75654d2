"""The case history side of guided fixes: each applied fix (or undo) recorded as one batch of
changed fields, and a recorded fix read back as the batch to undo.

The fix runner calls `record` after each write that Stripe accepted, with the request ids; the
first field's change id is the one the agent sees and passes to `fix --undo`. Only the account,
the fields, their exact values and Stripe's request ids are kept: never a key (the store
refuses a value that looks like one, or a webhook signing secret).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.model import FieldChange, Fix
from assistant.diagnosis.fixes.undo import RecordedChange
from assistant.store.records import AccountChange, NewChange, new_uid


class ChangeStore(Protocol):
    def record_changes(self, new: Sequence[NewChange]) -> list[AccountChange]: ...
    def change_batch(self, change_uid: str) -> list[AccountChange]: ...


def done_phrase(fix_id: str) -> str:
    """"return URL set": what the history says a fix did."""
    try:
        return wording.text(fix_id, "done")
    except KeyError:
        return ""


class FixLog:
    """A `Recorder` (see assistant.diagnosis.fix_runner) writing to a case history store."""

    def __init__(self, store: ChangeStore, *, run_uid: str | None = None, ticket: str = "") -> None:
        self.store = store
        self.run_uid = run_uid
        self.ticket = ticket
        self.recorded: list[AccountChange] = []  # what this log kept, for the window's ticket note

    def record(self, fix: Fix, changes: Sequence[FieldChange], request_ids: Sequence[str], *,
               account_id: str, undo_of: Sequence[RecordedChange] = ()) -> str:
        first = new_uid()
        rows: list[NewChange]
        if undo_of:
            originals: list[Any] = list(undo_of)
            rows = [NewChange.undoing(o, request_ids=tuple(request_ids), run_uid=self.run_uid, ticket=self.ticket,
                                      change_uid=first if i == 0 else None)
                    for i, o in enumerate(originals)]
        else:
            summary = done_phrase(fix.id)
            rows = [NewChange(account_id=account_id, field=c.field, before=c.before, after=c.after,
                              object_id=c.object or "", check_id=fix.check, fix_id=fix.id, mode=fix.mode,
                              summary=summary, request_ids=tuple(request_ids), run_uid=self.run_uid,
                              ticket=self.ticket, change_uid=first if i == 0 else None)
                    for i, c in enumerate(changes)]
        recorded = self.store.record_changes(rows)
        self.recorded += recorded
        return recorded[0].change_uid

    def batch(self, change_id: str) -> list[AccountChange]:
        """Every field the fix that made `change_id` changed (raises ChangeNotFound)."""
        return self.store.change_batch(change_id)
