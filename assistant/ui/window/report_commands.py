"""Copy report (Ctrl+Shift+C) and Save report… (Ctrl+S) from any step: the Report page does the
work, built first if the agent never opened it, with the latest run rendered. Both actions are
enabled only while there is a run to report."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from assistant.ui.pages.base import StepPage
from assistant.ui.state.window_state import WindowState

if TYPE_CHECKING:  # the Report page's module is imported when it is first needed
    from assistant.ui.pages.report import ReportPage


class ReportCommands:
    def __init__(self, report_page: Callable[[], StepPage], state: WindowState, flash: Callable[[str], None],
                 *, copy: QAction, save: QAction) -> None:
        self._report_page, self._state, self._flash = report_page, state, flash
        self._copy, self._save = copy, save
        copy.triggered.connect(self._copy_triggered)
        save.triggered.connect(self._save_triggered)

    def page(self) -> ReportPage:
        from assistant.ui.pages.report import ReportPage

        page = self._report_page()
        assert isinstance(page, ReportPage)
        page.flush()  # built late or not on screen: it renders the latest run first
        return page

    def outcome_changed(self, outcome: object) -> None:
        self._copy.setEnabled(outcome is not None)
        self._save.setEnabled(outcome is not None)

    def copy(self) -> bool:
        """Edit → Copy report (Ctrl+Shift+C), from any step: the report, never the key."""
        if self._state.outcome is None:
            self._flash("Nothing to copy yet: run the checks first.")
            return False
        self.page().copy_report()
        return True

    def save(self) -> str | None:
        """File → Save report… (Ctrl+S): the dialog starts in the agent's Documents folder."""
        if self._state.outcome is None:
            self._flash("Nothing to save yet: run the checks first.")
            return None
        saved = self.page().save_report()
        if saved:
            self._flash(f"Saved the report to {saved}")
        return saved

    # Slots return None: a slot's return value is never read, and PySide mishandles bools there.
    def _copy_triggered(self, *_args: object) -> None:
        self.copy()

    def _save_triggered(self, *_args: object) -> None:
        self.save()
