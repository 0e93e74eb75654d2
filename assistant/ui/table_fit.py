"""Tables that show every column in the width they have, never a sideways scroll bar.

A step page is read while talking: a Price ID, a name or a state hidden behind horizontal
scrolling is a fact the agent never sees. So a table's columns take their natural width when
it fits; when it does not, each column gives up width in proportion to what it has beyond a
floor (its header, or a few characters), the text is elided in the middle (ids keep their
ends) and the whole text goes in the cell's tooltip. Rows are never scrolled inside the table
either: the table is as tall as its rows, and the page is the one thing that scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableWidget

FLOOR_CHARS = 8  # a column never gets narrower than this many average characters
_PADDING_CHARS = 2


class ColumnFitter(QObject):
    """Refits `table`'s columns whenever its viewport changes width."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self._table = table
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.horizontalHeader().setStretchLastSection(False)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.refit()
        return False

    def refit(self) -> None:
        table = self._table
        columns = table.columnCount()
        available = table.viewport().width()
        if columns == 0 or available <= 0:
            return
        header = table.horizontalHeader()
        char = table.fontMetrics().averageCharWidth()
        natural = [max(header.sectionSizeHint(c), table.sizeHintForColumn(c)) for c in range(columns)]
        floors = [min(n, max(char * FLOOR_CHARS, _header_width(table, c) + char * _PADDING_CHARS))
                  for c, n in enumerate(natural)]
        widths = fit_widths(natural, floors, available)
        for c, width in enumerate(widths):
            header.resizeSection(c, width)
        _explain_elided(table, widths)


def fit_widths(natural: list[int], floors: list[int], available: int) -> list[int]:
    """Widths summing to `available` (or less only when every column has its natural width
    and some room is left, which goes to the last column)."""
    total = sum(natural)
    if total <= available:
        widths = list(natural)
        widths[-1] += available - total
        return widths
    floor_total = sum(floors)
    if floor_total >= available:  # too narrow even for the floors: share the room alike
        scale = available / max(1, floor_total)
        widths = [max(1, int(f * scale)) for f in floors]
    else:
        spare = available - floor_total
        excess = [n - f for n, f in zip(natural, floors, strict=True)]
        excess_total = max(1, sum(excess))
        widths = [f + int(spare * e / excess_total) for f, e in zip(floors, excess, strict=True)]
    widths[-1] += available - sum(widths)  # rounding
    return widths


def _header_width(table: QTableWidget, column: int) -> int:
    item = table.horizontalHeaderItem(column)
    return table.horizontalHeader().fontMetrics().horizontalAdvance(item.text()) if item else 0


def _explain_elided(table: QTableWidget, widths: list[int]) -> None:
    """A cell too narrow for its text tells the whole text in its tooltip."""
    fm = table.fontMetrics()
    margin = fm.averageCharWidth() * _PADDING_CHARS
    icon = table.iconSize().width() or fm.height()
    for row in range(table.rowCount()):
        for column, width in enumerate(widths):
            item = table.item(row, column)
            if item is None or item.toolTip():
                continue
            needed = fm.horizontalAdvance(item.text()) + margin + (icon if not item.icon().isNull() else 0)
            if needed > width:
                item.setToolTip(item.text())


def fitter(table: QTableWidget) -> ColumnFitter:
    """The table's fitter (made on first use)."""
    found = table.findChild(ColumnFitter)
    return found if found is not None else ColumnFitter(table)


def fit_columns(table: QTableWidget) -> None:
    fitter(table).refit()
