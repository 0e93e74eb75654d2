"""Step "products": every product and price the portal offers for plan switching, one row each.

Stripe keeps returning active prices of an archived product, so the table shows the product's
state and the price's state side by side and names the problem in words on the offending row.
The rows are the check's own (`catalogue_rows`): the page renders them and decides nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from assistant.diagnosis.checks.facts import amount_per_interval
from assistant.diagnosis.checks.messages import label
from assistant.diagnosis.checks.products import CID, CatalogueRow, catalogue_rows
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase
from assistant.ui.kit.clipboard import Clipboard
from assistant.ui.pages.common import (
    ResultsPage,
    cell_text,
    configure_table,
    fit_table_height,
    header_text,
    heading,
    text_label,
)
from assistant.ui.results.card import status_icon

# Names, amounts and states first (what the agent reads out), ids last (what is copied): at
# the default size beside the glossary the ids are the columns that get elided.
COLUMNS = (
    "Problem", "Product", "Product state", "Price", "Amount", "Price state", "Price ID", "Product ID",
)
_AMOUNT = COLUMNS.index("Amount")
OK = label("catalogue_marks", "no_problem")
NONE = "—"
_SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def _word(label: str) -> str:
    """A state label as a table cell: "archived" -> "Archived"; "" -> "—"."""
    return label[:1].upper() + label[1:] if label else NONE


def amount_text(row: CatalogueRow) -> str:
    """"9.00 USD / month", "49.00 USD once" (a one-time price), "—" when not read."""
    return amount_per_interval(row.amount, row.interval, row.recurring) or NONE


def row_cells(row: CatalogueRow) -> tuple[str, ...]:
    return ("; ".join(row.problems) or OK, row.product_name or NONE, _word(row.product_state),
            row.nickname or NONE, amount_text(row), _word(row.price_state), row.price_id or NONE,
            row.product_id)


def rows_as_tsv(header: list[str], rows: list[list[str]]) -> str:
    def clean(cell: str) -> str:
        return cell.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return "\n".join("\t".join(clean(c) for c in line) for line in [header, *rows]) + "\n"


class _SortItem(QTableWidgetItem):
    """Sorts by a hidden key when it has one (amounts as numbers, not as text)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(_SORT_ROLE), other.data(_SORT_ROLE)
        if mine is not None and theirs is not None:
            return bool(mine < theirs)
        return self.text().casefold() < other.text().casefold()


class ProductsPage(ResultsPage):
    """The allowed products and prices as a sortable table; Ctrl+C copies selected rows as TSV."""

    step_id = "products"

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        clipboard: Clipboard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(knowledge, clipboard, parent)
        self._rows: list[CatalogueRow] = []
        self.note = text_label("")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        configure_table(self.table)
        self.table.setAccessibleName("Products and prices the portal offers")
        self.table.setSortingEnabled(True)
        self.table.sortItems(0, Qt.SortOrder.AscendingOrder)  # rows with a problem first
        # QTableView's own Ctrl+C copies one cell; the agent wants whole rows, so catch it first.
        self.table.installEventFilter(self)

        self.copy_button = QPushButton("Copy table")
        self.copy_button.setToolTip("Copy every row as tab-separated text (Ctrl+C copies the selected rows)")
        self.copy_button.clicked.connect(self.copy_all)
        self.open_products_button = QPushButton("Open products in Dashboard")
        self.connect_open(self.open_products_button, lambda: self.dashboard("products"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.open_products_button)
        buttons.addStretch(1)

        self.add_content(heading("Offered for plan switching"), self.note, self.table, buttons)
        self.body.addStretch(1)
        self.render_outcome(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table
                and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
                and isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Copy)):
            if event.type() == QEvent.Type.KeyPress:
                self.copy_selection()
            event.accept()
            return event.type() == QEvent.Type.KeyPress
        return super().eventFilter(watched, event)

    # -- view ----------------------------------------------------------------------------------
    def render_outcome(self, outcome: RunOutcome | None) -> None:
        """The rows the check produced; when it produced none, its own summary says why."""
        result = outcome.diagnosis.check(CID) if outcome else None
        self._rows = catalogue_rows(result) if result is not None else []
        bad = sum(1 for r in self._rows if r.problems)
        if result is None:
            self.note.setText("Run the diagnosis to list the products the portal offers.")
        elif not self._rows or not bad:
            self.note.setText(result.summary)
        else:
            self.note.setText(f"{bad} of {len(self._rows)} rows have a problem (marked in the "
                              "Problem column).")
        self._fill()

    def _fill(self) -> None:
        table = self.table
        table.setSortingEnabled(False)
        table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            for c, text in enumerate(row_cells(row)):
                item = _SortItem(text)
                if c == 0:
                    item.setIcon(status_icon(row.status))
                    item.setData(_SORT_ROLE, (0 if row.problems else 1, text.casefold()))
                elif c == _AMOUNT:
                    amount = float(row.unit_amount) if row.unit_amount is not None else -1.0
                    item.setData(_SORT_ROLE, (amount, text))
                table.setItem(r, c, item)
        table.setSortingEnabled(True)
        table.resizeColumnsToContents()
        fit_table_height(table)

    # -- what the agent sees and copies ---------------------------------------------------------
    def header(self) -> list[str]:
        return [header_text(self.table, c) for c in range(self.table.columnCount())]

    def visible_rows(self) -> list[list[str]]:
        """The table as displayed (current sort order)."""
        t = self.table
        return [[cell_text(t, r, c) for c in range(t.columnCount())]
                for r in range(t.rowCount())]

    def selected_rows(self) -> list[list[str]]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        all_rows = self.visible_rows()
        return [all_rows[r] for r in rows]

    def copy_selection(self) -> str:
        rows = self.selected_rows()
        if not rows:
            return ""
        text = rows_as_tsv(self.header(), rows)
        self.clipboard().setText(text)
        return text

    def copy_all(self) -> None:
        self.clipboard().setText(rows_as_tsv(self.header(), self.visible_rows()))


PAGE = ProductsPage
