"""What a fix changes, as the owner reads it in a preview: each field under the name the Dashboard
gives it ("Default redirect link"), plans as names and amounts ("Pro: Pro Yearly — 290.00 USD /
year"), list entries that come or go marked in words (`+ … (added)`, `− … (removed)`), and the ids
in one detail line. Plain text: each front end makes it safe to show.

The fields' names are the one declaration of Dashboard names (`knowledge.dashboard_fields`, which
the ticket note and History read too); the other words come from `resources/fixes.json`
("preview"); the owner's names for ids come with the fix (`Fix.names`, filled by the planner
from what it read).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.diagnosis.fixes import wording
from assistant.knowledge.dashboard_fields import field_name

NONE = "(none)"
ADDED, REMOVED = "added", "removed"
PRODUCTS_FIELD = "features.subscription_update.products"
_KINDS = {"billing_portal.configuration": "portal configuration", "webhook_endpoint": "webhook endpoint"}


def value_text(value: Any) -> str:
    """A value without names (the history and terse lines): ids as they are."""
    if value is None or value == "" or value == []:
        return NONE
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, dict) and "product" in v for v in value):
        return "; ".join(f"{v['product']}: {', '.join(v.get('prices') or []) or 'no prices'}" for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def object_text(object_id: str | None, object_kind: str) -> str:
    """"portal configuration bpc_…", "webhook endpoint we_…", "new webhook endpoint"."""
    kind = _KINDS.get(object_kind, object_kind.replace("_", " "))
    return f"{kind} {object_id}" if object_id else f"new {kind}"


def object_words(object_id: str | None, object_kind: str, mode: str | None,
                 names: Mapping[str, str] | None = None) -> str:
    """The object a change is made on, as the owner knows it, without its id: "the test mode
    portal settings", "the price Pro Yearly — 290.00 USD / year (test mode)"."""
    words = _preview()["objects"]
    template = words.get(("new:" if not object_id else "") + object_kind) or words.get(object_kind)
    if template is None:
        return object_text(object_id, object_kind)
    return str(template).format(mode=mode or "unknown", name=(names or {}).get(object_id or "", object_id or ""))


def _preview() -> Mapping[str, Any]:
    found: Mapping[str, Any] = wording.catalogue()["preview"]
    return found


def field_label(field: str, object_kind: str = "", object_id: str | None = None,
                names: Mapping[str, str] | None = None) -> str:
    """The field as the Dashboard names it; the field's own name when it has none."""
    return field_name(field, object_kind, (names or {}).get(object_id or "", object_id or ""))


@dataclass(frozen=True)
class Line:
    """One value (or one entry of a list) in the preview, marked when it comes or goes."""

    text: str
    mark: str = ""  # "", ADDED or REMOVED

    @property
    def shown(self) -> str:
        if not self.mark:
            return self.text
        return str(_preview()["marks"][self.mark]).format(text=self.text)


@dataclass(frozen=True)
class ChangePreview:
    """One field of one object: its Dashboard name, the values before and after side by side
    (entries of a list aligned, so what goes and what comes stand next to each other), and the
    ids in a detail line."""

    label: str
    rows: tuple[tuple[Line | None, Line | None], ...]
    detail: str

    def side(self, column: int) -> list[Line]:
        return [row[column] for row in self.rows if row[column] is not None]  # type: ignore[misc]


def preview(change: Any, names: Mapping[str, str] | None = None) -> ChangePreview:
    """`change` is a FieldChange (object, field, before, after, object_kind)."""
    names = names or {}
    label = field_label(change.field, change.object_kind, change.object, names)
    before, after = _entries(change.field, change.before, names), _entries(change.field, change.after, names)
    if (before is None) != (after is None) and None in (change.before, change.after):
        before, after = before or [], after or []  # a list set where there was none, or emptied
    if before is None or after is None:
        rows: tuple[tuple[Line | None, Line | None], ...] = (
            (Line(_scalar(change.field, change.before)), Line(_scalar(change.field, change.after))),)
        gone: list[str] = []
        came: list[str] = []
    else:
        rows, gone, came = _aligned(before, after)
    return ChangePreview(label, rows, _detail(change, gone, came))


def change_line(change: Any, names: Mapping[str, str] | None = None) -> str:
    """The change in one line for a status line: `Default redirect link: (none) → https://…`, or
    for a list what went and came: `Switch plan: …: − Pro Yearly — 290.00 USD / year (removed)`."""
    shown = preview(change, names)
    if len(shown.rows) == 1 and all(side is not None and not side.mark for side in shown.rows[0]):
        old, new = shown.rows[0]
        return f"{shown.label}: {old.shown if old else NONE} → {new.shown if new else NONE}"
    moved = [line.shown for row in shown.rows for line in row if line is not None and line.mark]
    return f"{shown.label}: {'; '.join(moved) or NONE}"


# -- values --------------------------------------------------------------------------------------

def _scalar(field: str, value: Any) -> str:
    words = _preview()["values"]
    if value is None or value == "" or value == []:
        return str(words["none"])
    if isinstance(value, bool):
        if field == "active":
            return str(words["active"]["true" if value else "false"])
        return str(words["on" if value else "off"])
    return value_text(value)


def _entries(field: str, value: Any, names: Mapping[str, str]) -> list[tuple[str, str]] | None:
    """A list as (key, words) per entry (plan lists one per price); None for a single value."""
    if field == PRODUCTS_FIELD:
        return _plan_entries(value or [], names) if value is not None else None
    if not isinstance(value, (list, tuple)):
        return None
    words = _preview()["values"].get(field) or {}
    return [(str(v), str(words.get(v, v)) if isinstance(words, Mapping) else str(v)) for v in value]


def _plan_entries(entries: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for entry in entries:
        product_id = str(entry.get("product") or "")
        product = names.get(product_id, product_id)
        prices = [str(p) for p in entry.get("prices") or []]
        if not prices:
            out.append((product_id, f"{product}: {_preview()['values']['no_prices']}"))
        out += [(price_id, f"{product}: {names.get(price_id, price_id)}") for price_id in prices]
    return out


def _aligned(before: list[tuple[str, str]], after: list[tuple[str, str]]
             ) -> tuple[tuple[tuple[Line | None, Line | None], ...], list[str], list[str]]:
    """Before and after side by side: kept entries on one row, a replaced entry beside its
    replacement, and the keys (ids) that went and came."""
    rows: list[tuple[Line | None, Line | None]] = []
    gone: list[str] = []
    came: list[str] = []
    matcher = difflib.SequenceMatcher(a=[k for k, _ in before], b=[k for k, _ in after], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows += [(Line(before[a][1]), Line(after[b][1])) for a, b in zip(range(a1, a2), range(b1, b2), strict=True)]
            continue
        old = [Line(text, REMOVED) for _, text in before[a1:a2]]
        new = [Line(text, ADDED) for _, text in after[b1:b2]]
        gone += [key for key, _ in before[a1:a2]]
        came += [key for key, _ in after[b1:b2]]
        for i in range(max(len(old), len(new))):
            rows.append((old[i] if i < len(old) else None, new[i] if i < len(new) else None))
    if not rows:
        rows.append((Line(NONE), Line(NONE)))
    return tuple(rows), gone, came


def _detail(change: Any, gone: list[str], came: list[str]) -> str:
    text = _preview()
    parts = [str(text["detail"]).format(where=object_text(change.object, change.object_kind), field=change.field)]
    if gone:
        parts.append(str(text["detail_removed"]).format(ids=", ".join(gone)))
    if came:
        parts.append(str(text["detail_added"]).format(ids=", ".join(came)))
    return "; ".join(parts)
