"""Plan the undo of a recorded fix: the previous values sent back, after checking nothing changed since.

An undo re-applies each field's `before` (an empty return URL is unset with `""`, as Stripe
allows); an endpoint the fix created is deleted. It is refused, with the sentence to show,
when the object is gone or a field no longer holds what the fix set: sending old values over
someone's later change would lose it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from assistant.account.snapshot import Snapshot
from assistant.diagnosis.fixes import names
from assistant.diagnosis.fixes.fields import (
    WEBHOOK_ENDPOINT,
    current,
    object_kind,
    object_path,
    params_for,
    same,
)
from assistant.diagnosis.fixes.model import API, FieldChange, Fix, Request
from assistant.diagnosis.fixes.objects import find


class RecordedChange(Protocol):
    """What the case history keeps of one changed field (assistant.store's AccountChange)."""

    @property
    def change_uid(self) -> str: ...
    @property
    def object_id(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def before(self) -> Any: ...
    @property
    def after(self) -> Any: ...
    @property
    def check_id(self) -> str: ...
    @property
    def fix_id(self) -> str: ...
    @property
    def mode(self) -> str | None: ...
    @property
    def summary(self) -> str: ...
    @property
    def left(self) -> dict[str, Any] | None: ...


class UndoRefused(Exception):
    """The undo would not put things back as they were; the message says why, in one sentence."""


def created_here(recorded: Sequence[RecordedChange]) -> bool:
    """The fix created the object (every field was empty before): its undo deletes it."""
    return all(r.before is None for r in recorded) and object_kind(recorded[0].object_id) == WEBHOOK_ENDPOINT


def plan_undo(recorded: Sequence[RecordedChange], snapshots: Iterable[Snapshot | None]) -> Fix:
    if not recorded:
        raise UndoRefused("there is nothing recorded to undo.")
    objects = {r.object_id for r in recorded}
    if len(objects) != 1 or not recorded[0].object_id:
        raise UndoRefused("this change does not name one Stripe object, so it cannot be undone here.")
    object_id = recorded[0].object_id
    snaps = list(snapshots)
    obj = find(snaps, object_id)
    if obj is None:
        raise UndoRefused(f"{object_id} is no longer there in {recorded[0].mode or 'this'} mode, so there is "
                          "nothing to put back.")
    for r in recorded:
        now = current(obj, r.field)
        if not same(now, r.after):
            raise UndoRefused(f"{r.field} of {object_id} has changed since the fix (it is now {_short(now)}); "
                              "undoing would overwrite that later change, so nothing was sent.")
    first = recorded[0]
    kind = object_kind(object_id)
    if created_here(recorded):
        _unchanged_since_created(obj, recorded)
        request = Request("DELETE", object_path(object_id), {})
        changes = tuple(FieldChange(object_id, r.field, r.after, None, kind) for r in recorded)
    else:
        request = Request("POST", object_path(object_id), params_for((r.field, r.before) for r in recorded))
        changes = tuple(FieldChange(object_id, r.field, r.after, r.before, kind) for r in recorded)
    what = first.summary or first.fix_id or "the change"
    return Fix(id=first.fix_id, check=first.check_id, title=f"Undo: {what}", kind=API, mode=first.mode,
               summary=f"Put back what {object_id} held before the fix ({what}).",
               requests=(request,), changes=changes, names=names.used(changes, names.known(snaps)))


# Fields that say what an object is, not what anyone set: never compared.
_IDENTITY = frozenset({"id", "object", "created", "livemode", "secret"})
# What Stripe gives a new endpoint the app creates with only `url` and `enabled_events`: what a
# change recorded before objects were kept whole is compared with.
_CREATED_DEFAULTS: dict[str, Any] = {"description": None, "metadata": {}, "status": "enabled"}


def _unchanged_since_created(obj: Mapping[str, Any], recorded: Sequence[RecordedChange]) -> None:
    """Deleting an object the fix created is safe only while it is as the app left it: a
    colleague who wrote "DO NOT DELETE" in its description, added metadata or switched it off
    made it theirs. Every field is compared, not only those the fix set."""
    left = next((getattr(r, "left", None) for r in recorded if getattr(r, "left", None)), None)
    expected = dict(left) if left is not None else {**_CREATED_DEFAULTS, **{r.field: r.after for r in recorded}}
    names = sorted((set(expected) | (set(obj) if left is not None else set())) - _IDENTITY)
    changed = [n for n in names if not same(obj.get(n), expected.get(n))]
    if changed:
        shown = ", ".join(f"{n} (now {_short(obj.get(n), 40)})" for n in changed[:3])
        raise UndoRefused(f"{obj.get('id')} was created by the fix but has been edited since: {shown}. Deleting "
                          "it would throw that away, so nothing was sent; delete it in the Dashboard if the owner "
                          "agrees.")


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
