"""Did a write whose answer never came take effect? Tell from what Stripe holds now.

A fix's (or an undo's) write is recorded as an intent before it is sent. When the answer is lost
(the connection dropped after Stripe carried the write out, every retry's answer lost too) or the
process died while the request was in flight, the intent is settled by reading the object: the
fields hold the values the write sets (made), they still hold the values from before (not
made), or what was read cannot tell (the object's list could not be read: still open). Pure:
snapshots in, a verdict and the sentence of what was seen out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.fixes.display import value_text
from assistant.diagnosis.fixes.fields import WEBHOOK_ENDPOINT, current, object_kind, same
from assistant.diagnosis.fixes.model import FieldChange

MADE, NOT_MADE, UNKNOWN = "made", "not_made", "unknown"


@dataclass(frozen=True)
class Settled:
    verdict: str  # MADE, NOT_MADE or UNKNOWN
    checked: str  # what the read-back showed, in words ("default_return_url holds https://…")
    changes: tuple[FieldChange, ...] = ()  # as made: a created object's id filled in
    left: StripeObject | None = None  # a created object as found (its undo compares it whole)


def _lists(snapshots: Iterable[Snapshot | None], mode: str | None, kind: str) -> list[StripeObject] | None:
    """The objects of `kind` the snapshot of `mode` read, or None when it could not read them."""
    for snap in snapshots:
        if snap is None or snap.mode != mode:
            continue
        fetched = snap.webhook_endpoints if kind == WEBHOOK_ENDPOINT else snap.configurations
        if fetched.ok:
            return list(fetched.value or [])
    return None


def _holds(obj: StripeObject, changes: Sequence[FieldChange], *, after: bool) -> bool:
    return all(same(current(obj, c.field), c.after if after else c.before) for c in changes)


def _seen(obj: StripeObject | None, changes: Sequence[FieldChange]) -> str:
    if obj is None:
        return "the object is not there"
    return "; ".join(f"{c.field} holds {value_text(current(obj, c.field))}" for c in changes)


def settle(method: str, object_id: str, changes: Sequence[FieldChange], mode: str | None,
           snapshots: Iterable[Snapshot | None], *, existing: Iterable[str] = ()) -> Settled:
    """The verdict on one write: `method` and `object_id` as sent ("" for an object the write
    creates), `changes` as planned, `existing` the ids of that kind the mode held when the write
    was planned (a created endpoint is the one that was not there then and holds the values)."""
    snaps = list(snapshots)
    kind = object_kind(object_id) or (changes[0].object_kind if changes else "")
    found = _lists(snaps, mode, kind)
    if found is None:
        what = "webhook endpoints" if kind == WEBHOOK_ENDPOINT else "portal configurations"
        return Settled(UNKNOWN, f"the {what} of {mode or 'that'} mode could not be read")
    if not object_id:
        return _settle_create(changes, found, set(existing))
    obj = next((o for o in found if o.get("id") == object_id), None)
    if method == "DELETE":
        if obj is None:
            return Settled(MADE, f"{object_id} is gone", tuple(changes))
        return Settled(NOT_MADE, f"{object_id} is still there", tuple(changes))
    if obj is None:
        return Settled(NOT_MADE, f"{object_id} is not there any more", tuple(changes))
    moved = [c for c in changes if not same(c.before, c.after)]
    if moved and all(same(current(obj, c.field), c.after) for c in moved):
        return Settled(MADE, _seen(obj, changes) + " (the new values)", tuple(changes))
    if _holds(obj, moved, after=False):
        return Settled(NOT_MADE, _seen(obj, changes) + " (the values from before)", tuple(changes))
    # Neither: someone changed the object since. Stripe applies a write whole, so a field that
    # holds the new value says it was made; the undo then checks each field before it sends.
    made = any(same(current(obj, c.field), c.after) for c in moved)
    return Settled(MADE if made else NOT_MADE, _seen(obj, changes) + " (changed by someone since)", tuple(changes))


def _settle_create(changes: Sequence[FieldChange], found: list[StripeObject], existing: set[str]) -> Settled:
    new = [o for o in found if o.get("id") not in existing and _holds(o, changes, after=True)]
    if not new:
        return Settled(NOT_MADE, "no new object holds the values it would have been created with", tuple(changes))
    obj = max(new, key=lambda o: (o.get("created") or 0, str(o.get("id"))))
    made = tuple(replace(c, object=str(obj.get("id"))) for c in changes)
    return Settled(MADE, f"{obj.get('id')} was created with them ({_seen(obj, changes)})", made, dict(obj))


def changes_from(rows: Sequence[Mapping[str, Any]]) -> tuple[FieldChange, ...]:
    """FieldChanges back from their `to_dict()` form (as an intent keeps them)."""
    return tuple(FieldChange(r.get("object"), str(r["field"]), r.get("before"), r.get("after"),
                             str(r.get("object_kind") or "")) for r in rows)
