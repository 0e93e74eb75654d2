"""Minimum widths that add up to no more than the screen.

Each part of the window has a minimum in characters (the step page 64, the glossary 30, the
checklist its longest row), so the window's minimum grows with the font. With a large scale
(QT_SCALE_FACTOR=2 on a 1600 px screen: 800 logical pixels) the parts no longer fit side by
side and Qt widened the window past the screen. `cuts` says how much each part gives up, in
order and never below its floor; `room_for` is how wide the window may be where it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QSplitter, QWidget


def cuts(over: int, widths: Sequence[tuple[int, int]]) -> list[int]:
    """How many pixels to take from each (wanted, floor) width, the first first, to find `over`."""
    taken = []
    for wanted, floor in widths:
        take = max(0, min(over, wanted - floor))
        taken.append(take)
        over -= take
    return taken


def room_for(window: QWidget) -> int | None:
    """The widest the window's contents may be on its screen (its frame taken off), or None."""
    screen = window.screen()
    if screen is None:
        return None
    frame = max(0, window.frameGeometry().width() - window.geometry().width())
    return screen.availableGeometry().width() - frame


def width_beside(page: QWidget) -> int:
    """The least width the page's neighbours in its splitter need (the checklist, the handles,
    the margins around the splitter), read from the widgets themselves: a layout's cached
    minimum lags until the event loop runs, and the window would grow on the stale figure."""
    splitter = page.parentWidget()
    if not isinstance(splitter, QSplitter):
        return 0
    others = [w for i in range(splitter.count()) if (w := splitter.widget(i)) is not None and w is not page]
    width = sum(max(w.minimumWidth(), w.minimumSizeHint().width()) for w in others if not w.isHidden())
    width += splitter.handleWidth() * len(others)
    holder = splitter.parentWidget()
    layout = holder.layout() if holder is not None else None
    if layout is not None:
        margins = layout.contentsMargins()
        width += margins.left() + margins.right()
    return width


def settle_minimums(widget: QWidget) -> None:
    """Carry a changed minimum up to the window now: each ancestor drops its cached size (a
    layout keeps it until the event loop runs), then the window's layout takes the new sum, so
    what happens next (a pane shown) is laid out with it and the window does not grow."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        parent.updateGeometry()
        parent = parent.parentWidget()
    layout = widget.window().layout()
    if layout is not None:
        layout.activate()


def keep_on_screen(window: QWidget) -> None:
    """Move the window back inside its screen's free area when it has just grown past an edge
    (it widens to the right, from where the window manager placed it)."""
    screen = window.screen()
    if screen is None:
        return
    room, frame = screen.availableGeometry(), window.frameGeometry()
    dx = max(room.left() - frame.left(), min(0, room.right() - frame.right()))
    if dx:
        window.move(window.x() + dx, window.y())
