"""Did the change take effect? Compare what Stripe holds now with what the plan said."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.account.snapshot import Snapshot
from assistant.diagnosis.fixes.fields import current, same
from assistant.diagnosis.fixes.model import FieldChange
from assistant.diagnosis.fixes.objects import find


@dataclass(frozen=True)
class Mismatch:
    change: FieldChange
    now: Any  # the value read after the change (None also when the object is gone)
    gone: bool = False


def mismatches(changes: Iterable[FieldChange], snapshots: Iterable[Snapshot | None],
               *, deleted: bool = False) -> list[Mismatch]:
    """The fields that do not hold their planned value now (`deleted`: the object should be gone)."""
    snaps = list(snapshots)
    out: list[Mismatch] = []
    for change in changes:
        if not change.object:
            out.append(Mismatch(change, None, gone=True))
            continue
        obj = find(snaps, change.object)
        if deleted:
            if obj is not None:
                out.append(Mismatch(change, current(obj, change.field)))
        elif obj is None:
            out.append(Mismatch(change, None, gone=True))
        elif not same(current(obj, change.field), change.after):
            out.append(Mismatch(change, current(obj, change.field)))
    return out
