"""The glossary dock, built on first use (it loads the knowledge base): its toolbar toggle, F1,
the way back out with Esc, and the width it may take.

On a call the agent presses F1 to look up what the owner just said, so F1 puts the cursor in
the search field (words selected) and Esc puts it back where it was: focus is never left on a
button that a space bar would press. The dock's width is bounded from the font and the window,
so an entry's long words can never push the step page below a readable width.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from assistant.ui.glossary.pane import GlossaryPane, PlaceholderGlossaryDock

log = logging.getLogger(__name__)

# In average character widths of the window's font.
DOCK_MIN_CHARS = 30
DOCK_PREFERRED_CHARS = 40
DOCK_MAX_CHARS = 56
DOCK_MAX_SHARE = 0.34  # of the window's width: the step page keeps the rest
PAGE_MIN_CHARS = 64  # the step page never gets narrower than this (it reflows above it)


class GlossaryHost:
    """Keeps `action` and the dock's own visibility in step; F1 (`search`) focuses the pane."""

    def __init__(self, window: QMainWindow, action: QAction, open_url: Callable[[str], None],
                 search: QAction | None = None) -> None:
        self._window = window
        self._action = action
        self._open_url = open_url
        self._return_to: QWidget | None = None
        self.dock: GlossaryPane | None = None
        action.triggered.connect(self._triggered)
        if search is not None:
            search.triggered.connect(self._search_triggered)
        self._bounds = _WidthBounds(window, self)

    def ensure(self) -> GlossaryPane:
        if self.dock is not None:
            return self.dock
        dock = make_glossary_dock(self._window)
        self.dock = dock
        dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea)
        self._window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.apply_width_bounds()
        dock.hide()
        self._window.restoreDockWidget(dock)  # where the agent left it last time (saved state)
        dock.toggleViewAction().toggled.connect(self._toggled)
        self._toggled(dock.toggleViewAction().isChecked())
        dock.open_url_requested.connect(self._open_url)
        dock.leave_requested.connect(self.leave)
        return dock

    def show(self, ref: str) -> None:
        """A term by name or check id (`show_term`), or a "trouble:<id>" link (`show_reference`)."""
        dock = self.ensure()
        if ":" in ref:
            dock.show_reference(ref)
        else:
            dock.show_term(ref)
        self._reveal(dock)

    def search(self) -> None:
        """F1: open the pane with the cursor in its search field; F1 again inside it closes it."""
        focus = QApplication.focusWidget()
        dock = self.ensure()
        if dock.isVisible() and dock.has_focus_inside(focus):
            dock.hide()
            self.leave()
            return
        if not dock.has_focus_inside(focus):
            self._return_to = focus
        self._reveal(dock)
        dock.focus_search()

    def leave(self) -> None:
        """Esc in the pane: focus back to the widget the agent was in before F1 (if it is still
        there and visible), else to the step page."""
        target = self._return_to
        self._return_to = None
        if target is None or not shiboken6.isValid(target) or not target.isVisible():
            target = self._window.centralWidget()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply_width_bounds(self) -> None:
        """Between DOCK_MIN_CHARS and DOCK_MAX_CHARS wide, and never so wide that the page
        would drop below PAGE_MIN_CHARS (the window's own width decides)."""
        if self.dock is None:
            return
        lo, hi = dock_width_range(self._window)
        self.dock.setMinimumWidth(lo)
        self.dock.setMaximumWidth(hi)

    def _reveal(self, dock: GlossaryPane) -> None:
        was_hidden = not dock.isVisible()
        dock.show()
        dock.raise_()
        if was_hidden:
            lo, hi = dock_width_range(self._window)
            preferred = self._window.fontMetrics().averageCharWidth() * DOCK_PREFERRED_CHARS
            self._window.resizeDocks([dock], [max(lo, min(hi, preferred))], Qt.Orientation.Horizontal)

    def _toggled(self, shown: bool) -> None:
        if self._action.isChecked() != shown:
            self._action.blockSignals(True)
            self._action.setChecked(shown)
            self._action.blockSignals(False)

    def _triggered(self, checked: bool) -> None:
        dock = self.ensure()
        if checked:
            self._reveal(dock)
        else:
            had_focus = dock.has_focus_inside(QApplication.focusWidget())
            dock.hide()
            if had_focus:
                self.leave()

    def _search_triggered(self, *_args: object) -> None:
        self.search()


def make_glossary_dock(parent: QWidget | None = None) -> GlossaryPane:
    """The glossary pane (a QDockWidget); a plain placeholder dock if it cannot be built.

    The returned dock has `show_term(name)`, `show_reference(ref)` and `open_url_requested` in
    either case.
    """
    try:
        from assistant.ui.glossary.dock import GlossaryDock

        dock: GlossaryPane = GlossaryDock(parent=parent)
    except Exception as err:
        log.warning("glossary dock unavailable: %s", type(err).__name__)
        dock = PlaceholderGlossaryDock(parent)
    if not dock.objectName():
        dock.setObjectName("glossary")
    return dock


def dock_width_range(window: QWidget) -> tuple[int, int]:
    """(narrowest, widest) the glossary may be in `window`, in pixels."""
    char = window.fontMetrics().averageCharWidth()
    lo = char * DOCK_MIN_CHARS
    hi = min(char * DOCK_MAX_CHARS, int(window.width() * DOCK_MAX_SHARE))
    return lo, max(lo, hi)


class _WidthBounds(QObject):
    """Re-bounds the dock whenever the window changes size."""

    def __init__(self, window: QMainWindow, host: GlossaryHost) -> None:
        super().__init__(window)
        self._host = host
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._host.apply_width_bounds()
        return False
