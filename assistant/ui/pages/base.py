"""The contract between the main window and a step page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from assistant.knowledge import checklist

if TYPE_CHECKING:  # the diagnosis (and what it imports) is not needed to draw the first window
    from assistant.diagnosis.run import RunOutcome


class StepPage(QWidget):
    """A checklist step. The window calls `show_outcome` after every run (None = cleared).

    Pages never call Stripe themselves: they ask the window through signals, and the
    window's RunController does the work on the asyncio loop.
    """

    step_id: str = ""  # a step declared in resources/checks.json; its title and checks come from there

    @property
    def title(self) -> str:
        """The step's title, spelled as the checklist declares it (sidebar and heading alike)."""
        return checklist.step(self.step_id).title if self.step_id else ""

    @property
    def check_ids(self) -> tuple[str, ...]:
        """The checks declared for this step (none for the report: it sums up every check)."""
        return checklist.checks_for_step(self.step_id) if self.step_id else ()

    rerun_requested = Signal(str)  # step_id: run the diagnosis again for this step
    glossary_requested = Signal(str)  # a term name or "trouble:<id>" to open in the glossary pane

    def show_outcome(self, outcome: RunOutcome | None) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def set_busy(self, busy: bool) -> None:
        """Disable buttons that would start Stripe work while a run is in flight."""
