"""Tables that show every column in the width they have, never a sideways scroll bar.

A step page is read while talking: a Price ID, a name or a state hidden behind horizontal
scrolling is a fact the agent never sees. So a table's columns take their natural width when
it fits; when it does not, each column gives up width in proportion to what it has beyond a
floor. Text with spaces (a problem, a name, an amount) then wraps at words, and a header goes
onto two lines; an id has no spaces, so it is elided in the middle (its ends stay) with the
whole id in the cell's tooltip. Rows are never scrolled inside the table either: the table is
as tall as its rows, and the page is the one thing that scrolls.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
)

from assistant.ui.kit.plain import plain_tooltip

ID_FLOOR_CHARS = 6  # an unbroken value (an id) may shrink to this many characters, elided
ID_MIN_LENGTH = 14  # "Archived" is a word; "price_1Prc0u7GUJdd8tyBaHeMU9wz" is an id
ID_WEIGHT = 0.35  # its share of the spare width, against 1 for a column of words
_PADDING_CHARS = 2


class _WrapWords(QStyledItemDelegate):
    """Wraps cells whose text has spaces; elides the rest (ids) instead of breaking them."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if " " not in str(index.data() or ""):
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


class ColumnFitter(QObject):
    """Refits `table`'s columns (and its height) whenever its viewport changes width."""

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self._table = table
        self.min_rows = 3
        self.whole: set[int] = set()  # columns shown whole while the floors of the others fit
        self._headers: dict[int, str] = {}
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        table.setWordWrap(True)
        table.setItemDelegate(_WrapWords(table))
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.horizontalHeader().setStretchLastSection(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Qt draws the headers of selected columns bold, and a whole-row selection selects every
        # column: headers fitted to their regular width would then be cut ("The checks expectec").
        table.horizontalHeader().setHighlightSections(False)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.refit()
        return False

    def refit(self) -> None:
        table = self._table
        columns = table.columnCount()
        available = table.viewport().width()
        if columns and available > 0:
            self._remember_headers()
            char = table.fontMetrics().averageCharWidth()
            natural = [self._natural(c) for c in range(columns)]
            floors = [min(n, self._floor(c, char)) for c, n in enumerate(natural)]
            whole = [n if c in self.whole else f for c, (n, f) in enumerate(zip(natural, floors, strict=True))]
            if sum(whole) <= available:
                floors = whole
            # Words wrap and stay readable; an elided id is not, but it has its tooltip and the
            # copy: so text columns take most of what is left over their floors.
            weights = [1.0 if self._wraps(c) else ID_WEIGHT for c in range(columns)]
            widths = fit_widths(natural, floors, available, weights)
            for c, width in enumerate(widths):
                self._set_header(c, width, char)
                table.horizontalHeader().resizeSection(c, width)
            _explain_elided(table, widths)
        self._fit_height()

    # -- widths ----------------------------------------------------------------------------------
    def _natural(self, column: int) -> int:
        """One line for every cell and the header (as first set)."""
        table = self._table
        fm = table.fontMetrics()
        pad = fm.averageCharWidth() * _PADDING_CHARS
        cells = [self._cell_width(r, column) for r in range(table.rowCount())]
        header = max((table.horizontalHeader().fontMetrics().horizontalAdvance(line)
                      for line in self._headers.get(column, "").split("\n")), default=0)
        return max([header + pad + self._sort_room(column), *cells, pad])

    def _cell_width(self, row: int, column: int) -> int:
        item = self._table.item(row, column)
        if item is None:
            return 0
        fm = self._table.fontMetrics()
        extra = fm.averageCharWidth() * _PADDING_CHARS + (icon_room(self._table) if not item.icon().isNull() else 0)
        return fm.horizontalAdvance(item.text()) + extra

    def _floor(self, column: int, char: int) -> int:
        """The longest word of the column (its cells and header); an unbroken id gets fewer."""
        table = self._table
        fm = table.fontMetrics()
        words = [w for r in range(table.rowCount()) if (it := table.item(r, column)) is not None
                 and not is_id(it.text()) for w in it.text().split()]
        words += self._headers.get(column, "").split()
        # An id among words ('The product "Basic" (prod_…)') may break anywhere: it must not
        # claim its whole width, or the short columns beside it lose their own words.
        longest = max((char * ID_FLOOR_CHARS if is_id(w.strip("()\"'.,:;")) else fm.horizontalAdvance(w)
                       for w in words), default=0)
        has_icon = any((it := table.item(r, column)) is not None and not it.icon().isNull()
                       for r in range(table.rowCount()))
        icon = icon_room(table) if has_icon else 0
        return max(longest, char * ID_FLOOR_CHARS) + char * _PADDING_CHARS + icon + self._sort_room(column)

    def _wraps(self, column: int) -> bool:
        """A column of words (not only ids)."""
        table = self._table
        return any((it := table.item(r, column)) is not None and not is_id(it.text())
                   and it.text() != "—" for r in range(table.rowCount()))

    def _sort_room(self, column: int) -> int:
        """The sorted column's header also draws its sort arrow."""
        table = self._table
        sorted_here = table.isSortingEnabled() and table.horizontalHeader().sortIndicatorSection() == column
        return table.fontMetrics().averageCharWidth() * 3 if sorted_here else 0

    # -- headers ---------------------------------------------------------------------------------
    def _remember_headers(self) -> None:
        """Each header as its page set it (not as broken onto two lines here); a page that
        relabels its columns (another run, more endpoints) gets its new words remembered."""
        for c in range(self._table.columnCount()):
            item = self._table.horizontalHeaderItem(c)
            if item is None:
                continue
            known = self._headers.get(c)
            if known is None or item.text() not in (known, _two_lines(known) if " " in known else known):
                self._headers[c] = item.text()

    def _set_header(self, column: int, width: int, char: int) -> None:
        """Two lines when the one-line header would not fit (broken at its middle space)."""
        item = self._table.horizontalHeaderItem(column)
        original = self._headers.get(column)
        if item is None or original is None or "\n" in original:
            return
        fm = self._table.horizontalHeader().fontMetrics()
        fits = fm.horizontalAdvance(original) + char * _PADDING_CHARS + self._sort_room(column) <= width
        text = original if fits or " " not in original else _two_lines(original)
        if item.text() != text:
            item.setText(text)
            item.setToolTip(plain_tooltip(original))

    # -- height ----------------------------------------------------------------------------------
    def _fit_height(self) -> None:
        table = self._table
        table.resizeRowsToContents()
        rows = table.verticalHeader().length()
        empty = max(0, self.min_rows - table.rowCount())
        row_h = table.verticalHeader().defaultSectionSize() or table.fontMetrics().height() + 8
        height = table.horizontalHeader().sizeHint().height() + rows + empty * row_h + table.frameWidth() * 2
        if table.minimumHeight() != height or table.maximumHeight() != height:
            table.setFixedHeight(height)


def icon_room(table: QTableWidget) -> int:
    """What a cell's icon takes: its size (the style's small icon when the table sets none,
    as `iconSize()` is then -1 by -1) and the room the delegate leaves around it."""
    side = table.iconSize().width()
    if side <= 0:
        side = table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, table)
    return side + 8


