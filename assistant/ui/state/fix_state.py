"""What the cards show of guided fixes: the fixes planned for the outcome on screen and the
fixes that can be undone, per check; and, for the ticket note, what fixes changed on this
account during the call. The window's state (WindowState) carries it (`fixes_changed`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.diagnosis.fixes.model import Fix, Plan
    from assistant.store.records import AccountChange


@dataclass(frozen=True)
class FixState:
    plan: Plan | None = None
    undo: Mapping[str, str] = field(default_factory=dict)  # check id -> change id of its last fix
    working: bool = False  # a fix, an undo or a wait is under way
    made: tuple[AccountChange, ...] = ()  # changed on this account in this call, fixes and undos, in order

    def fix_for(self, check_id: str) -> Fix | None:
        """The fix a card offers (a check has at most one)."""
        fixes = self.plan.for_check(check_id) if self.plan is not None else []
        return fixes[0] if fixes else None

    def undo_for(self, check_id: str) -> str | None:
        return self.undo.get(check_id)
