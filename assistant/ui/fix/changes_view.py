"""What a fix changes, as the owner sees it in the Dashboard: one table (the setting, before,
after), plan lists one entry a row with what goes beside what comes, entries marked in words
(`+ … (added)`, `− … (removed)`, also set in bold or italics), and the ids in a detail line under
the table. The rows come from `diagnosis/fixes/display.py`; this only lays them out.

Account data reaches every cell, so all text is plain and display-safe.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.diagnosis.fixes.display import ADDED, REMOVED, Line, preview
from assistant.diagnosis.fixes.model import Fix
from assistant.ui.kit.plain import plain_tooltip
from assistant.ui.state.display import shown_text

MAX_ROWS_SHOWN = 10  # more rows scroll inside the table
LABEL_CHARS = 30  # the setting's name wraps past this width, leaving room for the values
_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


class ChangesView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("fixChanges")
        self.table.setAccessibleName("Changes, setting by setting")
        self.table.setHorizontalHeaderLabels(["Dashboard setting", "Before", "After"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (issue 22, item 9)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # both ends of a long URL stay
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.details = QLabel()
        self.details.setObjectName("fixDetails")
        self.details.setAccessibleName("Stripe ids of what changes")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(_SELECTABLE)
        small = QFont(self.details.font())
        if small.pointSizeF() > 0:
            small.setPointSizeF(small.pointSizeF() * 0.9)
        self.details.setFont(small)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.details)

    def show_fix(self, fix: Fix) -> None:
        rows: list[tuple[str, Line | None, Line | None]] = []
        details: list[str] = []
        for change in fix.changes:
            shown = preview(change, fix.names)
            rows += [(shown.label if i == 0 else "", before, after) for i, (before, after) in enumerate(shown.rows)]
            details.append(shown.detail)
        self.table.setRowCount(len(rows))
        for row, (label, before, after) in enumerate(rows):
            self.table.setItem(row, 0, _item(label))
            for column, line in ((1, before), (2, after)):
                self.table.setItem(row, column, _line_item(line))
        widest = self.table.fontMetrics().averageCharWidth() * LABEL_CHARS
        wanted = max(self.table.sizeHintForColumn(0), self.table.horizontalHeader().sectionSizeHint(0))
        self.table.setColumnWidth(0, min(wanted, widest))
        self.table.resizeRowsToContents()
        self._fit()
        self.details.setText(shown_text("\n".join(details)))
        self.setVisible(bool(fix.changes))

    def cells(self, column: int) -> list[str]:
        """The texts of one column, top to bottom (what a reader of the preview sees)."""
        items = [self.table.item(r, column) for r in range(self.table.rowCount())]
        return [item.text() if item is not None else "" for item in items]

    def _fit(self) -> None:
        """As tall as its rows (up to MAX_ROWS_SHOWN; more scroll), so a one-field fix has no empty box."""
        table = self.table
        rows = sum(table.rowHeight(r) for r in range(min(table.rowCount(), MAX_ROWS_SHOWN)))
        height = table.horizontalHeader().sizeHint().height() + rows + table.frameWidth() * 2 + 2
        table.setFixedHeight(max(height, table.fontMetrics().height() * 3))


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(shown_text(text))
    item.setToolTip(plain_tooltip(shown_text(text)))
    return item


def _line_item(line: Line | None) -> QTableWidgetItem:
    item = _item(line.shown if line is not None else "")
    if line is not None and line.mark:
        font = QFont(item.font())
        font.setBold(line.mark == ADDED)
        font.setItalic(line.mark == REMOVED)
        item.setFont(font)
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, line.mark)
    return item
