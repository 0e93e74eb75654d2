"""The step pages in the window's stack: built when first needed, attached to the window state once.

Only Connect exists for the first paint; every other row holds an empty stand-in until its page
is first shown (or something asks for it). A built page follows the window state by itself, so
building one late needs no replay of what happened before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QStackedWidget, QWidget

from assistant.ui.pages import registry as page_registry
from assistant.ui.pages.base import StepPage
from assistant.ui.pages.registry import STEPS
from assistant.ui.state.window_state import WindowState

log = logging.getLogger(__name__)


class PageHost:
    """Owns the stack's page slots; `page(row)` builds on first use."""

    def __init__(self, state: WindowState, first: StepPage,
                 on_built: Callable[[StepPage], None] | None = None,
                 kwargs_for: Callable[[str], dict[str, object]] | None = None) -> None:
        self.state = state
        self._kwargs_for = kwargs_for or (lambda _step_id: {})  # collaborators a page is built with
        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Step page")
        self._on_built = on_built
        self._pages: list[StepPage | None] = [first] + [None] * (len(STEPS) - 1)
        self.stack.addWidget(first)
        for _ in STEPS[1:]:
            self.stack.addWidget(QWidget())
        first.attach(state)

    @property
    def pages(self) -> list[StepPage]:
        """Every page in checklist order (building any not built yet)."""
        return [self.page(row) for row in range(len(STEPS))]

    def built(self) -> list[StepPage]:
        return [p for p in self._pages if p is not None]

    def built_at(self, row: int) -> StepPage | None:
        return self._pages[row]

    def page(self, row: int) -> StepPage:
        page = self._pages[row]
        return page if page is not None else self._build(row)

    def show_row(self, row: int) -> None:
        self.page(row)  # build before switching, so the stand-in is never shown
        self.stack.setCurrentIndex(row)

    @property
    def stale(self) -> int:
        """Built pages holding an outcome they will render when next shown."""
        return sum(1 for p in self.built() if p.outcome_pending)

    def flush(self) -> None:
        """Every built page renders the latest outcome now (tests, screenshots, export)."""
        for page in self.built():
            self._safely(page, page.flush)

    def _build(self, row: int) -> StepPage:
        page = page_registry.build_page(STEPS[row].step_id, **self._kwargs_for(STEPS[row].step_id))
        self._pages[row] = page
        stand_in = self.stack.widget(row)
        current = self.stack.currentIndex()
        self.stack.insertWidget(row, page)
        if stand_in is not None:
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
        if self.stack.currentIndex() != current:
            self.stack.setCurrentIndex(current)
        if self._on_built is not None:
            self._on_built(page)
        self._safely(page, lambda: page.attach(self.state))
        return page

    @staticmethod
    def _safely(page: StepPage, action: Callable[[], None]) -> None:
        try:
            action()
        except Exception as err:  # one broken page must not hide the others' results
            log.error("page %s failed: %s", page.step_id, type(err).__name__)
