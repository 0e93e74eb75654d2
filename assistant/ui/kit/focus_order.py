"""Tab in the order the eye reads a page, and only to what can be acted on.

Qt's Tab order is the order widgets were created in, so a page that inserts a field above its
cards, or a card that makes its term links after a run, sent Tab down the page and back up.
`follow_layout` orders a page's focusable widgets as its layouts place them; `skip_read_only`
takes read-only text out of the chain (a label without a link is read, never acted on: it
still selects with the mouse), so a step's Fix… is a few Tabs from its top, not nine.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QLayout, QScrollArea, QWidget

_KEYBOARD = Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.LinksAccessibleByKeyboard


def _takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def _inside(layout: QLayout) -> list[QWidget]:
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget, sub = item.widget(), item.layout()
        if widget is not None:
            found += layout_order(widget)
        elif sub is not None:
            found += _inside(sub)
    return found


def layout_order(root: QWidget) -> list[QWidget]:
    """`root` (if it takes Tab) and the widgets under it that take Tab, as its layouts place
    them. A scroll area's page counts as inside it; other scroll areas (tables, lists, text
    views) are one stop each."""
    own: list[QWidget] = [root] if _takes_tab(root) else []
    inner = root.widget() if isinstance(root, QScrollArea) else None
    if inner is not None:
        return own + layout_order(inner)
    layout = root.layout()
    if layout is None or isinstance(root, QAbstractScrollArea):
        return own
    return own + _inside(layout)


def follow_layout(root: QWidget) -> None:
    """Make Tab go through `root`'s widgets in layout order (the rest of the window's chain
    is kept around them)."""
    chain = layout_order(root)
    for before, after in pairwise(chain):
        QWidget.setTabOrder(before, after)


def skip_read_only(label: QLabel) -> None:
    """A label Tab stops at only when it holds a link to follow (text stays mouse-selectable)."""
    flags = label.textInteractionFlags() & ~_KEYBOARD
    if "<a " in label.text() and label.textFormat() != Qt.TextFormat.PlainText:
        flags |= Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    label.setTextInteractionFlags(flags)  # Qt gives it Tab focus only with a keyboard flag
