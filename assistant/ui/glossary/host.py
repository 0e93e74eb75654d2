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
from PySide6.QtWidgets import QApplication, QMainWindow, QStyle, QWidget

from assistant.ui.glossary.pane import GlossaryPane, PlaceholderGlossaryDock
from assistant.ui.kit.screen_fit import cuts, keep_on_screen, room_for, settle_minimums, width_beside

log = logging.getLogger(__name__)

# In average character widths of the window's font.
DOCK_MIN_CHARS = 30
DOCK_PREFERRED_CHARS = 40
DOCK_MAX_CHARS = 56
DOCK_MAX_SHARE = 0.34  # of the window's width: the step page keeps the rest
PAGE_MIN_CHARS = 64  # the step page never gets narrower than this (it reflows above it)...
# ...unless the screen is too narrow for it beside the checklist and the pane (a large scale
# factor): then the page, and after it the pane, give up width down to these floors.
PAGE_FLOOR_CHARS = 40
DOCK_FLOOR_CHARS = 22


class GlossaryHost:
    """Keeps `action` and the dock's own visibility in step; F1 (`search`) focuses the pane."""

    def __init__(self, window: QMainWindow, action: QAction, open_url: Callable[[str], None],
                 search: QAction | None = None, page: QWidget | None = None) -> None:
        self._window = window
        self._page = page  # the step pages: their minimum width is set here, with the pane's
        self._action = action
        self._open_url = open_url
        self._return_to: QWidget | None = None
        self.dock: GlossaryPane | None = None
        action.triggered.connect(self._triggered)
        if search is not None:
            search.triggered.connect(self._search_triggered)
        self._fitting = False
        self._bounds = _WidthBounds(window, self)
        self.apply_width_bounds()

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

    def apply_width_bounds(self, *, showing: bool = False) -> None:
        """The pane between DOCK_MIN_CHARS and DOCK_MAX_CHARS wide, never so wide that the page
        would drop below PAGE_MIN_CHARS (the window's own width decides); and the page's and the
        pane's minimums together never wider than the screen, so the window stays on it."""
        window, dock = self._window, self.dock
        if self._fitting or not shiboken6.isValid(window) or (dock is not None and not shiboken6.isValid(dock)):
            return  # already at it (a resize below comes back here), or the window is closing
        self._fitting = True
        try:
            self._fit(window, dock, showing)
        finally:
            self._fitting = False

    def _fit(self, window: QMainWindow, dock: GlossaryPane | None, showing: bool) -> None:
        """`showing`: the pane is about to be shown (fitted first, so the window never jumps)."""
        char = window.fontMetrics().averageCharWidth()
        lo, hi = dock_width_range(window)
        page, page_min = self._page, char * PAGE_MIN_CHARS
        shown = dock is not None and (showing or not dock.isHidden())
        screen = room_for(window) if window.isVisible() else None
        # The minimums must fit the screen, or the window as it is when it is already wider
        # (spread over two screens): never wider than either.
        room = max(screen, window.width()) if screen is not None else None
        if room is not None and page is not None:
            need = width_beside(page) + page_min
            if shown:
                need += lo + window.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent)
            wanted = [(page_min, char * PAGE_FLOOR_CHARS)] + ([(lo, char * DOCK_FLOOR_CHARS)] if shown else [])
            taken = cuts(need - room, wanted)
            page_min, lo = page_min - taken[0], lo - (taken[1] if shown else 0)
        if page is not None:
            page.setMinimumWidth(page_min)
        if dock is not None:
            dock.setMinimumWidth(lo)
            dock.setMaximumWidth(max(lo, hi))
        if page is not None and showing:
            settle_minimums(page)  # the window's minimum is the new sum before the pane shows

    def _reveal(self, dock: GlossaryPane) -> None:
        was_hidden = not dock.isVisible()
        if was_hidden:
            self.apply_width_bounds(showing=True)  # before the window's layout widens it for the pane
        dock.show()
        dock.raise_()
        if was_hidden:
            lo, hi = dock_width_range(self._window)
            preferred = self._window.fontMetrics().averageCharWidth() * DOCK_PREFERRED_CHARS
            self._window.resizeDocks([dock], [max(lo, min(hi, preferred))], Qt.Orientation.Horizontal)
            keep_on_screen(self._window)  # a window the pane widened stays whole on its screen

    def _toggled(self, shown: bool) -> None:
        self.apply_width_bounds()  # the page gets its width back when the pane goes
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
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.ScreenChangeInternal):
            self._host.apply_width_bounds()
        return False
