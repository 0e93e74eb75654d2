"""The contract between the window and a step page: the `Page` protocol, and `StepPage`, the base
every page derives from, which meets it.

A page is built (maybe late), attached to the window's state (WindowState) once, and from then on follows
it by signals: it reads the current state as it attaches, renders every outcome, disables its
buttons while Stripe work runs. A page that is not on screen keeps the newest outcome and
renders it when it is next shown, so a run never pays for painting pages nobody looks at.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from assistant.knowledge import checklist

if TYPE_CHECKING:  # the diagnosis (and what it imports) is not needed to draw the first window
    from assistant.diagnosis.run import RunOutcome
    from assistant.ui.state.window_state import WindowState


class Page(Protocol):
    """What the window relies on; nothing else of a page is ever probed."""

    step_id: str

    @property
    def title(self) -> str: ...

    @property
    def check_ids(self) -> tuple[str, ...]: ...

    @property
    def outcome_pending(self) -> bool: ...

    def attach(self, state: WindowState) -> None: ...

    def show_outcome(self, outcome: RunOutcome | None) -> None: ...

    def flush(self) -> None: ...

    def set_busy(self, busy: bool) -> None: ...


log = logging.getLogger(__name__)
_NOTHING = object()


class StepPage(QWidget):
    """A checklist step. Pages never call Stripe themselves: they ask through the window state."""

    step_id: str = ""  # a step declared in resources/checks.json; its title and checks come from there

    rerun_requested = Signal(str)  # step_id: run the diagnosis again for this step
    glossary_requested = Signal(str)  # a term name or "trouble:<id>" to open in the glossary pane

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state: WindowState | None = None
        self._pending: object = _NOTHING  # the newest outcome, while the page is off screen

    @property
    def title(self) -> str:
        """The step's title, spelled as the checklist declares it (sidebar and heading alike)."""
        return checklist.step(self.step_id).title if self.step_id else ""

    @property
    def heading_text(self) -> str:
        """"3. Plans and prices": the page is headed exactly as its sidebar row names it."""
        if not self.step_id:
            return ""
        return f"{checklist.step_ids().index(self.step_id) + 1}. {self.title}"

    @property
    def check_ids(self) -> tuple[str, ...]:
        """The checks declared for this step (none for the report: it sums up every check)."""
        return checklist.checks_for_step(self.step_id) if self.step_id else ()

    # -- following the window state --------------------------------------------------------------
    def attach(self, state: WindowState) -> None:
        """Subscribe to the window state and take what it holds now. Subclasses extend this with
        their own subscriptions (and call it first)."""
        self.state = state
        self.rerun_requested.connect(state.request_run)
        self.glossary_requested.connect(state.request_glossary)
        state.busy_changed.connect(self.set_busy)
        state.outcome_changed.connect(self.receive_outcome)
        self.set_busy(state.busy)
        self.receive_outcome(state.outcome)

    def receive_outcome(self, outcome: RunOutcome | None) -> None:
        """Render now if on screen, else when next shown."""
        if self.isVisibleTo(self.window()) or self.window() is self:
            self._pending = _NOTHING
            self._render(outcome)
        else:
            self._pending = outcome

    @property
    def outcome_pending(self) -> bool:
        return self._pending is not _NOTHING

    def flush(self) -> None:
        """Render a pending outcome now (tests, screenshots, export)."""
        if self._pending is not _NOTHING:
            outcome = cast("RunOutcome | None", self._pending)
            self._pending = _NOTHING
            self._render(outcome)

    def _render(self, outcome: RunOutcome | None) -> None:
        try:
            self.show_outcome(outcome)
        except Exception as err:  # one broken page must not hide the others' results
            log.error("page %s could not show the outcome: %s", self.step_id, type(err).__name__)

    def showEvent(self, event: QShowEvent) -> None:
        self.flush()
        super().showEvent(event)

    # -- for subclasses --------------------------------------------------------------------------
    def show_outcome(self, outcome: RunOutcome | None) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def set_busy(self, busy: bool) -> None:
        """Disable buttons that would start Stripe work while a run is in flight."""
