"""What guided fixes changed during the call, as the ticket note lists it: each field before →
after, where, and whether it still stands ("undone at 10:17 UTC").

Plain data handed to the renderers by whoever knows the call (the window keeps what it applied;
the History window finds a saved run's call in the case history: `store.call_changes`), so the
report itself never reads the history. Sentences are plain text; each format escapes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assistant.diagnosis.fixes.display import object_text, value_text
from assistant.diagnosis.fixes.fields import object_kind
from assistant.knowledge.dashboard_fields import field_name


@dataclass(frozen=True)
class MadeChange:
    """One field a guided fix (or the undo of one) changed on the owner's account."""

    field: str  # Stripe's dotted field, e.g. "default_return_url"
    before: Any
    after: Any
    applied_at: str  # ISO 8601, UTC
    object_id: str = ""
    mode: str | None = None
    agent: str = ""
    undo: bool = False  # this change put an earlier one back
    undone: bool = False  # a later change put this one back
    undone_at: str = ""  # when, if that undo belongs to the same call


def _parse(stamp: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def when_text(stamp: str, day: str = "") -> str:
    """"10:16 UTC" on the report's own day (`day`, an ISO stamp), else "2026-12-05 10:16 UTC"."""
    when = _parse(stamp)
    if when is None:
        return stamp or "at an unknown time"
    when = when.astimezone(UTC)
    same_day = (ref := _parse(day)) is not None and ref.astimezone(UTC).date() == when.date()
    return when.strftime("%H:%M UTC" if same_day else "%Y-%m-%d %H:%M UTC")


def change_line(change: MadeChange, day: str = "") -> str:
    """"10:16 UTC: Default redirect link: (none) → https://… (default_return_url of portal
    configuration bpc_…, test mode), by Sam — undone at 10:17 UTC"."""
    kind = object_kind(change.object_id)
    where = object_text(change.object_id or None, kind)
    mode = f", {change.mode} mode" if change.mode else ""
    line = (f"{when_text(change.applied_at, day)}: {'Undo: ' if change.undo else ''}"
            f"{field_name(change.field, kind, change.object_id)}: {value_text(change.before)} → "
            f"{value_text(change.after)} "
            f"({change.field} of {where}{mode})")
    if change.agent:
        line += f", by {change.agent}"
    if change.undone:
        line += f" — undone at {when_text(change.undone_at, day)}" if change.undone_at else " — undone later"
    elif not change.undo:
        line += " — still in place"
    return line


def change_lines(changes: Sequence[MadeChange], day: str = "") -> list[str]:
    """Each change on a line, in the order they were made."""
    return [change_line(c, day) for c in sorted(changes, key=lambda c: c.applied_at)]
