"""The glossary dock, built on first use (it loads the knowledge base), and its toolbar toggle."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from assistant.ui.glossary_pane import GlossaryPane
from assistant.ui.page_registry import make_glossary_dock


class GlossaryHost:
    """Keeps `action` (F1) and the dock's own visibility in step; opens a term or a reference."""

    def __init__(self, window: QMainWindow, action: QAction, open_url: Callable[[str], None]) -> None:
        self._window = window
        self._action = action
        self._open_url = open_url
        self.dock: GlossaryPane | None = None
        action.triggered.connect(self._triggered)

    def ensure(self) -> GlossaryPane:
        if self.dock is not None:
            return self.dock
        dock = make_glossary_dock(self._window)
        self.dock = dock
        dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea)
        self._window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        self._window.restoreDockWidget(dock)  # where the agent left it last time (saved state)
        dock.toggleViewAction().toggled.connect(self._toggled)
        self._toggled(dock.toggleViewAction().isChecked())
        dock.open_url_requested.connect(self._open_url)
        return dock

    def show(self, ref: str) -> None:
        """A term by name or check id (`show_term`), or a "trouble:<id>" link (`show_reference`)."""
        dock = self.ensure()
        if ":" in ref:
            dock.show_reference(ref)
        else:
            dock.show_term(ref)
        dock.show()
        dock.raise_()

    def _toggled(self, shown: bool) -> None:
        if self._action.isChecked() != shown:
            self._action.blockSignals(True)
            self._action.setChecked(shown)
            self._action.blockSignals(False)

    def _triggered(self, checked: bool) -> None:
        dock = self.ensure()
        dock.setVisible(checked)
        if checked:
            dock.raise_()