def is_id(text: str) -> bool:
    """An unbroken run too long to be a word (a Stripe id, a URL): elided, never wrapped."""
    return " " not in text and len(text) > ID_MIN_LENGTH


def _two_lines(text: str) -> str:
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    middle = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:middle] + "\n" + text[middle + 1:]


def fit_widths(natural: list[int], floors: list[int], available: int,
               weights: list[float] | None = None) -> list[int]:
    """Widths summing to `available`: natural widths when they fit (the room left goes to the
    last column), else each column above its floor by its (weighted) share of what is left,
    never beyond its natural width."""
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
        widths = list(floors)
        wanted = [n - f for n, f in zip(natural, floors, strict=True)]
        shares: list[float] = [w * e for w, e in zip(weights or [1.0] * len(natural), wanted, strict=True)]
        spare = available - floor_total
        share_total = math.fsum(shares)
        while spare > 0 and share_total > 0:  # a column that reaches its natural width frees its share
            given = [min(wanted[i], int(spare * shares[i] / share_total)) for i in range(len(widths))]
            if not any(given):
                break
            for i, g in enumerate(given):
                widths[i] += g
                wanted[i] -= g
                if wanted[i] <= 0:
                    shares[i] = 0.0
            spare = available - sum(widths)
            share_total = math.fsum(shares)
    widths[-1] += available - sum(widths)  # rounding
    return widths


def _explain_elided(table: QTableWidget, widths: list[int]) -> None:
    """An id cell too narrow for its text tells the whole text in its tooltip."""
    fm = table.fontMetrics()
    margin = fm.averageCharWidth() * _PADDING_CHARS
    for row in range(table.rowCount()):
        for column, width in enumerate(widths):
            item = table.item(row, column)
            if item is None or item.toolTip() or not is_id(item.text()):
                continue
            if fm.horizontalAdvance(item.text()) + margin > width:
                item.setToolTip(plain_tooltip(item.text()))


def fitter(table: QTableWidget) -> ColumnFitter:
    """The table's fitter (made on first use)."""
    found = table.findChild(ColumnFitter)
    return found if found is not None else ColumnFitter(table)


def fit_table(table: QTableWidget, min_rows: int = 3) -> None:
    """Columns to the width, the height to the rows (at least `min_rows` high)."""
    fit = fitter(table)
    fit.min_rows = min_rows
    fit.refit()
