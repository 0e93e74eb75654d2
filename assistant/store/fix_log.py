"""The case history side of guided fixes: each write announced before it is sent (an intent),
each applied fix (or undo) recorded as one batch of changed fields, and a recorded fix read back
as the batch to undo.

The fix runner calls `intend` before each write and `record` after each write Stripe accepted,
with the request ids; recording closes the intent in the same transaction. A refusal closes it
as refused; a write whose answer never came stays open until it is settled by reading the
object (`assistant.store.intent_log`). The first field's change id is the one the agent sees
and passes to `fix --undo`. Only the account, the fields, their exact values and Stripe's
request ids are kept: never a key (the store refuses a value that looks like one, or a webhook
signing secret, and then nothing is sent).

Nothing here sends the change to the team database: the command delivers after it has printed
the change id, under its deadline, and the window delivers on a worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.model import FieldChange, Fix
from assistant.diagnosis.fixes.undo import RecordedChange
from assistant.store.records import (
    DONE,
    FIX_INTENT,
    NOT_MADE,
    REFUSED,
    UNDO_INTENT,
    AccountChange,
    Intent,
    NewChange,
    new_uid,
)


class ChangeStore(Protocol):
    def record_changes(self, new: Sequence[NewChange], *, deliver: bool = ..., intent: str | None = ...,
                       intent_state: str = ...) -> list[AccountChange]: ...
    def change_batch(self, change_uid: str) -> list[AccountChange]: ...
    def open_intent(self, intent: Intent) -> str: ...
    def close_intent(self, intent_uid: str, state: str, *, note: str = ..., change_uid: str | None = ...) -> None: ...


def done_phrase(fix_id: str) -> str:
    """"return URL set": what the history says a fix did."""
    try:
        return wording.text(fix_id, "done")
    except KeyError:
        return ""


def intent_detail(fix: Fix, *, existing: Sequence[str] = (), undo_of: Sequence[RecordedChange] = (),
                  ticket: str = "") -> dict[str, Any]:
    """What an intent keeps of a fix (or an undo): enough to settle it and record it later."""
    return {"fix": fix.id, "check": fix.check, "title": fix.title, "summary": fix.summary,
            "changes": [c.to_dict() for c in fix.changes], "existing": list(existing),
            "undo_of": [r.change_uid for r in undo_of], "ticket": ticket}


class FixLog:
    """A `Recorder` (see assistant.diagnosis.fix_runner) writing to a case history store."""

    def __init__(self, store: ChangeStore, *, run_uid: str | None = None, ticket: str = "") -> None:
        self.store = store
        self.run_uid = run_uid
        self.ticket = ticket
        self.recorded: list[AccountChange] = []  # what this log kept, for the window's ticket note

    def intend(self, fix: Fix, *, account_id: str, masked_key: str, idempotency_key: str,
               existing: Sequence[str] = (), undo_of: Sequence[RecordedChange] = ()) -> str:
        request = fix.requests[0]
        object_id = next((c.object for c in fix.changes if c.object), "") or ""
        return self.store.open_intent(Intent(
            kind=UNDO_INTENT if undo_of else FIX_INTENT, account_id=account_id, mode=fix.mode,
            masked_key=masked_key, object_id=object_id, method=request.method, path=request.path,
            idempotency_key=idempotency_key, run_uid=self.run_uid,
            detail=intent_detail(fix, existing=existing, undo_of=undo_of, ticket=self.ticket)))

    def refused(self, intent: str, why: str) -> None:
        self.store.close_intent(intent, REFUSED, note=why)

    def not_made(self, intent: str, why: str) -> None:
        self.store.close_intent(intent, NOT_MADE, note=why)

    def record(self, fix: Fix, changes: Sequence[FieldChange], request_ids: Sequence[str], *,
               account_id: str, undo_of: Sequence[RecordedChange] = (), intent: str | None = None,
               intent_state: str = DONE, left: Mapping[str, Any] | None = None) -> str:
        first = new_uid()
        rows: list[NewChange]
        if undo_of:
            originals: list[Any] = list(undo_of)
            rows = [NewChange.undoing(o, request_ids=tuple(request_ids), run_uid=self.run_uid, ticket=self.ticket,
                                      change_uid=first if i == 0 else None)
                    for i, o in enumerate(originals)]
        else:
            summary = done_phrase(fix.id)
            kept = dict(left) if left is not None else None
            rows = [NewChange(account_id=account_id, field=c.field, before=c.before, after=c.after,
                              object_id=c.object or "", check_id=fix.check, fix_id=fix.id, mode=fix.mode,
                              summary=summary, request_ids=tuple(request_ids), run_uid=self.run_uid,
                              ticket=self.ticket, change_uid=first if i == 0 else None, left=kept)
                    for i, c in enumerate(changes)]
        recorded = self.store.record_changes(rows, deliver=False, intent=intent, intent_state=intent_state)
        self.recorded += recorded
        return recorded[0].change_uid

    def batch(self, change_id: str) -> list[AccountChange]:
        """Every field the fix that made `change_id` changed (raises ChangeNotFound)."""
        return self.store.change_batch(change_id)
