"""Choices between fixes: where Stripe allows more than one repair of one thing (restore an
archived price, offer another price instead, take it off the list), each is a fix of its own and
they share a `group`. One of a group is applied; the first in plan order is preferred, because it
keeps what the owner offered. Two fixes that would both rewrite the same field of one object are
never sent together: the second would put back what the first changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeVar


class _Change(Protocol):
    @property
    def object(self) -> str | None: ...
    @property
    def field(self) -> str: ...


class _Fix(Protocol):
    """What is read of a fix here (model.Fix; the model imports this module, not the reverse)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def group(self) -> str: ...
    @property
    def changes(self) -> Sequence[Any]: ...
    def to_dict(self) -> dict[str, object]: ...


Fix = TypeVar("Fix", bound=_Fix)


def _key(index: int, fix: _Fix) -> str:
    """The group a fix answers to (an ungrouped fix is a group of its own)."""
    return fix.group or f"#{index}"


def of(fixes: Sequence[Fix], fix: Fix) -> list[Fix]:
    """`fix` and its alternatives, in plan order."""
    if not fix.group:
        return [fix]
    return [f for f in fixes if f.group == fix.group]


def preferred(numbered: Iterable[tuple[int, _Fix]]) -> list[int]:
    """The index of the first fix of each group (and of every ungrouped fix)."""
    seen: set[str] = set()
    out: list[int] = []
    for index, fix in numbered:
        key = _key(index, fix)
        if key not in seen:
            seen.add(key)
            out.append(index)
    return out


def conflict(picked: Sequence[_Fix]) -> str | None:
    """Why these fixes cannot be applied together (None when they can), in one sentence."""
    groups: dict[str, _Fix] = {}
    writes: dict[tuple[str, str], _Fix] = {}
    for fix in picked:
        if fix.group:
            other = groups.setdefault(fix.group, fix)
            if other is not fix:
                return (f"{other.id} and {fix.id} are two ways to repair the same thing ({other.title}; "
                        f"{fix.title}): apply one of them.")
        change: _Change
        for change in fix.changes:
            if not change.object:
                continue
            other = writes.setdefault((change.object, change.field), fix)
            if other is not fix:
                return (f"{other.id} and {fix.id} both rewrite {change.field} of {change.object}, so the second "
                        "would undo the first: apply one, then run fix again to plan the other from what "
                        "Stripe holds then.")
    return None


def with_alternatives(fixes: Sequence[Fix], fix: Fix) -> dict[str, object]:
    """One entry of the plan's `fixes` in the JSON: the fix, whether `--apply all` (or its check
    id) would pick it, and the other choices of its group, by id."""
    data = fix.to_dict()
    group = of(fixes, fix)
    data["preferred"] = group[0] is fix
    data["alternatives"] = [f.id for f in group if f is not fix]
    return data
