"""The changes the case history keeps, as the ticket note lists them: which belong to one call,
and whether each still stands.

A call is found from what is recorded, without a call id: a fix is recorded against the run
whose findings it answered, and the run after it follows at once (the window and `fix` both
diagnose again after every change). So runs of one account belong to the same call as long as
each run but the last has a change recorded against it; the first run with none ends the call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.report.call_changes import MadeChange
from assistant.store.records import AccountChange, RunSummary, new_uid, utc_now

if TYPE_CHECKING:
    from assistant.diagnosis.fix_runner import FixOutcome


def made_changes(records: Sequence[AccountChange]) -> tuple[MadeChange, ...]:
    """Recorded changes in the order they were made, each saying whether a later one (in these
    records, or anywhere in the history: `undone_by`) put it back."""
    ordered = sorted(records, key=lambda r: (r.applied_at, r.id))
    undone_at = {r.undo_of: r.applied_at for r in ordered if r.undo_of}
    return tuple(
        MadeChange(field=r.field, before=r.before, after=r.after, applied_at=r.applied_at,
                   object_id=r.object_id, mode=r.mode, agent=r.agent, undo=r.is_undo,
                   undone=r.change_uid in undone_at or bool(r.undone_by),
                   undone_at=undone_at.get(r.change_uid, ""))
        for r in ordered
    )


def call_records(run_uid: str, runs: Sequence[RunSummary], changes: Sequence[AccountChange]) -> list[AccountChange]:
    """The changes made in the call that the run `run_uid` belongs to (see the module's
    docstring); `runs` are the listed runs (any accounts), `changes` the account's changes."""
    run = next((r for r in runs if r.run_uid == run_uid), None)
    if run is None or not run_uid:
        return [c for c in changes if c.run_uid == run_uid and run_uid]
    chain = sorted((r for r in runs if r.account_id == run.account_id and r.run_uid),
                   key=lambda r: (r.created_at, r.id))
    changed = {c.run_uid for c in changes if c.run_uid}
    at = chain.index(run)
    first = at
    while first > 0 and chain[first - 1].run_uid in changed:
        first -= 1
    last = at
    while last < len(chain) - 1 and chain[last].run_uid in changed:
        last += 1
    uids = {r.run_uid for r in chain[first:last + 1]}
    return [c for c in changes if c.run_uid in uids]


def unrecorded(account_id: str, outcome: FixOutcome, undoing: Sequence[AccountChange] = ()) -> list[AccountChange]:
    """What an applied fix (or undo) changed when the case history could not record it: the
    ticket note must list it all the more ("note it in the ticket"). `undoing`: the changes it
    put back, matched by field."""
    now = utc_now()
    fix = outcome.fix
    undone = {c.field: c.change_uid for c in undoing}
    return [AccountChange(id=0, change_uid=f"unrecorded-{new_uid()}", account_id=account_id, field=c.field,
                          before=c.before, after=c.after, applied_at=now, agent="", object_id=c.object or "",
                          check_id=fix.check, fix_id=fix.id, mode=fix.mode, undo_of=undone.get(c.field))
            for c in outcome.changes]
